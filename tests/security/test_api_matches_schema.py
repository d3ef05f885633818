"""Every API response is what the OpenAPI schema (/api/schema/) says it is: the schema is the
contract outside systems are tested against.

One test loads the demo county (every role, restricted records, every case state) and calls
every GET of the schema as each demo user it lets in (lists with each filter value and their
next page, details of listed and restricted records), each write once with a valid body
(rolled back), and every operation for its documented errors (401, 404, 409, and 400: each
write with a body of wrong types, each GET whose query is checked with wrong values),
checking the JSON body against the operation's documented response with jsonschema.
An operation it cannot call with success is listed in NOT_CALLED with the reason, one
documenting a 400 it cannot be made to answer in NO_BAD_INPUT; a new operation that is
neither fails it."""

import datetime
import re
from urllib.parse import urlencode, urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import CaseStatus, ClosureReason, EarlyHelpCase, FamilyView
from partners.models import Role, User
from referrals.models import Referral
from reporting.models import EducationEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Operations ("METHOD /path") the test does not call, each with why (none today).
NOT_CALLED: dict[str, str] = {}

# Operations ("METHOD /path") documenting a 400 that no input of the caller's can cause,
# each with why; only an operation that takes no body may be listed.
NO_BAD_INPUT: dict[str, str] = {
    "POST /api/v1/cases/{id}/authorise-closure/": "Takes no body; a case with no closure "
    "awaiting authorisation is a 409.",
}

WRITES = ("POST", "PUT", "PATCH")

# Query parameters that are not filters: the cursor is followed from `next` instead.
PAGING = {"cursor", "page", "page_size"}


# --- OpenAPI 3.0 to JSON Schema ----------------------------------------------------------


def _json_schema(node):
    """An OpenAPI 3.0 schema object as JSON Schema (2020-12): `nullable` allows null, refs
    point into $defs, and an object with properties admits no property it does not list
    (an undocumented field is a gap in the contract too)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key in ("nullable", "readOnly", "writeOnly", "example", "discriminator"):
            continue
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _json_schema(sub) for name, sub in value.items()}
        else:
            out[key] = _json_schema(value)
    if "properties" in node and "additionalProperties" not in node:
        out["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _free_form(schema: dict) -> bool:
    """An object documented with no fields (OpenApiTypes.OBJECT): tells a client nothing."""
    described = ("properties", "$ref", "items", "oneOf", "anyOf", "allOf", "enum")
    return schema.get("type") == "object" and not any(key in schema for key in described)


def _is(parse):
    def check(value):
        if not isinstance(value, str):
            return True
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date")(_is(datetime.date.fromisoformat))
FORMATS.checks("date-time")(_is(datetime.datetime.fromisoformat))
FORMATS.checks("time")(_is(datetime.time.fromisoformat))


def _absolute_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(value)


FORMATS.checks("uri")(_is(_absolute_url))


class Contract:
    def __init__(self, schema: dict):
        self.schema = schema
        self.defs = {
            name: _json_schema(sub) for name, sub in schema["components"]["schemas"].items()
        }
        self.answered: dict[str, str] = {}  # operation -> a user it answered with a 2xx
        self.answered_at: dict[str, str] = {}  # operation -> the URL it answered it at
        self.refused: set[str] = set()  # operations checked answering a 400
        self.failures: list[str] = []
        self._seen: set[tuple] = set()

    def operations(self) -> list[str]:
        return [
            f"{method.upper()} {path}"
            for path, item in self.schema["paths"].items()
            for method in item
            if method in ("get", "post", "put", "patch", "delete")
        ]

    def operation(self, method: str, path: str) -> dict:
        return self.schema["paths"][path][method.lower()]

    def responses(self, operation: str) -> dict:
        return self.operation(*operation.split(" ", 1))["responses"]

    def parameters(self, operation: str) -> set[str]:
        """The names of the operation's query parameters."""
        found = self.operation(*operation.split(" ", 1)).get("parameters", [])
        return {p["name"] for p in found if p.get("in") == "query"}

    def takes_body(self, operation: str) -> bool:
        return "requestBody" in self.operation(*operation.split(" ", 1))

    def resolved(self, schema: dict) -> dict:
        """A schema with its $ref followed, and of a choice (oneOf: an enum, blank or null)
        the first that is not blank or null."""
        for key in ("allOf", "oneOf", "anyOf"):
            if key in schema:
                choices = [s for s in schema[key] if not _blank_or_null(self.resolved(s))]
                return self.resolved(choices[0])
        if "$ref" in schema:
            return self.resolved(
                self.schema["components"]["schemas"][schema["$ref"].split("/")[-1]]
            )
        return schema

    def check(self, method: str, path: str, response, *, who: str, url: str) -> None:
        """The response's body against the operation's response for its status."""
        key = f"{method} {path}"
        documented = self.operation(method, path)["responses"].get(str(response.status_code))
        where = f"{key} as {who} ({url}) -> {response.status_code}"
        if documented is None:
            self.failures.append(f"{where}: status not in the schema: {response.content[:300]}")
            return
        if response.status_code < 300:
            self.answered.setdefault(key, who)
            self.answered_at.setdefault(key, url)
        if response.status_code == 400:
            self.refused.add(key)
        content = documented.get("content")
        if content is None:
            if response.content:
                self.failures.append(f"{where}: schema says no body, got {response.content[:200]}")
            return
        documented_schema = content["application/json"]["schema"]
        if _free_form(documented_schema):
            self.failures.append(f"{where}: the schema does not describe this body's fields")
        schema = {**_json_schema(documented_schema), "$defs": self.defs}
        validator = jsonschema.Draft202012Validator(schema, format_checker=FORMATS)
        for error in validator.iter_errors(response.json()):
            at = "/".join("*" if isinstance(p, int) else str(p) for p in error.absolute_path)
            if (key, at, error.validator) in self._seen:
                continue  # one report for each mismatch, not one for each row
            self._seen.add((key, at, error.validator))
            self.failures.append(f"{where}: at /{at}: {error.message[:300]}")


