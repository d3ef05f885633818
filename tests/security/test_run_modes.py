"""Issue 17, point 7: `make run` serves the product with DEBUG off (its own error pages,
static files through WhiteNoise); `make dev` is the developer's command with DEBUG on.

On today's code `make run` started Django with DEBUG on (its 404 listed every URL pattern)
and there was no `make dev`: these tests fail there."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from config.launcher import web_environment
from tests.conftest import BASE_DIR, database_url_for_subprocess


def test_make_run_is_debug_off_and_make_dev_is_debug_on():
    assert web_environment({"DEBUG": "true"}, debug=False)["DEBUG"] == "false"
    assert web_environment({}, debug=True)["DEBUG"] == "true"
    run = subprocess.run(["make", "-n", "run"], cwd=BASE_DIR, capture_output=True, text=True)
    dev = subprocess.run(["make", "-n", "dev"], cwd=BASE_DIR, capture_output=True, text=True)
    assert "config.launcher run" in run.stdout
    assert dev.returncode == 0 and "config.launcher dev" in dev.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=90) as response:  # noqa: S310 (local)
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.mark.django_db
def test_the_web_server_of_make_run_shows_its_own_pages_and_static_files():
    env = web_environment(os.environ, debug=False)
    env.pop("EARLYHELP_TESTING", None)
    env.update(DATABASE_URL=database_url_for_subprocess(), CONN_MAX_AGE="0")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.3)
        # The first request loads the application (seconds on a busy machine).
        status, body = _get(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404
        assert "Page not found" in body
        assert "URLconf" not in body and "sign-in/two-factor" not in body
        status, body = _get(f"http://127.0.0.1:{port}/static/css/earlyhelp.css")
        assert status == 200 and body.strip()
    finally:
        server.terminate()
        server.wait(timeout=15)
