"""Issue 17, point 6: no request, however malformed, gets a 500.

Two sweeps: every URL pattern with out-of-range, zero, text and existing ids in the path and
malformed values for every query parameter the views read; and a bounded schemathesis run
(positive and negative data) over the OpenAPI schema. On today's code the sweep finds the
two reported 500s (an assessment version of a case with no assessment; a dashboard
drill-down with a level that does not exist)."""

import json
import re
import time
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from earlyhelp.models import ApiScope
from partners import service_accounts
from partners.models import Role
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a PostgreSQL bigint
QUERY_NAMES = [
    "a", "b", "action", "agency", "cursor", "date_of_birth", "district", "district__code",
    "end", "figure", "format", "identifier", "in_district", "kind", "lead_agency", "level",
    "level_of_need", "name", "next", "nhs_number", "overdue", "page", "page_size", "postcode",
    "quarter", "record_id", "record_type", "start", "state", "status", "step_down",
    "take_over", "upn", "urgency", "user", "version", "worker",
]  # fmt: skip
# The first two sets leave out `figure`, so views with a default for it still read the
# other values (a drill-down's level, for one); the third sends it malformed too.
QUERIES = [
    {name: "-1" for name in QUERY_NAMES if name != "figure"},
    {name: HUGE for name in QUERY_NAMES if name != "figure"},
    {**{name: "not a value" for name in QUERY_NAMES}, "start": "2026-13-45", "end": "31/02/2026"},
    # A NUL (PostgreSQL stores none in text) and dates at the ends of the calendar.
    {**{name: f"\x00{name}" for name in QUERY_NAMES}, "start": "0001-01-01", "end": "9999-12-31"},
]
# Form data for every page's POST: the query names and the form fields people type into.
FORM_NAMES = [
    *QUERY_NAMES, "text", "reason", "summary", "note", "title", "worries", "first_name",
    "last_name", "email", "comment", "decision", "occurred_on", "held_on", "closed_on",
]  # fmt: skip
FORMS = [
    {name: f"\x00{name}\x00" for name in FORM_NAMES},
    {**{name: "-1" for name in FORM_NAMES}, "occurred_on": "0001-01-01", "held_on": "9999-12-31"},
]


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespaces


