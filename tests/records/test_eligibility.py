"""A young person aged 18 or over: eligible only with SEND (to 25) or as a care leaver, with
a clear cue at triage (issue 13, point 2)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import eligibility
from cases.codes import Relationship, SenStatus
from referrals.models import ReferralPerson
from tests.conftest import signed_in
from tests.referrals import factories as requests

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _born_years_ago(years: int) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=10)


@pytest.mark.parametrize(
    ("age", "sen", "care_leaver", "eligible"),
    [
        (17, SenStatus.NONE, False, True),
        (19, SenStatus.NONE, False, False),
        (19, SenStatus.EHC_PLAN, False, True),
        (24, SenStatus.NONE, True, True),
        (26, SenStatus.EHC_PLAN, True, False),
    ],
)
def test_over_18_only_with_send_to_25_or_as_a_care_leaver(age, sen, care_leaver, eligible):
    problem = eligibility.over_18_problem(
        date_of_birth=_born_years_ago(age),
        sen_status=sen,
        disabilities=[],
        care_leaver=care_leaver,
        today=TODAY,
    )
    assert (problem is None) == eligible


def test_the_front_door_sees_a_cue_for_a_19_year_old_at_triage(
    client, front_door_officer, district
):
    referral = requests.submitted(
        by=front_door_officer,
        district=district,
        people=[
            requests.person("Jordan", dob=_born_years_ago(19)),
            requests.person(
                "Dawn", relationship=Relationship.PARENT, dob=datetime.date(1980, 2, 3)
            ),
        ],
    )
    assert ReferralPerson.objects.filter(referral=referral, first_name="Jordan").exists()
    text = (
        signed_in(client, front_door_officer)
        .get(reverse("referral_detail", args=[referral.pk]))
        .content.decode()
    )
    assert "Jordan Marsh is 19" in text
    assert "care leaver" in text
    assert "Dawn Marsh is" not in text
