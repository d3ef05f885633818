"""The permission matrix for every family outcomes page and endpoint: role × page → status.

403 where the role has no business with the page; 404 where the page is about a case out of
the user's scope. Anonymous callers are sent to sign in (pages) or refused (API)."""

import pytest
from django.urls import reverse

from outcomes import services
from partners.models import Role
from tests import factories
from tests.conftest import signed_in

OK, DENIED, HIDDEN = 200, 403, 404

ROLES = [
    "practitioner",
    "team_manager",
    "consultant",
    "strategic",
    "administrator",
    "programme_team",
    "internal_audit",
]


@pytest.fixture
def matrix(
    ready_case,
    practitioner,
    district_manager,
    consultant,
    strategic_viewer,
    administrator,
    programme_officer,
    auditor,
):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    services.claims_sample(period=claim.period, acting_user=auditor)
    services.claim_audit(claim=claim, acting_user=auditor, passed=True, notes="Checked.")
    batch = services.claim_batch_create(period=claim.period, acting_user=programme_officer)
    need = ready_case.programme.needs.first()
    administrator.is_superuser = True  # a superuser holds every permission: still no records
    administrator.save()
    actors = {
        "practitioner": practitioner,
        "team_manager": district_manager,
        "consultant": consultant,
        "strategic": strategic_viewer,
        "administrator": administrator,
        "programme_team": programme_officer,
        "internal_audit": auditor,
    }
    c = ready_case.pk
    pages = {
        "dashboard": reverse("outcomes_dashboard"),
        "programme families": reverse("programme_families"),
        "claims": reverse("claim_list"),
        "claim": reverse("claim_detail", args=[claim.pk]),
        "batch": reverse("claim_batch", args=[batch.pk]),
        "return": reverse("outcomes_return"),
        "return columns": reverse("return_columns"),
        "plan": reverse("outcomes_plan"),
        "new plan version": reverse("new_plan_version"),
        "case outcomes": reverse("case_outcomes", args=[c]),
        "add need": reverse("add_need", args=[c]),
        "record progress": reverse("record_progress", args=[c, need.pk]),
        "family hub": reverse("set_family_hub", args=[c]),
        "network meeting": reverse("add_network_meeting", args=[c]),
        "prepare claim": reverse("prepare_claim", args=[c]),
        "api families": "/api/v1/outcomes/families/?ready=true",
        "api claims": "/api/v1/outcomes/claims/",
    }
    return actors, pages


PROGRAMME_ONLY = {r: DENIED for r in ROLES} | {"programme_team": OK}
CLAIM_READERS = PROGRAMME_ONLY | {"internal_audit": OK}
# Recording on the case: the lead and the manager work on it; the consultant reads only;
# the auditor (no districts) cannot even see it; the programme team records data matches.
RECORDING = {
    "practitioner": OK,
    "team_manager": OK,
    "consultant": DENIED,
    "strategic": DENIED,
    "administrator": DENIED,
    "programme_team": OK,
    "internal_audit": HIDDEN,
}
EXPECTED = {
    "dashboard": {r: OK for r in ROLES} | {"practitioner": DENIED},
    "programme families": PROGRAMME_ONLY,
    "claims": CLAIM_READERS,
    "claim": CLAIM_READERS,
    "batch": CLAIM_READERS,
    "return": PROGRAMME_ONLY,
    "return columns": PROGRAMME_ONLY,
    "plan": PROGRAMME_ONLY | {"administrator": OK},
    "new plan version": {r: DENIED for r in ROLES} | {"administrator": OK},
    "case outcomes": RECORDING | {"consultant": OK},
    "add need": RECORDING,
    "record progress": RECORDING,
    "family hub": RECORDING,
    "network meeting": RECORDING,
    "prepare claim": PROGRAMME_ONLY,
    "api families": PROGRAMME_ONLY,
    "api claims": PROGRAMME_ONLY,
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_outcomes_permission_matrix(client, matrix, page):
    actors, pages = matrix
    got = {}
    for role in ROLES:
        client.logout()
        signed_in(client, actors[role])
        got[role] = client.get(pages[page]).status_code
    assert got == EXPECTED[page]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_signed_out_callers_get_nothing(client, matrix, page):
    _, pages = matrix
    response = client.get(pages[page])
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name,role_allowed",
    [("sample_claims", "internal_audit"), ("create_batch", "programme_team")],
)
def test_claim_actions_are_for_their_team_only(client, matrix, name, role_allowed):
    actors, _ = matrix
    for role in ROLES:
        client.logout()
        signed_in(client, actors[role])
        status = client.post(reverse(name), {"period": "2026-27"}).status_code
        assert status == (302 if role == role_allowed else 403), role


def test_a_practitioner_of_another_district_cannot_see_the_familys_outcomes(
    client, ready_case, other_district
):
    stranger = factories.UserFactory(
        role=Role.PRACTITIONER,
        agency=factories.EarlyHelpTeamFactory(),
        districts=[other_district],
    )
    signed_in(client, stranger)
    assert client.get(reverse("case_outcomes", args=[ready_case.pk])).status_code == 404
