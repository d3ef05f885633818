"""Load test: the three journeys at once against gunicorn on loopback.

    make loadtest      (50 users, 5 minutes; see the Makefile target)

Each simulated person signs in with their own county account (password + TOTP with the
demo key that `python -m bench run_benchmarks --prepare-only` gives the benchmark accounts).

Two sets of figures: locust's own (bench/results/load_stats.csv) over the whole run, the
ramp included, when 50 people sign in within 10 seconds (the password hash is deliberately
slow: ADR 0010); and the steady state (bench/results/load_steady.csv, printed at the end),
from SETTLE seconds after the last person started, when every sign-in is done: the working
day a person meets.
"""

import csv
import itertools
import re
import time
from collections import defaultdict
from pathlib import Path

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

DEMO_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
PASSWORD = "demo-Early-help-2026"  # noqa: S105  (synthetic benchmark accounts)
_COUNTERS: dict[str, itertools.count] = {}
SETTLE = 20  # seconds after the last person started: their sign-in is done by then
_steady_from: list[float] = []  # when the steady state starts (monotonic), once known
_steady: dict[str, list[float]] = defaultdict(list)
_steady_failures: dict[str, int] = defaultdict(int)


@events.spawning_complete.add_listener
def _everyone_started(user_count, **kwargs):
    _steady_from.append(time.monotonic() + SETTLE)


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception=None, **kwargs):
    if _steady_from and time.monotonic() >= _steady_from[0]:
        _steady[name].append(response_time)
        if exception is not None:
            _steady_failures[name] += 1


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@events.quitting.add_listener
def _report_steady_state(environment, **kwargs):
    rows = [
        (
            name,
            len(ms),
            _steady_failures[name],
            round(_percentile(ms, 0.5)),
            round(_percentile(ms, 0.95)),
        )
        for name, ms in sorted(_steady.items())
    ]
    out = Path(__file__).parent / "results" / "load_steady.csv"
    with out.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Request Count", "Failure Count", "50%", "95%"])
        writer.writerows(rows)
    print(f"\nSteady state (from {SETTLE} s after the last person started):")
    print(f"{'request':24} {'count':>7} {'failures':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, n, failed, p50, p95 in rows:
        print(f"{name:24} {n:7} {failed:8} {p50:8.0f} {p95:8.0f}")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    email_pattern = ""
    accounts = 1

    def on_start(self):
        numbers = _COUNTERS.setdefault(type(self).__name__, itertools.count(0))
        self.email = self.email_pattern.format(n=next(numbers) % self.accounts + 1)
        page = self.client.get("/sign-in/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/sign-in/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
        )
        page = self.client.get("/sign-in/two-factor/", name="two-factor page")
        token = CSRF.search(page.text).group(1)
        code = f"{TOTP(DEMO_KEY).token():06d}"
        self.client.post(
            "/sign-in/two-factor/", {"code": code, "csrfmiddlewaretoken": token}, name="two-factor"
        )


class Practitioner(Person):
    weight = 6
    email_pattern = "worker{n}@county.test"
    accounts = 3000

    @task(3)
    def my_cases(self):
        page = self.client.get("/cases/", name="my cases")
        ids = re.findall(r'href="/cases/(\d+)/"', page.text)
        if ids:
            self.client.get(f"/cases/{ids[0]}/", name="case page")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class FrontDoorOfficer(Person):
    weight = 3
    email_pattern = "frontdoor{n}@county.test"
    accounts = 20

    @task(3)
    def queue(self):
        self.client.get("/front-door/", name="triage queue")

    @task(2)
    def search(self):
        """Sent by POST (no name in the URL, earlyhelp/searches.py); the redirect to the
        results is followed, so the timing is the whole search."""
        if not getattr(self, "search_token", None):
            page = self.client.get("/front-door/people/", name="person search page")
            self.search_token = CSRF.search(page.text).group(1)
        self.client.post(
            "/front-door/people/",
            {"name": "Hargreeves", "csrfmiddlewaretoken": self.search_token},
            name="person search",
        )


class Manager(Person):
    weight = 1
    email_pattern = "manager-{n}@county.test"
    accounts = 12

    @task
    def dashboard(self):
        self.client.get("/reporting/dashboard/", name="dashboard")

    @task
    def cases(self):
        self.client.get("/cases/", name="cases in scope")