# --- calling the API ---------------------------------------------------------------------


def _results(body) -> list:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return body if isinstance(body, list) else []


def _filter_values(parameter: dict, rows: list) -> list:
    """Values for a query parameter: every value of an enum or a boolean, else one taken from
    a listed record's field of that name (district__code from `district`)."""
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return list(schema["enum"])
    if schema.get("type") == "boolean":
        return ["true", "false"]
    field = parameter["name"].removesuffix("__code")
    for row in rows:
        if isinstance(row, dict) and row.get(field) not in (None, "", []):
            return [row[field]]
    return []


class Caller:
    def __init__(self, contract: Contract, users: list):
        self.contract = contract
        self.clients = {user.email: signed_in(APIClient(), user) for user in users}
        self.rows: dict[str, dict[str, list]] = {}  # list path -> user -> the rows they saw

    def get(self, email: str, path: str, url: str):
        """A GET, whatever it answers (a refusal too) checked against the schema."""
        response = self.clients[email].get(url)
        self.contract.check("GET", path, response, who=email, url=url)
        return response

    def list_path(self, path: str) -> None:
        """A list (or other GET without an id) as every user it lets in, with each filter
        value and the next page; remembers who saw which rows for the detail paths."""
        operation = self.contract.operation("GET", path)
        for email in self.clients:
            response = self.get(email, path, path)
            if response.status_code != 200:
                continue
            body = response.json()
            rows = _results(body)
            self.rows.setdefault(path, {})[email] = rows
            if isinstance(body, dict) and body.get("next"):
                self.get(email, path, body["next"] + "&page_size=2")
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query" or parameter["name"] in PAGING:
                    continue
                for value in _filter_values(parameter, rows):
                    self.get(email, path, f"{path}?{urlencode({parameter['name']: value})}")

    def detail_path(self, path: str, ids_from: str) -> None:
        """A path with {id} for a few of the rows each user's list gave (the first, and any
        restricted one: masking changes what a record shows)."""
        for email, rows in self.rows.get(ids_from, {}).items():
            chosen = rows[:2] + [r for r in rows if r.get("restricted")][:2]
            for row in chosen:
                self.get(email, path, path.replace("{id}", str(row["id"])))

    def rows_of(self, path: str, email: str, **where) -> list:
        """The rows `email` saw on the list at `path`, those with the given values."""
        rows = self.rows.get(path, {}).get(email, [])
        return [r for r in rows if all(r.get(k) == v for k, v in where.items())]

    def write(
        self, method: str, path: str, email: str, url: str, body=None, *, expect=(), before=None
    ):
        """A write as `email`, rolled back afterwards so every write starts from the demo
        county as loaded; its response checked against the schema. `expect`: the statuses
        it may answer (documented errors among them), else a 2xx. `before(client)`: the
        calls it needs first, in the same transaction; `body` may be made from what it
        returns."""
        client = self.clients[email]
        with transaction.atomic():
            if before is not None:
                made = before(client)
                body = body(made) if callable(body) else body
            call = getattr(client, method.lower())
            response = call(url, body, format="json") if body is not None else call(url)
            transaction.set_rollback(True)
        wanted = response.status_code in expect if expect else response.status_code < 300
        if not wanted:
            self.contract.failures.append(
                f"{method} {url} as {email}: {response.status_code} {response.content[:300]}"
            )
            return response
        self.contract.check(method, path, response, who=email, url=url)
        return response


