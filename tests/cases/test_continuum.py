"""Moving along the continuum (issue 12, point 8): every level change, whatever caused it,
is a chronology event in the authority's own words and a LevelOfNeedChange the indicators
count; the case list and the dashboard's drill-down show the authority's labels."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import ChronologyKind, LevelOfNeedChange
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LABELS = {2: "Getting help", 3: "Getting more help", 4: "Getting risk support"}


@pytest.fixture
def case(practitioner):
    return factories.open_case(
        lead=practitioner, opened_on=TODAY - datetime.timedelta(days=40), consent_agencies=[]
    )


def _level_events(case):
    return list(
        case.chronology.filter(
            kind=ChronologyKind.STATUS, title__startswith="Level of need changed"
        ).values_list("title", flat=True)
    )


def _add_request(case, officer, school, district, *, level_of_need):
    """A new request for the family, added to its open case at `level_of_need`."""
    from tests.referrals import factories as referral_factories

    referral_factories.decided(
        referral_factories.matched(
            by=factories.UserFactory(agency=school, districts=[district]),
            officer=officer,
            district=district,
            family=case.family,
        ),
        officer=officer,
        level_of_need=level_of_need,
        outcome="add_to_case",
        case=case,
    )


@override_settings(LEVEL_OF_NEED_LABELS=LABELS)
def test_a_front_door_decision_adding_a_request_moves_the_open_case_to_its_level(
    case, practitioner, front_door_officer, school, district
):
    _add_request(case, front_door_officer, school, district, level_of_need=3)
    case.refresh_from_db()
    assert case.level_of_need == 3
    change = case.level_changes.get()
    assert change.cause == LevelOfNeedChange.Cause.TRIAGE
    assert (change.level_before, change.level_after) == (2, 3)
    assert _level_events(case) == ["Level of need changed from Getting help to Getting more help"]


def test_a_request_added_at_the_same_level_changes_nothing(
    case, front_door_officer, school, district
):
    _add_request(case, front_door_officer, school, district, level_of_need=2)
    assert not case.level_changes.exists() and _level_events(case) == []


@override_settings(LEVEL_OF_NEED_LABELS=LABELS)
def test_a_step_up_accepted_and_a_step_down_are_level_events_in_the_chronology(
    case, practitioner, district
):
    from tests.cases.factories import social_care_worker

    step = case_services.step_up(case=case, acting_user=practitioner, reason="Risk at home")
    case_services.step_up_accept(step=step, acting_user=social_care_worker(district))
    case.refresh_from_db()
    case_services.step_down(
        case=case,
        acting_user=practitioner,
        occurred_on=TODAY,
        reason="Social care closed; early help carries on.",
        level_of_need=3,
    )
    assert sorted(_level_events(case)) == [
        "Level of need changed from Getting help to Getting risk support",
        "Level of need changed from Getting risk support to Getting more help",
    ]
    causes = set(case.level_changes.values_list("cause", flat=True))
    assert causes == {LevelOfNeedChange.Cause.STEP_UP, LevelOfNeedChange.Cause.STEP_DOWN}


@override_settings(LEVEL_OF_NEED_LABELS=LABELS)
def test_a_manual_change_reads_in_the_authoritys_words(case, practitioner, client):
    signed_in(client, practitioner).post(
        reverse("change_level_of_need", args=[case.pk]),
        {"level_of_need": 3, "reason": "Mum is not coping since dad left."},
    )
    assert _level_events(case) == ["Level of need changed from Getting help to Getting more help"]
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Level of need changed from Getting help to Getting more help" in page


@override_settings(LEVEL_OF_NEED_LABELS=LABELS)
def test_the_case_list_the_drill_down_and_the_api_show_the_authoritys_labels(
    case, practitioner, district_manager, client
):
    case_list = signed_in(client, practitioner).get(reverse("case_list")).content.decode()
    assert "Getting help" in case_list and "Universal Plus" not in case_list
    api = signed_in(APIClient(), practitioner).get(f"/api/v1/cases/{case.pk}/").json()
    assert api["level_label"] == "Getting help"
    drill = (
        signed_in(client, district_manager)
        .get(reverse("dashboard_cases"), {"figure": "open", "level": 2})
        .content.decode()
    )
    assert case.reference in drill
    assert "Getting help" in drill and "Universal Plus" not in drill
