"""Tell your story once (issue 12, point 3): the Early Help Assessment starts from what the
family's helpers already wrote (the requests behind the case, or the partner who started
early help), for the lead to edit; the decision page shows the whole request, open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from cases import services as case_services
from cases.models import Need
from tests import factories
from tests.conftest import signed_in
from tests.referrals import factories as referral_factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def referrer(school, district):
    return factories.UserFactory(full_name="Tom Barnes", agency=school, districts=[district])


def _consent(case, lead):
    parent = case.family.memberships.exclude(relationship="child").first().person
    case_services.consent_record(
        case=case,
        given_by=parent,
        given_on=TODAY,
        method="in_person",
        shared_with=[],
        acting_user=lead,
    )


def test_the_assessment_starts_from_every_request_behind_the_case(
    practitioner, front_door_officer, referrer, district, client
):
    needs = list(Need.objects.filter(active=True).order_by("pk")[:3])
    first = referral_factories.decided(
        referral_factories.matched(
            by=referrer,
            officer=front_door_officer,
            district=district,
            needs=needs[:2],
            support_requested="A parenting course in the evenings.",
        ),
        officer=front_door_officer,
        level_of_need=3,
        outcome="targeted",
        allocated_agency=practitioner.agency,
        lead_professional=practitioner,
    )
    case = first.case
    referral_factories.decided(
        referral_factories.matched(
            by=referrer,
            officer=front_door_officer,
            district=district,
            family=case.family,
            needs=needs[2:],
            worries="Now missing school on Mondays.",
            working_well="Gran helps after school.",
        ),
        officer=front_door_officer,
        level_of_need=3,
        outcome="add_to_case",
        case=case,
    )
    _consent(case, practitioner)
    assessment = services.assessment_start(case=case, acting_user=practitioner)
    story = assessment.content["family_history"]
    for words in (
        first.reference,
        "Lily is often late and hungry.",
        "Mum is keen to get help.",
        "A parenting course in the evenings.",
        "Now missing school on Mondays.",
        "Gran helps after school.",
        "Tom Barnes",
    ):
        assert words in story, words
    assert set(assessment.needs.all()) == set(needs)
    # The lead edits it: the editor opens with the story in the box.
    page = signed_in(client, practitioner).get(reverse("edit_assessment", args=[case.pk]))
    assert "Now missing school on Mondays." in page.content.decode()


def test_a_partner_started_case_starts_its_assessment_from_the_partners_words(school, district):
    teacher = factories.UserFactory(agency=school, districts=[district])
    case = case_services.case_start_by_partner(
        acting_user=teacher,
        district=district,
        address_line_1="4 Mill Lane",
        town="Amberford",
        postcode="ZZ1 4AB",
        people=[
            {
                "first_name": "Sam",
                "last_name": "Okoro",
                "date_of_birth": datetime.date(2016, 1, 5),
                "relationship": "child",
            },
            {
                "first_name": "Ada",
                "last_name": "Okoro",
                "date_of_birth": datetime.date(1988, 4, 1),
                "relationship": "parent",
            },
        ],
        consent={"given_by": 1, "given_on": TODAY, "method": "in_person"},
        level_of_need=2,
        reason="Sam has stopped eating lunch; mum asked us for help with money worries.",
    )
    assessment = services.assessment_start(case=case, acting_user=teacher)
    assert "Sam has stopped eating lunch" in assessment.content["family_history"]


def test_a_case_with_no_request_starts_an_empty_assessment(practitioner):
    case = factories.open_case(lead=practitioner, consent_agencies=[])
    assessment = services.assessment_start(case=case, acting_user=practitioner)
    assert assessment.content == {} and not assessment.needs.exists()


def test_the_decision_page_shows_the_whole_request_open(
    front_door_officer, referrer, district, client
):
    referral = referral_factories.matched(
        by=referrer,
        officer=front_door_officer,
        district=district,
        support_requested="A parenting course in the evenings.",
        family_consent="not_aware",
        no_consent_reason="Telling dad would put mum at risk.",
    )
    html = (
        signed_in(client, front_door_officer)
        .get(reverse("referral_decide", args=[referral.pk]))
        .content.decode()
    )
    for words in (
        "Lily is often late and hungry.",
        "Mum is keen to get help.",
        "A parenting course in the evenings.",
        "Telling dad would put mum at risk.",
    ):
        assert words in html, words
    assert "<details" not in html


def test_a_team_member_from_another_agency_reads_the_request_on_the_case_page(
    practitioner, front_door_officer, referrer, district, school, client
):
    case = referral_factories.decided(
        referral_factories.matched(by=referrer, officer=front_door_officer, district=district),
        officer=front_door_officer,
        level_of_need=3,
        outcome="targeted",
        allocated_agency=practitioner.agency,
        lead_professional=practitioner,
    ).case
    _consent(case, practitioner)
    case.consents.get().shared_with.add(school)
    nurse = factories.UserFactory(agency=school, districts=[district])
    case_services.taf_member_add(case=case, user=nurse, agency=school, acting_user=practitioner)
    html = signed_in(client, nurse).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Requests for support behind this case" in html
    assert "Lily is often late and hungry." in html