# For each GET path with {id}: the list its ids come from, and a query narrowing that list
# to records the path is for.
IDS_FROM = {
    "/api/v1/cases/{id}/eligible-leads/": ("/api/v1/cases/", "?status=awaiting_allocation"),
    "/api/v1/triage/{id}/match/": ("/api/v1/triage/", ""),
}


def _demo_users() -> list:
    """The demo's sign-ins (README), one or two for each role; not the many team workers."""
    users = User.objects.filter(email__endswith="@demo.test", is_active=True).order_by("pk")
    return [user for user in users if not re.search(r"\d", user.email)]


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "anon": "100000/minute"},
    }
)
def test_every_api_response_matches_the_openapi_schema():
    call_command("load_demo_county", families=20, verbosity=0)
    users = _demo_users()
    assert {user.role for user in users} == set(Role.values)  # what each role is sent
    schema = signed_in(APIClient(), users[0]).get("/api/schema/?format=json").json()
    contract = Contract(schema)
    caller = Caller(contract, users)

    paths = [op.split(" ", 1)[1] for op in contract.operations() if op.startswith("GET ")]
    for path in paths:
        if "{" not in path:
            caller.list_path(path)
    for path in paths:
        if "{" not in path:
            continue
        if path in IDS_FROM:
            source, query = IDS_FROM[path]
            caller.rows[source + query] = {
                email: _results(caller.clients[email].get(source + query).json())
                for email in caller.rows.get(source, {})
            }
            caller.detail_path(path, source + query)
        else:
            caller.detail_path(path, re.sub(r"\{id\}/$", "", path))

    _writes(caller, contract)
    _errors(caller, contract)
    _bad_queries(caller, contract)
    _bad_input(caller, contract)

    # Covered: answered with success as the schema says (an error answer alone is not).
    missed = sorted(set(contract.operations()) - set(contract.answered) - set(NOT_CALLED))
    stale = sorted(set(NOT_CALLED) & set(contract.answered))
    assert not contract.failures, "\n".join(contract.failures[:40])
    assert not missed, f"operations no demo user could be checked on: {missed}"
    assert not stale, f"listed as not called, but checked: {stale}"
    # Every write documents a 400, and every documented 400 was answered and checked.
    writes = {op for op in contract.operations() if op.split(" ", 1)[0] in WRITES}
    undocumented = sorted(op for op in writes if "400" not in contract.responses(op))
    refusable = {op for op in contract.operations() if "400" in contract.responses(op)}
    unrefused = sorted(refusable - contract.refused - set(NO_BAD_INPUT))
    wrongly_listed = sorted(
        op for op in NO_BAD_INPUT if op in contract.refused or contract.takes_body(op)
    )
    assert not undocumented, f"writes with no 400 in the schema: {undocumented}"
    assert not unrefused, f"operations no bad input was checked on: {unrefused}"
    assert not wrongly_listed, (
        f"listed in NO_BAD_INPUT, but refused or taking a body: {wrongly_listed}"
    )


def _blank_or_null(schema: dict) -> bool:
    return schema.get("enum") in ([""], [None])


def _enum(contract: Contract, name: str) -> list:
    return contract.schema["components"]["schemas"][name]["enum"]


PRACTITIONER, MANAGER = "practitioner@demo.test", "manager@demo.test"
FRONT_DOOR, SOCIAL_CARE = "frontdoor@demo.test", "socialcare@demo.test"
OUTCOMES = "outcomes@demo.test"
ADMIN = "admin@demo.test"


