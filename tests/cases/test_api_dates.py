"""A date typed into the API outside 1900-2099 (year 1, year 9999: a slip of the keyboard) is
refused as the pages refuse it: a 400 naming the field, with the page's words, and nothing
stored. Dates are the casework API's: starting early help, a person's record, a case note, a
plan action, a TAF meeting and a closure."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.models import MeetingStatus, PlanAction
from cases.models import CaseStatus, ChronologyEntry, ChronologyKind, EarlyHelpCase
from tests import factories
from tests.cases.test_partner_start import body as start_body
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SLIPS = ["0001-01-01", "9999-12-31"]


def api_as(user) -> APIClient:
    return signed_in(APIClient(), user)


def between(label: str) -> list[str]:
    return [f"{label} must be between 1900 and 2099"]


@pytest.fixture
def planned_case(practitioner):
    """An open case with a plan of one outcome and its first TAF meeting scheduled today."""
    case = factories.open_case(
        lead=practitioner,
        opened_on=TODAY - datetime.timedelta(days=30),
        consent_agencies=[practitioner.agency],
    )
    case.plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    case.outcome = assessment_services.outcome_add(
        plan=case.plan, acting_user=practitioner, text="Calmer mornings", baseline_scaling=3
    )
    case.meeting = assessment_services.meeting_schedule(
        case=case, acting_user=practitioner, scheduled_for=TODAY
    )
    return case


@pytest.mark.parametrize("day", SLIPS)
def test_a_plan_action_due_outside_the_calendar_is_refused(practitioner, planned_case, day):
    response = api_as(practitioner).post(
        f"/api/v1/plans/{planned_case.plan.pk}/actions/",
        {"outcome": planned_case.outcome.pk, "what": "Walk to school", "owner": "family"}
        | {"due_on": day},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"due_on": between("Date it is due by")}
    assert not PlanAction.objects.filter(outcome=planned_case.outcome).exists()


@pytest.mark.parametrize("day", SLIPS)
def test_a_meeting_moved_or_held_outside_the_calendar_is_refused(practitioner, planned_case, day):
    api = api_as(practitioner)
    url = f"/api/v1/reviews/{planned_case.meeting.pk}"
    moved = api.post(
        f"{url}/reschedule/", {"scheduled_for": day, "reason": "Mum is ill"}, format="json"
    )
    assert moved.status_code == 400
    assert moved.json() == {"scheduled_for": between("New date of the meeting")}
    held = api.post(f"{url}/record/", {"held_on": day, "decision": "continue"}, format="json")
    assert held.status_code == 400
    assert held.json() == {"held_on": between("Date the meeting was held")}
    next_review = api.post(
        f"{url}/record/",
        {"held_on": TODAY.isoformat(), "decision": "continue", "next_review_on": day},
        format="json",
    )
    assert next_review.status_code == 400
    assert next_review.json() == {"next_review_on": between("Date of the next review")}
    planned_case.meeting.refresh_from_db()
    assert planned_case.meeting.status == MeetingStatus.SCHEDULED
    assert planned_case.meeting.scheduled_for == TODAY


@pytest.mark.parametrize("day", SLIPS)
def test_a_closure_dated_outside_the_calendar_is_refused(practitioner, case, day):
    response = api_as(practitioner).post(
        "/api/v1/closures/",
        {"case": case.pk, "reason": "needs_met", "closed_on": day, "family_view": "improved"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"closed_on": between("Closure date")}
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize("day", SLIPS)
def test_a_person_born_outside_the_calendar_is_refused(practitioner, child, day):
    born = child.date_of_birth
    response = api_as(practitioner).patch(
        f"/api/v1/people/{child.pk}/", {"lock_version": 1, "date_of_birth": day}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"date_of_birth": between("Date of birth")}
    child.refresh_from_db()
    assert (child.date_of_birth, child.lock_version) == (born, 1)


@pytest.mark.parametrize("day", SLIPS)
def test_starting_early_help_with_a_date_outside_the_calendar_is_refused(school, district, day):
    dsl = factories.UserFactory(full_name="Dee Safeguard", agency=school, districts=[district])
    api = api_as(dsl)
    data = start_body(district)
    data["consent"]["given_on"] = day
    response = api.post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"consent": {"given_on": between("Date consent was given")}}
    data = start_body(district)
    data["people"][0]["date_of_birth"] = day
    response = api.post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    said = response.json()["people"]["0"]["date_of_birth"]  # with the age rule's, as on the page
    assert between("Date of birth")[0] in said
    assert not EarlyHelpCase.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "2100-01-01T09:30:00Z"])
def test_a_case_note_about_a_day_outside_the_calendar_is_refused(practitioner, case, moment):
    """A note dated in year 1 was kept, first in the chronology."""
    response = api_as(practitioner).post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"text": "Rang mum.", "occurred_at": moment},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"occurred_at": between("Date it happened")}
    assert not ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.NOTE).exists()
