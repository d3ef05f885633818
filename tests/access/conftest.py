"""The world the permission matrix runs in: one district in scope, one out, and cases in
each situation, with an actor for every role."""

import datetime
from dataclasses import dataclass

import pytest
from guardian.shortcuts import assign_perm

from assessments.services import assessment_start
from cases.models import BreakGlass
from partners.models import Role
from tests import factories


@dataclass
class World:
    actors: dict
    cases: dict  # situation -> EarlyHelpCase


SITUATIONS = ["in_scope", "out_of_scope", "restricted", "no_consent"]
ROLES = [
    "practitioner",
    "front_door",
    "team_manager",
    "partner_manager",
    "consultant",
    "strategic",
    "administrator",
    "administrator_break_glass",
]


@pytest.fixture
def world(db) -> World:
    district = factories.DistrictFactory(code="in", name="In District")
    elsewhere = factories.DistrictFactory(code="out", name="Out District")
    eh_team = factories.EarlyHelpTeamFactory(name="In Early Help Team")
    other_team = factories.EarlyHelpTeamFactory(name="Out Early Help Team")
    school = factories.AgencyFactory(name="In School")
    lead = factories.UserFactory(
        full_name="Lead Professional", agency=eh_team, districts=[district]
    )
    other_lead = factories.UserFactory(agency=other_team, districts=[elsewhere])

    def user(role, agency, districts, **extra):
        return factories.UserFactory(role=role, agency=agency, districts=districts, **extra)

    actors = {
        "practitioner": user(Role.PRACTITIONER, school, [district]),
        "front_door": user(Role.FRONT_DOOR, eh_team, [district, elsewhere]),
        "team_manager": user(Role.TEAM_MANAGER, eh_team, [district]),
        "partner_manager": user(Role.TEAM_MANAGER, school, [district]),
        "consultant": user(Role.CONSULTANT, eh_team, [district]),
        "strategic": user(Role.STRATEGIC, eh_team, [district, elsewhere]),
        "administrator": user(Role.ADMINISTRATOR, None, [], is_staff=True),
        "administrator_break_glass": user(Role.ADMINISTRATOR, None, [], is_staff=True),
    }
    consent = [eh_team, school]
    cases = {
        "in_scope": factories.open_case(lead=lead, consent_agencies=consent),
        "out_of_scope": factories.open_case(lead=other_lead, consent_agencies=[other_team]),
        "restricted": factories.open_case(
            lead=lead,
            consent_agencies=consent,
            family=factories.family_with_children(
                district=district,
                restricted=True,
                restricted_contact="the In District manager on 0300 000 0000",
            ),
        ),
        # Consent to the assessment, but to sharing with no other agency.
        "no_consent": factories.open_case(lead=lead, consent_agencies=[]),
    }
    # The school practitioner sits on the TAF of every in-district case. Where the family
    # has not consented to sharing with the school, the grant alone must not open the case.
    for situation in ("in_scope", "restricted", "no_consent"):
        assign_perm("cases.work_on_case", actors["practitioner"], cases[situation])
    cases["restricted"].family.named_people.add(lead)
    for case in cases.values():
        assessment_start(case=case, acting_user=case.lead_professional)
    for situation, case in cases.items():
        BreakGlass.objects.create(
            user=actors["administrator_break_glass"],
            family=case.family,
            reason=f"Subject access request for {situation}",
            expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        )
    return World(actors=actors, cases=cases)
