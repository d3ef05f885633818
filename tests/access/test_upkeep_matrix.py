"""The permission matrix for keeping records true (issue 13): every new page and endpoint,
for every role and every situation of the record, with the exact status expected.

404 out of scope (guessing an id reveals nothing); 403 where the role has no business with
the page, where a record in scope is restricted, or where the user may read but not change.
"""

import pytest
from django.urls import reverse

from cases.codes import Relationship
from tests.access.conftest import ROLES, SITUATIONS
from tests.conftest import signed_in

OK, DENIED, HIDDEN = 200, 403, 404


def _child(case):
    return case.children.first()


def _parent_membership(case):
    return case.family.memberships.get(relationship=Relationship.PARENT)


# Pages for people who may work on the case (cases/upkeep_views.py).
EDIT_PAGES = {
    "person_edit": lambda c: reverse("person_edit", args=[_child(c).pk]),
    "record_birth": lambda c: reverse("record_birth", args=[_child(c).pk]),
    "family_edit": lambda c: reverse("family_edit", args=[c.family_id]),
    "family_move": lambda c: reverse("family_move", args=[c.family_id]),
    "family_transfer_out": lambda c: reverse("family_transfer_out", args=[c.family_id]),
    "member_add": lambda c: reverse("member_add", args=[c.family_id]),
    "member_remove": lambda c: reverse(
        "member_remove", args=[c.family_id, _parent_membership(c).pk]
    ),
}
EDIT_EXPECTED = {
    "practitioner": {
        "in_scope": OK,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": HIDDEN,
    },
    "front_door": dict.fromkeys(SITUATIONS, HIDDEN),
    "team_manager": {
        "in_scope": OK,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": OK,
    },
    "partner_manager": dict.fromkeys(SITUATIONS, HIDDEN),
    # Consultants read the record but do not change it.
    "consultant": {
        "in_scope": DENIED,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": DENIED,
    },
    "strategic": dict.fromkeys(SITUATIONS, DENIED),
    "administrator": dict.fromkeys(SITUATIONS, DENIED),
    "administrator_break_glass": dict.fromkeys(SITUATIONS, DENIED),
}

# Restricting and lifting: team managers in scope (restricted records too, so they can lift
# it) and administrators (by record number, without the child's details).
RESTRICTION_PAGES = {
    "person_restriction": lambda c: reverse("person_restriction", args=[_child(c).pk]),
    "family_restriction": lambda c: reverse("family_restriction", args=[c.family_id]),
}
RESTRICTION_EXPECTED = {
    "practitioner": dict.fromkeys(SITUATIONS, DENIED),
    "front_door": dict.fromkeys(SITUATIONS, DENIED),
    "team_manager": {"in_scope": OK, "out_of_scope": HIDDEN, "restricted": OK, "no_consent": OK},
    "partner_manager": dict.fromkeys(SITUATIONS, HIDDEN),
    "consultant": dict.fromkeys(SITUATIONS, DENIED),
    "strategic": dict.fromkeys(SITUATIONS, DENIED),
    "administrator": dict.fromkeys(SITUATIONS, OK),
    "administrator_break_glass": dict.fromkeys(SITUATIONS, OK),
}

# Merging and subject access: team managers, for people they may read.
MANAGER_PAGES = {
    "person_merge": lambda c: reverse("person_merge", args=[_child(c).pk]),
    "person_merges": lambda c: reverse("person_merges", args=[_child(c).pk]),
    "subject_access": lambda c: reverse("subject_access", args=[_child(c).pk]),
    "subject_access_json": lambda c: reverse(
        "subject_access_download", args=[_child(c).pk, "json"]
    ),
}
MANAGER_EXPECTED = {
    "practitioner": dict.fromkeys(SITUATIONS, DENIED),
    "front_door": dict.fromkeys(SITUATIONS, DENIED),
    "team_manager": {
        "in_scope": OK,
        "out_of_scope": HIDDEN,
        "restricted": DENIED,
        "no_consent": OK,
    },
    "partner_manager": dict.fromkeys(SITUATIONS, HIDDEN),
    "consultant": dict.fromkeys(SITUATIONS, DENIED),
    "strategic": dict.fromkeys(SITUATIONS, DENIED),
    "administrator": dict.fromkeys(SITUATIONS, DENIED),
    "administrator_break_glass": dict.fromkeys(SITUATIONS, DENIED),
}

PATCH_API = {
    "person": lambda c: (f"/api/v1/people/{_child(c).pk}/", _child(c).lock_version),
    "family": lambda c: (f"/api/v1/families/{c.family_id}/", c.family.lock_version),
}
PATCH_EXPECTED = {
    **EDIT_EXPECTED,
    # Administrators pass the API door (case data) but find no records without break glass,
    # and may never change one.
    "administrator": dict.fromkeys(SITUATIONS, HIDDEN),
}


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_every_new_page_and_endpoint_for_each_role_and_situation(client, world, role, situation):
    """One world per role and situation (building it is the slow part); every page and the
    PATCH endpoints are checked in it, and every mismatch is reported at once."""
    case = world.cases[situation]
    signed_in(client, world.actors[role])
    wrong = []
    for pages, expected_for in (
        (EDIT_PAGES, EDIT_EXPECTED),
        (RESTRICTION_PAGES, RESTRICTION_EXPECTED),
        (MANAGER_PAGES, MANAGER_EXPECTED),
    ):
        for name, url_for in sorted(pages.items()):
            expected = expected_for[role][situation]
            if name == "record_birth" and expected == OK:
                expected = 302  # the child is born already: back to the person page
            status = _status(client, url_for(case))
            if status != expected:
                wrong.append((name, status, expected))
    for name, target in sorted(PATCH_API.items()):
        url, lock_version = target(case)
        status = client.patch(
            url, {"lock_version": lock_version}, content_type="application/json"
        ).status_code
        if status != PATCH_EXPECTED[role][situation]:
            wrong.append((f"PATCH {name}", status, PATCH_EXPECTED[role][situation]))
    assert not wrong, (role, situation, wrong)


@pytest.mark.parametrize("role", ROLES)
def test_retention_page_is_for_team_managers_only(client, world, role):
    expected = OK if role in ("team_manager", "partner_manager") else DENIED
    signed_in(client, world.actors[role])
    assert _status(client, reverse("retention_list")) == expected