def _fill(route: str, number: str, text: str) -> str | None:
    """The route with every parameter filled in; None if it does not resolve."""
    path = re.sub(r"<int:\w+>", number, route)
    path = re.sub(r"<(?:str|slug|path):\w+>", text, path)
    path = re.sub(r"<drf_format_suffix:\w+>", ".json", path)
    path = re.sub(r"\(\?P<format>[^)]*\)", "json", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", number, path)
    path = "/" + path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def _server_errors(client: Client, routes, existing_id: int, variants: int = 4) -> list[str]:
    """GET each route four ways: an existing record's id, ids beyond bigint, zero or text,
    and the existing id again, each with one set of malformed query values."""
    failures = []
    values = [(str(existing_id), "csv"), (HUGE, "x" * 120), ("0", "0"), (str(existing_id), "")]
    values = values[:variants]
    for route in routes:
        for (number, text), query in zip(values, QUERIES, strict=False):
            path = _fill(route, number, text)
            if path is None:
                continue
            for url in (f"{path}?{urlencode(query)}",):
                try:
                    with transaction.atomic():  # a failed request leaves the rest usable
                        status = client.get(url).status_code
                except Exception as error:  # a 500 as the test client raises it
                    failures.append(f"{url[:120]}: {type(error).__name__}: {error}"[:300])
                    continue
                if status >= 500:
                    failures.append(f"{url[:120]}: {status}")
    return failures


def test_the_two_reported_server_errors_are_not_found_pages(client, practitioner, district_manager):
    """An assessment version of a case with no assessment, and a dashboard drill-down by a
    level of need that does not exist, were 500s."""
    case = factories.open_case(lead=practitioner)
    signed_in(client, practitioner)
    assert client.get(f"/cases/{case.pk}/assessment/versions/1/").status_code == 404
    signed_in(client, district_manager)
    for level in ("9", "-1", HUGE):
        response = client.get("/reporting/dashboard/cases/", {"level": level})
        assert response.status_code == 404


def test_every_url_pattern_survives_malformed_path_and_query_values(
    practitioner, district_manager, front_door_officer, consultant, administrator
):
    case = factories.open_case(lead=practitioner)  # no assessment yet: the reported 500
    routes = list(_walk(get_resolver().url_patterns))
    site = [r for r, spaces in routes if "admin" not in spaces and not r.startswith("sign-out")]
    admin = [r for r, spaces in routes if "admin" in spaces and "logout" not in r]
    started = time.monotonic()
    failures = []
    for user in (practitioner, district_manager, front_door_officer, consultant):
        failures += _server_errors(signed_in(Client(), user), site, case.pk)
    failures += _server_errors(signed_in(Client(), administrator), admin, case.pk, variants=2)
    failures += _server_errors(Client(), site, case.pk, variants=1)  # signed out
    assert not failures, "\n".join(failures)
    print(f"URL sweep: {time.monotonic() - started:.1f}s")  # noqa: T201


def test_no_page_fails_on_a_nul_or_an_extreme_date_in_its_form_data(practitioner, district_manager):
    """Every page's POST, on a case its lead and manager can work on, with each typed field
    holding a NUL (dropped before any view reads it: earlyhelp.middleware) or a date at an
    end of the calendar, and every other name malformed."""
    case = factories.open_case(lead=practitioner)
    routes = [
        route
        for route, spaces in _walk(get_resolver().url_patterns)
        if "admin" not in spaces and not route.startswith("sign-out")
    ]
    failures = []
    for user in (practitioner, district_manager):
        client = signed_in(Client(), user)
        for route in routes:
            path = _fill(route, str(case.pk), "csv")
            for data in FORMS if path else ():
                try:
                    with transaction.atomic():  # a failed request leaves the rest usable
                        status = client.post(path, data).status_code
                except Exception as error:  # a 500 as the test client raises it
                    failures.append(f"POST {path}: {type(error).__name__}: {error}"[:300])
                    continue
                if status >= 500:
                    failures.append(f"POST {path}: {status}")
    assert not failures, "\n".join(failures)


def test_a_nul_typed_into_a_note_is_dropped_and_the_note_saved(client, practitioner):
    case = factories.open_case(lead=practitioner)
    response = signed_in(client, practitioner).post(
        f"/cases/{case.pk}/notes/add/", {"kind": "home_visit", "text": "Saw\x00 Sam at home"}
    )
    assert response.status_code == 302
    assert case.chronology.get(kind="home_visit").text == "Saw Sam at home"


def test_schemathesis_finds_no_server_error_in_the_api(district, eh_team, administrator):
    """A bounded run: a few positive and negative examples per operation, as a partner
    system (service-account token) at the front door and as a manager."""
    generator = SchemaGenerator()
    raw = json.loads(json.dumps(generator.get_schema(request=None, public=True), default=str))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = WSGIHandler()
    tokens = []
    for role in (Role.FRONT_DOOR, Role.TEAM_MANAGER):
        account = service_accounts.service_account_create(
            acting_user=administrator,
            email=f"{role}@system.example.test",
            system_name=f"Partner system ({role})",
            agency=eh_team,
            role=role,
            districts=[district],
        )
        tokens.append(
            service_accounts.api_token_issue(
                account=account, acting_user=administrator, scope=ApiScope.READ_WRITE
            )[1]
        )
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # As Django's test client does: requests in the test's transaction must not close its
    # database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        _fuzz(operations, tokens, failures)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert not failures, "\n".join(failures[:20])


def _fuzz(operations, tokens, failures) -> None:
    assert len(operations) > 20
    started = time.monotonic()
    # Valid data as the front door's system, invalid data as a manager's: two roles, a
    # bounded number of examples each (about 300 calls in all).
    for operation in operations:
        for mode, key in zip(
            (GenerationMode.POSITIVE, GenerationMode.NEGATIVE), tokens, strict=True
        ):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=5,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                with transaction.atomic():  # a failed request leaves the rest usable
                    # call() runs at once, inside this iteration: `key` is the current one.
                    response = case.call(headers={"Authorization": f"Token {key}"})  # noqa: B023
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"
                    )

            try:
                call()
            except Unsatisfiable:
                continue  # no negative data exists for an operation without inputs
    print(f"schemathesis: {len(operations)} operations in {time.monotonic() - started:.1f}s")  # noqa: T201
