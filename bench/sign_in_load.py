"""50 people signing in within 10 seconds: the password step's latency (issue 16, point 2).

Against a running server (e.g. gunicorn from bench/loadtest.sh, or `make run`):

    .venv/bin/python bench/sign_in_load.py --host http://127.0.0.1:8001 --users 50 --seconds 10

Each person opens the sign-in page (for the CSRF token) then posts their county account's
password at an evenly spread moment in the window; the time of that POST (which runs the
password hasher) is what is reported. Needs the county accounts (`make county`).
"""

import argparse
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

PASSWORD = "demo-Early-help-2026"  # noqa: S105  (synthetic benchmark accounts)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(host: str, email: str, start_at: float, out: list, errors: list) -> None:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        page = opener.open(f"{host}/sign-in/", timeout=30).read().decode()
        token = CSRF.search(page).group(1)
        time.sleep(max(0.0, start_at - time.monotonic()))
        body = urllib.parse.urlencode(
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the benchmark host given on the command line
            f"{host}/sign-in/", data=body, headers={"Referer": f"{host}/sign-in/"}
        )
        started = time.monotonic()
        response = opener.open(request, timeout=60)
        out.append(time.monotonic() - started)
        if "two-factor" not in response.geturl() and "/sign-in/" in response.geturl():
            errors.append("not signed in")
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(type(exc).__name__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="http://127.0.0.1:8001")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    times: list[float] = []
    errors: list[str] = []
    begin = time.monotonic() + 3.0  # every thread has its sign-in page by then
    threads = [
        threading.Thread(
            target=sign_in,
            args=(
                args.host,
                f"worker{i + 1}@county.test",
                begin + args.seconds * i / args.users,
                times,
                errors,
            ),
        )
        for i in range(args.users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else float("nan")
    print(
        f"sign-ins: {len(times)} of {args.users} in {args.seconds:.0f} s, errors {len(errors)}; "
        f"password step p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