def _workable_by(email: str) -> dict[str, set]:
    """The ids of the open cases `email` leads, their families and people: records the user
    may change (the lists also show them cases they led that are now closed)."""
    led = EarlyHelpCase.objects.filter(lead_professional__email=email, status=CaseStatus.OPEN)
    return {
        "cases": set(led.values_list("pk", flat=True)),
        "families": set(led.values_list("family_id", flat=True)),
        "people": set(led.values_list("family__memberships__person_id", flat=True)),
    }


def _writes(caller: Caller, contract: Contract) -> None:
    """One response each for the writes whose valid body is easy to build, on records the
    lists gave, each rolled back (Caller.write)."""
    today = datetime.date.today()
    soon = (today + datetime.timedelta(days=14)).isoformat()
    write = caller.write

    workable = _workable_by(PRACTITIONER)
    person = next(
        p
        for p in caller.rows_of("/api/v1/people/", PRACTITIONER, restricted=False)
        if p["id"] in workable["people"]
    )
    write(
        "PATCH",
        "/api/v1/people/{id}/",
        PRACTITIONER,
        f"/api/v1/people/{person['id']}/",
        {"lock_version": person["lock_version"], "preferred_name": "Sam"},
    )
    write(
        "PATCH",
        "/api/v1/people/{id}/",
        PRACTITIONER,
        f"/api/v1/people/{person['id']}/",
        {"lock_version": person["lock_version"] + 1, "preferred_name": "Sam"},
        expect=(409,),
    )
    family = next(
        f
        for f in caller.rows_of("/api/v1/families/", PRACTITIONER, restricted=False)
        if f["id"] in workable["families"]
    )
    write(
        "PATCH",
        "/api/v1/families/{id}/",
        PRACTITIONER,
        f"/api/v1/families/{family['id']}/",
        {"lock_version": family["lock_version"], "address_line_2": "Flat 2"},
    )

    case = caller.rows_of("/api/v1/cases/", PRACTITIONER, status="open")[0]
    write(
        "POST",
        "/api/v1/cases/{id}/notes/",
        PRACTITIONER,
        f"/api/v1/cases/{case['id']}/notes/",
        {"text": "Phoned mum: the school run is going better."},
    )
    write(
        "POST",
        "/api/v1/cases/",
        PRACTITIONER,
        "/api/v1/cases/",
        {
            "district": case["district"],
            "address_line_1": "4 Schema Row",
            "town": "Amberford",
            "postcode": family["postcode"],
            "people": [
                {
                    "first_name": "Ada",
                    "last_name": "Contractson",
                    "date_of_birth": "2018-05-04",
                    "relationship": "child",
                    "new_person": True,
                },
                {
                    "first_name": "Grace",
                    "last_name": "Contractson",
                    "date_of_birth": "1988-02-01",
                    "relationship": "parent",
                    "new_person": True,
                },
            ],
            "consent": {
                "given_by": 1,
                "given_on": today.isoformat(),
                "method": _enum(contract, "MethodEnum")[0],
            },
            "level_of_need": 2,
            "reason": "Mum asked for help with routines.",
        },
    )

    waiting = caller.rows_of("/api/v1/cases/", MANAGER, status="awaiting_allocation")
    waiting = waiting or caller.rows["/api/v1/cases/?status=awaiting_allocation"][MANAGER]
    leads = caller.clients[MANAGER].get(f"/api/v1/cases/{waiting[0]['id']}/eligible-leads/")
    write(
        "POST",
        "/api/v1/cases/{id}/allocate/",
        MANAGER,
        f"/api/v1/cases/{waiting[0]['id']}/allocate/",
        {"lead_professional": leads.json()[0]["id"]},
    )
    pending = caller.clients[MANAGER].get("/api/v1/cases/?status=closure_pending").json()
    closing = pending["results"][0]["id"]
    write(
        "POST",
        "/api/v1/cases/{id}/authorise-closure/",
        MANAGER,
        f"/api/v1/cases/{closing}/authorise-closure/",
    )
    write(
        "POST",
        "/api/v1/cases/{id}/return-closure/",
        MANAGER,
        f"/api/v1/cases/{closing}/return-closure/",
        {"reason": "Check the school's view first."},
    )

    write(
        "POST",
        "/api/v1/cases/{id}/authorise-closure/",
        MANAGER,
        f"/api/v1/cases/{caller.rows_of('/api/v1/cases/', MANAGER, status='open')[0]['id']}"
        "/authorise-closure/",
        expect=(409,),
    )

    step = caller.rows_of("/api/v1/step-ups/", SOCIAL_CARE, status="pending")[0]
    for decision in ("accept", "decline"):
        write(
            "POST",
            f"/api/v1/step-ups/{{id}}/{decision}/",
            SOCIAL_CARE,
            f"/api/v1/step-ups/{step['id']}/{decision}/",
            {"reason": "Threshold met." if decision == "accept" else "Below threshold."},
        )

    # A claim for a family ready to claim (201); one for a family that is not, or is claimed
    # already (400 with the reasons, or 409); and a case id that is not a number (400).
    ready = caller.clients[OUTCOMES].get("/api/v1/outcomes/families/?ready=true").json()
    programme = caller.rows["/api/v1/outcomes/families/"][OUTCOMES]
    not_ready = next(family for family in programme if family["state"] != "ready")
    claims = "/api/v1/outcomes/claims/"
    write("POST", claims, OUTCOMES, claims, {"case": ready["results"][0]["case"]})
    write("POST", claims, OUTCOMES, claims, {"case": not_ready["case"]}, expect=(400, 409))
    write("POST", claims, OUTCOMES, claims, {"case": "first"}, expect=(400,))

    _education_writes(caller, today)
    _assessment_writes(caller, contract)
    _plan_and_review_writes(caller, contract, soon)
    _request_writes(caller, contract, family)


