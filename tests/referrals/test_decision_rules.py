"""The triage decision holds its level of need and its outcome to each other, and allocates
only where its outcome may: the rule is referrals.rules and referrals.services, and the page
and the API refuse alike, by field, keeping what was typed and storing nothing."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import CaseStatus, EarlyHelpCase
from partners.models import AgencyKind, Role
from referrals import services
from referrals.models import Outcome, ReferralStatus, TriageDecision
from tests import factories
from tests.cases.factories import social_care_worker
from tests.conftest import signed_in
from tests.referrals.factories import matched

pytestmark = pytest.mark.django_db

RATIONALE = "Worries about school attendance and a cold, damp flat."


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def social_care(district):
    agency = factories.AgencyFactory(
        name="Demoshire Children's Social Care", kind=AgencyKind.SOCIAL_CARE
    )
    agency.districts.add(district)
    return agency


@pytest.fixture
def social_worker(social_care, district):
    return factories.UserFactory(full_name="Sian Pryce", agency=social_care, districts=[district])


@pytest.fixture
def adult_services(district):
    agency = factories.AgencyFactory(
        name="Demoshire Adult Social Care", kind=AgencyKind.ADULT_SERVICES
    )
    agency.districts.add(district)
    return agency


@pytest.fixture
def programme_team(district):
    """The council's family outcomes programme team: consultants, who lead no cases."""
    team = factories.EarlyHelpTeamFactory(name="Demoshire Family Outcomes Team")
    team.districts.add(district)
    factories.UserFactory(
        full_name="Grace Mensah", role=Role.CONSULTANT, agency=team, districts=[district]
    )
    return team


@pytest.fixture
def teacher_lead(school, district):
    return factories.UserFactory(full_name="Tess Okoro", agency=school, districts=[district])


def _nothing_stored(referral) -> None:
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE
    assert not TriageDecision.objects.filter(referral=referral).exists()
    assert not EarlyHelpCase.objects.exists()


def _decide(referral, officer, **kwargs):
    return services.referral_decide(
        referral=referral,
        acting_user=officer,
        expected_version=referral.version,
        rationale=RATIONALE,
        **kwargs,
    )


# --- 1. Level of need and outcome ----------------------------------------------------------

WRONG_LEVELS = [
    (Outcome.UNIVERSAL_PLUS, 4, "A Universal Plus allocation must be at level 2 (Universal Plus)"),
    (Outcome.UNIVERSAL_PLUS, 1, "A Universal Plus allocation must be at level 2 (Universal Plus)"),
    (
        Outcome.TARGETED,
        2,
        "A targeted early help allocation must be at level 3 (Targeted / intensive)",
    ),
    (Outcome.STEP_UP, 3, "A step up to children's social care must be at level 4 (Statutory)"),
    (
        Outcome.NO_FURTHER_ACTION,
        4,
        "At level 4 (Statutory) the outcome must be a step up to children's social care",
    ),
    (
        Outcome.SIGNPOSTING,
        4,
        "At level 4 (Statutory) the outcome must be a step up to children's social care",
    ),
]


def _outcome_input(outcome, *, school, eh_team) -> dict:
    """What each outcome needs besides the level, so only the level is wrong."""
    return {
        Outcome.UNIVERSAL_PLUS: {"allocated_agency": school},
        Outcome.TARGETED: {"allocated_agency": eh_team},
        Outcome.SIGNPOSTING: {"signposted_to": "Amberford Family Hub stay and play"},
    }.get(outcome, {})


