"""Load test: the three journeys at once against gunicorn on loopback.

    make loadtest      (50 users, 5 minutes; see the Makefile target)

Each simulated person signs in with their own county account (password + TOTP with the
demo key that `python -m bench run_benchmarks --prepare-only` gives the benchmark accounts).
"""

import itertools
import re

from django_otp.oath import TOTP
from locust import HttpUser, between, task

DEMO_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
PASSWORD = "demo-Early-help-2026"  # noqa: S105  (synthetic benchmark accounts)
_COUNTERS: dict[str, itertools.count] = {}
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
        self.client.get("/front-door/people/?name=Hargreeves", name="person search")


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