def _education_writes(caller: Caller, today: datetime.date) -> None:
    """Education events as an administrator (the education system's service account sends
    the same): a new one (201), one the demo's feed sent already (200), and one for a UPN
    that is nobody's (400, by field)."""
    held = EducationEvent.objects.select_related("person").order_by("pk").first()
    sent = {"upn": held.person.upn, "kind": held.kind, "occurred_on": str(held.occurred_on)}
    url = "/api/v1/education-events/"
    caller.write("POST", url, ADMIN, url, [{**sent, "occurred_on": today.isoformat()}])
    caller.write("POST", url, ADMIN, url, sent, expect=(200,))
    caller.write("POST", url, ADMIN, url, [{**sent, "upn": "P801200120002"}], expect=(400,))


def _assessment_writes(caller: Caller, contract: Contract) -> None:
    draft = caller.rows_of("/api/v1/assessments/", PRACTITIONER, status="draft")[0]
    url = f"/api/v1/assessments/{draft['id']}/"
    lock = {"lock_version": draft["lock_version"]}
    caller.write(
        "POST",
        "/api/v1/assessments/{id}/draft/",
        PRACTITIONER,
        url + "draft/",
        {**lock, "content": {}},
    )
    stale = {"lock_version": draft["lock_version"] + 1}
    caller.write(
        "POST",
        "/api/v1/assessments/{id}/draft/",
        PRACTITIONER,
        url + "draft/",
        {**stale, "content": {}},
        expect=(409,),
    )
    caller.write("POST", "/api/v1/assessments/{id}/submit/", PRACTITIONER, url + "submit/", lock)
    submitted = caller.rows_of("/api/v1/assessments/", MANAGER, status="submitted")[0]
    for decision in ("sign-off", "return"):
        caller.write(
            "POST",
            f"/api/v1/assessments/{{id}}/{decision}/",
            MANAGER,
            f"/api/v1/assessments/{submitted['id']}/{decision}/",
            {"comment": "Thank you."},
        )


