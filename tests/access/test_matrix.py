"""The permission matrix: every role × every kind of record × in scope / out of scope /
restricted / no consent, for pages and for the API, with the exact status expected.

404 for anything out of scope, so guessing an ID reveals nothing; 403 only where the role
has no business with the page at all (the same answer for every ID) or where a record in
scope is restricted (the user is told whom to contact).
"""

import re

import pytest
from django.urls import reverse

from tests.access.conftest import ROLES, SITUATIONS
from tests.conftest import signed_in

OK, DENIED, HIDDEN = 200, 403, 404

# role -> situation -> status for a child's, family's or case's record.
EXPECTED = {
    "practitioner": {
        "in_scope": OK,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": HIDDEN,
    },
    # The front door searches identities; it opens records only once allocated to them.
    "front_door": dict.fromkeys(SITUATIONS, HIDDEN),
    "team_manager": {
        "in_scope": OK,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": OK,
    },
    # A partner agency's manager sees cases their agency leads: none of these.
    "partner_manager": dict.fromkeys(SITUATIONS, HIDDEN),
    "consultant": {"in_scope": OK, "out_of_scope": HIDDEN, "restricted": DENIED, "no_consent": OK},
    "strategic": dict.fromkeys(SITUATIONS, DENIED),
    "administrator": dict.fromkeys(SITUATIONS, HIDDEN),
    # Break glass opens the family for the administrator, restricted ones included: the
    # reason was recorded and is reviewed.
    "administrator_break_glass": {
        "in_scope": OK,
        "out_of_scope": OK,
        "restricted": DENIED,
        "no_consent": OK,
    },
}


def _child(case):
    return case.children.first()


RECORD_PAGES = {
    "person": lambda case: reverse("person_detail", args=[_child(case).pk]),
    "family": lambda case: reverse("family_detail", args=[case.family_id]),
    "case": lambda case: reverse("case_detail", args=[case.pk]),
    "assessment": lambda case: reverse("assessment_detail", args=[case.pk]),
    "family plan": lambda case: reverse("family_plan", args=[case.pk]),
}
RECORD_API = {
    "person": lambda case: f"/api/v1/people/{_child(case).pk}/",
    "family": lambda case: f"/api/v1/families/{case.family_id}/",
    "case": lambda case: f"/api/v1/cases/{case.pk}/",
    "assessment": lambda case: f"/api/v1/assessments/{case.assessment.pk}/",
}
# The casework API is for case workers and partner systems; administrators use break glass
# through the pages only, so the API door is closed to them whatever the record.
API_CLOSED_TO = {
    "case": {"administrator", "administrator_break_glass"},
    "assessment": {"administrator", "administrator_break_glass"},
}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("record", sorted(RECORD_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_matrix(client, world, role, record, situation):
    url = RECORD_PAGES[record](world.cases[situation])
    response = signed_in(client, world.actors[role]).get(url)
    assert response.status_code == EXPECTED[role][situation], (role, record, situation)


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("record", sorted(RECORD_API))
@pytest.mark.parametrize("role", ROLES)
def test_api_access_matrix(client, world, role, record, situation):
    url = RECORD_API[record](world.cases[situation])
    response = signed_in(client, world.actors[role]).get(url)
    expected = DENIED if role in API_CLOSED_TO.get(record, ()) else EXPECTED[role][situation]
    assert response.status_code == expected, (role, record, situation)


def test_a_made_up_id_looks_exactly_like_an_out_of_scope_one(client, world):
    practitioner = signed_in(client, world.actors["practitioner"])
    out_of_scope = practitioner.get(RECORD_PAGES["family"](world.cases["out_of_scope"]))
    missing = practitioner.get(reverse("family_detail", args=[99_999_999]))
    assert out_of_scope.status_code == missing.status_code == 404
    assert _without_tokens(out_of_scope) == _without_tokens(missing)


def _without_tokens(response) -> str:
    """The page less its per-request CSRF token and CSP nonce."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


def test_restricted_record_says_whom_to_contact_and_nothing_else(client, world):
    case = world.cases["restricted"]
    response = signed_in(client, world.actors["team_manager"]).get(RECORD_PAGES["family"](case))
    text = response.content.decode()
    assert "the In District manager on 0300 000 0000" in text
    assert case.family.name not in text
    assert case.family.postcode not in text


def test_named_person_sees_a_restricted_record(client, world):
    case = world.cases["restricted"]
    case.family.named_people.add(world.actors["team_manager"])
    response = signed_in(client, world.actors["team_manager"]).get(RECORD_PAGES["family"](case))
    assert response.status_code == 200


def test_api_lists_only_records_in_scope(client, world):
    response = signed_in(client, world.actors["practitioner"]).get("/api/v1/families/")
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world.cases["in_scope"].family_id}


def test_signed_out_api_callers_are_refused(client, world):
    assert client.get("/api/v1/people/").status_code in (401, 403)
