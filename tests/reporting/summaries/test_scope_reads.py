"""reporting.summaries.scope_reads (a user's filters over the summaries, read through
compiled reads) gives exactly the filters the access rules give, resolved as figures did
before: the same Q, so the same figures and the same cache keys, for every role."""

import pytest

from cases.access import case_columns_visible_to
from referrals.access import referral_columns_visible_to
from reporting.summaries import scope_reads
from reporting.summaries.figures import _resolved
from tests.access.conftest import ROLES

COMPILED = ["practitioner", "front_door", "team_manager", "partner_manager", "consultant"]


def _expected(user):
    cases = case_columns_visible_to(user, case_id="case_id")
    referrals = referral_columns_visible_to(user)
    return (
        None if cases is None else _resolved(cases),
        None if referrals is None else _resolved(referrals),
    )


def _actors(world):
    # The lead is named on the restricted family: their filter lists a named family.
    return {**world.actors, "lead": world.cases["restricted"].lead_professional}


@pytest.mark.parametrize("role", [*ROLES, "lead"])
def test_the_compiled_filters_are_the_access_rules_filters(world, role):
    user = _actors(world)[role]
    compiled = scope_reads.filters_for(user, {})
    if role in [*COMPILED, "lead"]:
        assert compiled == _expected(user)
    else:  # no agency, or no records at all: read through the ORM
        assert compiled is None


def test_the_filters_hold_the_users_own_ids(world):
    """Not vacuous: the values read are the user's districts, cases and named families."""
    lead = world.cases["restricted"].lead_professional
    cases, referrals = scope_reads.filters_for(lead, {})
    text = repr(cases)
    assert str(world.cases["in_scope"].pk) in text
    assert str(world.cases["restricted"].family_id) in text
    manager = world.actors["team_manager"]
    district = manager.districts.get()
    assert f"'district_id__in', [{district.pk}]" in repr(scope_reads.filters_for(manager, {})[0])
    partner = world.actors["partner_manager"]
    assert f"'lead_agency_id', {partner.agency_id}" in repr(scope_reads.filters_for(partner, {})[0])
    assert f"'created_by_id', {lead.pk}" in repr(referrals)


def test_one_read_serves_both_filters(world, django_assert_num_queries):
    """The manager's districts are read once for the case and the request filter; their
    own cases and named families once each."""
    manager = world.actors["team_manager"]
    expected, reads = _expected(manager), {}
    with django_assert_num_queries(3):
        assert scope_reads.filters_for(manager, reads) == expected
    with django_assert_num_queries(0):
        assert scope_reads.filters_for(manager, reads) == expected