def _plan_and_review_writes(caller: Caller, contract: Contract, soon: str) -> None:
    cases = _workable_by(PRACTITIONER)["cases"]
    plan = next(
        p
        for p in caller.rows_of("/api/v1/plans/", PRACTITIONER)
        if p["outcomes"] and p["case_id"] in cases
    )
    outcome = plan["outcomes"][0]
    caller.write(
        "POST",
        "/api/v1/plans/{id}/actions/",
        PRACTITIONER,
        f"/api/v1/plans/{plan['id']}/actions/",
        {
            "outcome": outcome["id"],
            "what": "Try the bedtime chart",
            "owner": "family",
            "due_on": soon,
        },
    )
    worker, plan, action = next(
        (email, plan, action)
        for email in (PRACTITIONER, "teacher@demo.test", MANAGER)
        for plan in caller.rows_of("/api/v1/plans/", email)
        for outcome in plan["outcomes"]
        for action in outcome["actions"]
    )
    caller.write(
        "POST",
        "/api/v1/plans/{id}/actions/{action_id}/status/",
        worker,
        f"/api/v1/plans/{plan['id']}/actions/{action['id']}/status/",
        {"status": "done"},
    )
    today = datetime.date.today().isoformat()
    caller.write(
        "POST",
        "/api/v1/closures/",
        PRACTITIONER,
        "/api/v1/closures/",
        {
            "case": plan["case_id"],
            "reason": ClosureReason.NEEDS_MET,
            "closed_on": today,
            "family_view": FamilyView.IMPROVED,
            "outcome_results": [
                {"outcome": outcome["id"], "result": "achieved"} for outcome in plan["outcomes"]
            ],
        },
    )
    review = caller.rows_of("/api/v1/reviews/", PRACTITIONER, status="scheduled")[0]
    url = f"/api/v1/reviews/{review['id']}/"
    caller.write(
        "POST",
        "/api/v1/reviews/{id}/reschedule/",
        PRACTITIONER,
        url + "reschedule/",
        {"scheduled_for": soon, "reason": "The family is away that week."},
    )
    caller.write(
        "POST",
        "/api/v1/reviews/{id}/cancel/",
        PRACTITIONER,
        url + "cancel/",
        {"reason": "The family moved away."},
    )
    caller.write(
        "POST",
        "/api/v1/reviews/{id}/record/",
        PRACTITIONER,
        url + "record/",
        {
            "held_on": min(review["scheduled_for"], today),
            "decision": _enum(contract, "DecisionEnum")[0],
        },
    )


def _request_writes(caller: Caller, contract: Contract, family: dict) -> None:
    referrers = [e for e in caller.clients if e not in (FRONT_DOOR,)]
    body = {
        "referrer": {"name": "Pat Example", "role": "Class teacher"},
        "household": {
            "district": family["district"],
            "address_line_1": "9 Contract Lane",
            "town": "Amberford",
            "postcode": family["postcode"],
        },
        "people": [
            {
                "first_name": "Noor",
                "last_name": "Schemaly",
                "relationship": "child",
                "date_of_birth": "2017-03-02",
            }
        ],
        "worries": "Often late and tired.",
        "family_consent": _enum(contract, "FamilyConsentEnum")[0],
        "significant_harm": False,
    }
    caller.write("POST", "/api/v1/referrals/", referrers[0], "/api/v1/referrals/", body)
    queued = caller.rows["/api/v1/triage/"][FRONT_DOOR][0]
    caller.write(
        "POST",
        "/api/v1/triage/{id}/pick-up/",
        FRONT_DOOR,
        f"/api/v1/triage/{queued['id']}/pick-up/",
    )
    _triage_writes(caller, contract)
    caller.write(
        "POST",
        "/api/v1/referrals/{id}/close/",
        FRONT_DOOR,
        f"/api/v1/referrals/{queued['id']}/close/",
        {"reason": _enum(contract, "ReasonEnum")[0], "note": "Sent twice by mistake."},
    )