@pytest.mark.parametrize("outcome, level, message", WRONG_LEVELS)
def test_the_service_refuses_an_outcome_at_a_level_it_does_not_stand_for(
    referrer, district, front_door_officer, school, eh_team, practitioner, outcome, level, message
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    with pytest.raises(services.DomainError) as refused:
        _decide(
            referral,
            front_door_officer,
            level_of_need=level,
            outcome=outcome,
            **_outcome_input(outcome, school=school, eh_team=eh_team),
        )
    assert refused.value.errors == {"level_of_need": message}
    _nothing_stored(referral)


def test_adding_to_an_open_case_is_at_an_early_help_level(
    referrer, district, front_door_officer, practitioner, eh_team
):
    case = factories.open_case(lead=practitioner)
    referral = matched(
        by=referrer, officer=front_door_officer, district=district, family=case.family
    )
    with pytest.raises(services.DomainError) as refused:
        _decide(
            referral,
            front_door_officer,
            level_of_need=1,
            outcome=Outcome.ADD_TO_OPEN_CASE,
            case=case,
        )
    assert refused.value.errors == {
        "level_of_need": "A request added to an open case must be at level 2 (Universal Plus) "
        "or 3 (Targeted / intensive)"
    }
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE
    assert not TriageDecision.objects.exists()
    assert not case.referrals.exists()


def test_a_statutory_request_is_added_only_to_a_case_social_care_has_taken_on(
    referrer, district, front_door_officer, practitioner
):
    case = factories.open_case(lead=practitioner)
    first = matched(by=referrer, officer=front_door_officer, district=district, family=case.family)
    with pytest.raises(services.DomainError) as refused:
        _decide(
            first,
            front_door_officer,
            level_of_need=4,
            outcome=Outcome.ADD_TO_OPEN_CASE,
            case=case,
        )
    assert refused.value.errors == {
        "level_of_need": "At level 4 (Statutory) the outcome must be a step up to children's "
        "social care"
    }
    step = case_services.step_up(case=case, acting_user=practitioner, reason="Risk at home")
    case_services.step_up_accept(step=step, acting_user=social_care_worker(district))
    case.refresh_from_db()
    assert (case.status, case.level_of_need) == (CaseStatus.STEPPED_UP, 4)
    decision = _decide(
        first, front_door_officer, level_of_need=4, outcome=Outcome.ADD_TO_OPEN_CASE, case=case
    )
    assert (decision.level_of_need, decision.case) == (4, case)


@pytest.mark.parametrize(
    "outcome, level",
    [
        (Outcome.NO_FURTHER_ACTION, 1),
        (Outcome.SIGNPOSTING, 2),
        (Outcome.UNIVERSAL_PLUS, 2),
        (Outcome.TARGETED, 3),
        (Outcome.STEP_UP, 4),
    ],
)
def test_each_outcome_is_recorded_at_the_level_it_stands_for(
    referrer, district, front_door_officer, school, eh_team, practitioner, outcome, level
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    decision = _decide(
        referral,
        front_door_officer,
        level_of_need=level,
        outcome=outcome,
        **_outcome_input(outcome, school=school, eh_team=eh_team),
    )
    assert (decision.outcome, decision.level_of_need) == (outcome, level)
    if decision.case is not None:
        assert decision.case.level_of_need == level


def test_the_page_refuses_a_statutory_universal_plus_allocation_by_field_keeping_what_was_typed(
    client, referrer, district, front_door_officer, school
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "4",
            "outcome": "universal_plus",
            "partner_agency": school.pk,
            "rationale": RATIONALE,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_level_of_need"' in page or 'href="#id_level_of_need_0"' in page
    assert re.search(
        r'id="id_level_of_need-error" class="govuk-error-message">.*?'
        r"A Universal Plus allocation must be at level 2 \(Universal Plus\)",
        page,
        re.S,
    )
    assert RATIONALE in page
    assert re.search(r'value="4" checked', page)
    _nothing_stored(referral)


def test_the_api_refuses_a_statutory_universal_plus_allocation_by_field(
    api, referrer, district, front_door_officer, school
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    signed_in(api, front_door_officer)
    response = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": referral.version,
            "level_of_need": 4,
            "outcome": "universal_plus",
            "allocated_agency": school.pk,
            "rationale": RATIONALE,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "level_of_need": ["A Universal Plus allocation must be at level 2 (Universal Plus)"]
    }
    _nothing_stored(referral)


# --- 2. What each outcome allocates to -----------------------------------------------------


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    return [
        label.strip()
        for value, label in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select[0])
        if value
    ]


def test_the_decision_page_offers_only_what_each_outcome_allocates_to(
    client,
    referrer,
    district,
    front_door_officer,
    school,
    eh_team,
    practitioner,
    social_worker,
    adult_services,
    programme_team,
    teacher_lead,
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    page = (
        signed_in(client, front_door_officer)
        .get(reverse("referral_decide", args=[referral.pk]))
        .content.decode()
    )
    assert _options(page, "partner_agency") == ["Amberford Primary School"]
    assert _options(page, "team") == ["Amberford Early Help Team"]
    leads = _options(page, "lead_professional")
    assert "Priya Shah (Amberford Early Help Team)" in leads
    assert "Tess Okoro (Amberford Primary School)" in leads
    assert not [lead for lead in leads if "Social Care" in lead or "Family Outcomes" in lead]


@pytest.mark.parametrize(
    "outcome, agency, message",
    [
        (
            Outcome.UNIVERSAL_PLUS,
            "social_care",
            "Universal Plus is not allocated to children's social care. Select a partner "
            "agency, or step up to children's social care",
        ),
        (
            Outcome.UNIVERSAL_PLUS,
            "adult_services",
            "Universal Plus is not allocated to adult services. Select a partner agency",
        ),
        (
            Outcome.UNIVERSAL_PLUS,
            "eh_team",
            "Universal Plus is not allocated to a council early help team. Select a partner "
            "agency, or allocate targeted early help to the team",
        ),
        (
            Outcome.TARGETED,
            "programme_team",
            "Select one of Amberford's early help teams for targeted early help",
        ),
        (
            Outcome.TARGETED,
            "school",
            "Select one of Amberford's early help teams for targeted early help",
        ),
    ],
)
def test_the_api_allocates_only_where_the_outcome_may(
    api, request, referrer, district, front_door_officer, practitioner, outcome, agency, message
):
    agency = request.getfixturevalue(agency)
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    signed_in(api, front_door_officer)
    response = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": referral.version,
            "level_of_need": 2 if outcome == Outcome.UNIVERSAL_PLUS else 3,
            "outcome": outcome,
            "allocated_agency": agency.pk,
            "rationale": RATIONALE,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"allocated_agency": [message]}
    _nothing_stored(referral)


def test_the_api_refuses_a_lead_from_another_agency_by_field(
    api, referrer, district, front_door_officer, eh_team, practitioner, teacher_lead
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    signed_in(api, front_door_officer)
    response = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": referral.version,
            "level_of_need": 3,
            "outcome": "targeted",
            "allocated_agency": eh_team.pk,
            "lead_professional": teacher_lead.pk,
            "rationale": RATIONALE,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "lead_professional": ["Tess Okoro does not work for Amberford Early Help Team"]
    }
    _nothing_stored(referral)


def test_the_page_refuses_a_lead_from_another_agency_next_to_the_lead(
    client, referrer, district, front_door_officer, eh_team, practitioner, teacher_lead
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "3",
            "outcome": "targeted",
            "team": eh_team.pk,
            "lead_professional": teacher_lead.pk,
            "rationale": RATIONALE,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        r'id="id_lead_professional-error" class="govuk-error-message">.*?'
        r"Tess Okoro does not work for Amberford Early Help Team",
        page,
        re.S,
    )
    assert RATIONALE in page
    _nothing_stored(referral)


def test_the_page_refuses_a_social_care_partner_it_never_offered(
    client, referrer, district, front_door_officer, social_care
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "2",
            "outcome": "universal_plus",
            "partner_agency": social_care.pk,
            "rationale": RATIONALE,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        r'id="id_partner_agency-error" class="govuk-error-message">.*?'
        r"Select a partner agency from the list",
        page,
        re.S,
    )
    _nothing_stored(referral)
