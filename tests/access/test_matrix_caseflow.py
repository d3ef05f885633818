"""The permission matrix for the hand-over pages and endpoints of issue 12: allocation,
sign-off and step-up queues, for every role plus children's social care (in and out of the
district). 403 where the role has no business with the page; 404 for a record out of scope."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.access.conftest import ROLES
from tests.cases.factories import pending_step_up, social_care_worker, waiting_case
from tests.conftest import signed_in

OK, DENIED, HIDDEN = 200, 403, 404
ALL = [*ROLES, "social_care", "social_care_elsewhere"]


@pytest.fixture
def flow(world):
    lead = world.cases["in_scope"].lead_professional
    district = lead.districts.first()
    elsewhere = world.cases["out_of_scope"].district
    actors = dict(world.actors)
    actors["social_care"] = social_care_worker(district)
    actors["social_care_elsewhere"] = social_care_worker(elsewhere)
    waiting = waiting_case(team=lead.agency, queued_by=actors["front_door"], district=district)
    step = pending_step_up(lead=lead, case=world.cases["in_scope"])
    return {"actors": actors, "waiting": waiting, "step": step, "lead": lead}


def _only(allowed: dict, default=DENIED) -> dict:
    return {role: allowed.get(role, default) for role in ALL}


MANAGERS_ONLY = _only({"team_manager": OK, "partner_manager": OK})
PAGES = {
    "allocation_queue": (lambda f: reverse("allocation_queue"), MANAGERS_ONLY),
    "signoff_queue": (lambda f: reverse("signoff_queue"), MANAGERS_ONLY),
    "allocate_case": (
        lambda f: reverse("allocate_case", args=[f["waiting"].pk]),
        _only({"team_manager": OK, "partner_manager": HIDDEN}),
    ),
    "send_case_to_team": (
        lambda f: reverse("send_case_to_team", args=[f["waiting"].pk]),
        _only({"team_manager": OK, "partner_manager": HIDDEN}),
    ),
    "start_early_help": (
        lambda f: reverse("start_early_help"),
        _only({"practitioner": OK, "team_manager": OK, "partner_manager": OK}),
    ),
    "stepup_queue": (
        lambda f: reverse("stepup_queue"),
        _only({"social_care": OK, "social_care_elsewhere": OK}),
    ),
    "stepup_decide": (
        lambda f: reverse("stepup_decide", args=[f["step"].pk]),
        _only({"social_care": OK, "social_care_elsewhere": HIDDEN}),
    ),
}

# Case workers pass the API door; the case scope and may_allocate then hide the case.
CASE_API = _only(
    {
        "team_manager": OK,
        "practitioner": HIDDEN,
        "front_door": HIDDEN,
        "partner_manager": HIDDEN,
        "consultant": HIDDEN,
        "social_care": HIDDEN,
        "social_care_elsewhere": HIDDEN,
    }
)
API = {
    "eligible_leads": (lambda f: f"/api/v1/cases/{f['waiting'].pk}/eligible-leads/", CASE_API),
    "step_up": (
        lambda f: f"/api/v1/step-ups/{f['step'].pk}/",
        _only({"social_care": OK, "social_care_elsewhere": HIDDEN}),
    ),
    "step_ups": (
        lambda f: "/api/v1/step-ups/",
        _only({"social_care": OK, "social_care_elsewhere": OK}),
    ),
}


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_caseflow_page_matrix(client, flow, page, role):
    url, expected = PAGES[page]
    response = signed_in(client, flow["actors"][role]).get(url(flow))
    assert response.status_code == expected[role], (page, role)


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("endpoint", sorted(API))
def test_caseflow_api_read_matrix(flow, endpoint, role):
    url, expected = API[endpoint]
    response = signed_in(APIClient(), flow["actors"][role]).get(url(flow))
    assert response.status_code == expected[role], (endpoint, role)


@pytest.mark.parametrize("role", ALL)
def test_allocate_api_matrix(flow, role):
    response = signed_in(APIClient(), flow["actors"][role]).post(
        f"/api/v1/cases/{flow['waiting'].pk}/allocate/",
        {"lead_professional": flow["lead"].pk},
        format="json",
    )
    assert response.status_code == CASE_API[role], role
    flow["waiting"].refresh_from_db()
    assert (flow["waiting"].status == "open") == (CASE_API[role] == OK)


@pytest.mark.parametrize("role", ALL)
def test_step_up_decision_api_matrix(flow, role):
    expected = _only({"social_care": OK, "social_care_elsewhere": HIDDEN})[role]
    response = signed_in(APIClient(), flow["actors"][role]).post(
        f"/api/v1/step-ups/{flow['step'].pk}/decline/", {"reason": "Below threshold"}, format="json"
    )
    assert response.status_code == expected, role
    flow["step"].refresh_from_db()
    assert (flow["step"].status == "declined") == (expected == OK)