def _triage_writes(caller: Caller, contract: Contract) -> None:
    """Match and decide a request from the queue, picked up (and matched) first, each
    person a new one (the request's people with no NHS number: nothing to clash with)."""
    queued = next(
        row
        for row in caller.rows["/api/v1/triage/"][FRONT_DOOR]
        if not any(person["nhs_number"] for person in row["people"])
    )
    url = f"/api/v1/triage/{queued['id']}/"
    links = {
        "links": [{"referral_person": p["id"], "person": None} for p in queued["people"]],
        "family": None,
    }

    def picked_up(client) -> dict:
        response = client.post(url + "pick-up/?take_over=1")
        assert response.status_code == 200, response.content
        return response.json()

    def matched(client) -> dict:
        picked_up(client)
        response = client.post(url + "match/", links, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    caller.write(
        "POST", "/api/v1/triage/{id}/match/", FRONT_DOOR, url + "match/", links, before=picked_up
    )
    caller.write(
        "POST",
        "/api/v1/triage/{id}/decide/",
        FRONT_DOOR,
        url + "decide/",
        lambda referral: {
            "version": referral["version"],
            "level_of_need": 1,
            "outcome": "nfa",
            "rationale": "Universal services are meeting the family's needs.",
        },
        before=matched,
    )


def _errors(caller: Caller, contract: Contract) -> None:
    """The documented error answers: every operation refused to a caller with no session
    or token (401), and every one with an id given an id that is nobody's (404), as a
    user it answered before."""
    caller.clients["anonymous"] = APIClient()
    nobody = "2147483647"
    for operation in contract.operations():
        method, path = operation.split(" ", 1)
        url = re.sub(r"\{\w+\}", nobody, path)
        body = {} if method != "GET" else None
        caller.write(method, path, "anonymous", url, body, expect=(401,))
        who = contract.answered.get(operation)
        if "{" in path and who is not None:  # (None: in NOT_CALLED, or missed)
            caller.write(method, path, who, url, body, expect=(404,))
        elif method == "GET" and who is not None:  # a page of a list that does not exist
            paging = contract.parameters(operation) & {"cursor", "page"}
            for name, value in {"cursor": "not-a-cursor", "page": "999999"}.items():
                if name in paging:
                    caller.write(method, path, who, f"{path}?{name}={value}", expect=(404,))


# A value of the wrong type for an input of each type (an enum's: a code it does not list).
WRONG_TYPE = {
    "string": {"not": "text"},
    "integer": "one",
    "number": "one",
    "boolean": "maybe",
    "array": "not a list",
    "object": "not an object",
}


def _wrong_value(contract: Contract, schema: dict):
    schema = contract.resolved(schema)
    if "enum" in schema:
        return "no-such-code"
    return WRONG_TYPE[schema.get("type", "object")]


def _bad_input(caller: Caller, contract: Contract) -> None:
    """Every write with a body, sent one where every field has the wrong type, where it
    answered before: a 400 that names every field at once, as the schema says. A write
    with no body is refused in the one way it can be (_bad_input_without_a_body)."""
    for operation in contract.operations():
        method, path = operation.split(" ", 1)
        who, url = contract.answered.get(operation), contract.answered_at.get(operation)
        if method not in WRITES or who is None or not contract.takes_body(operation):
            continue
        content = contract.operation(method, path)["requestBody"]["content"]
        schema = contract.resolved(content["application/json"]["schema"])
        listed = schema.get("type") == "array"  # a list of records: one wrong record
        fields = contract.resolved(schema["items"]) if listed else schema
        wrong = {
            name: _wrong_value(contract, field)
            for name, field in fields["properties"].items()
            if not field.get("readOnly")
        }
        body = [wrong] if listed else wrong
        response = caller.write(method, path, who, url, body, expect=(400,))
        unnamed = []
        if response.status_code == 400:
            unnamed = sorted(set(wrong) - _named(response.json()))
        if unnamed:
            contract.failures.append(
                f"{operation}: a body of wrong types did not name {unnamed}: {response.json()}"
            )
    _bad_input_without_a_body(caller, contract)


def _named(errors: dict) -> set:
    """The fields a 400 names: its keys, or, for a list of records, the first record's."""
    for value in errors.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return set(value[0])
    return set(errors)


def _bad_input_without_a_body(caller: Caller, contract: Contract) -> None:
    """Picking up a request a colleague has picked up, without taking it over, is a 400
    that says who has it."""
    queued = next(
        row for row in caller.rows["/api/v1/triage/"][FRONT_DOOR] if row["picked_up_by"] is None
    )

    def picked_up_by_colleague(client) -> None:
        colleague = User.objects.get(email=MANAGER)
        Referral.objects.filter(pk=queued["id"]).update(
            picked_up_by=colleague, picked_up_at=timezone.now()
        )

    caller.write(
        "POST",
        "/api/v1/triage/{id}/pick-up/",
        FRONT_DOOR,
        f"/api/v1/triage/{queued['id']}/pick-up/",
        expect=(400,),
        before=picked_up_by_colleague,
    )


def _wrong_query_value(parameter: dict) -> str:
    """A value a query parameter of this type never takes (a string: a null character)."""
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return "no-such-code"
    if schema.get("format") in ("date", "date-time"):
        return "2999-02-30"
    return {"integer": "one", "number": "one", "boolean": "maybe"}.get(schema.get("type"), "\x00")


def _bad_queries(caller: Caller, contract: Contract) -> None:
    """Every GET's query parameters (besides paging), each with a wrong value, as a user it
    answered: the schema says what it answers (a 400, where the query is checked)."""
    for operation in contract.operations():
        method, path = operation.split(" ", 1)
        who, url = contract.answered.get(operation), contract.answered_at.get(operation)
        if method != "GET" or who is None:
            continue
        for parameter in contract.operation(method, path).get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in PAGING:
                continue
            query = urlencode({parameter["name"]: _wrong_query_value(parameter)})
            caller.get(who, path, f"{url.split('?')[0]}?{query}")
