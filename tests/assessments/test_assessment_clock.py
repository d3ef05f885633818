"""The assessment's clock runs from the case's start: starting the EHA late keeps the date
the work tray was already chasing, so the drift stays overdue on the case page, in the tray
and in the overdue list. While social care hold a stepped-up family the deadlines are
paused, and the case page says so instead of counting down."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import deadlines
from assessments import services as assessment_services
from assessments.models import Assessment
from cases import services as case_services
from earlyhelp.working_days import add_working_days
from tests import factories
from tests.cases.factories import accepted_step_up, social_care_worker
from tests.conftest import signed_in
from work.kinds import TrayKind
from work.tray import work_tray_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _page(client, user, case) -> str:
    response = signed_in(client, user).get(reverse("case_detail", args=[case.pk]))
    return html.unescape(response.content.decode())


def test_an_assessment_started_late_stays_due_from_the_case_start(practitioner, client):
    opened = TODAY - datetime.timedelta(days=60)
    case = factories.open_case(lead=practitioner, opened_on=opened, consent_agencies=[])
    due = add_working_days(opened, 20)
    (before,) = [
        i
        for i in work_tray_for(practitioner, today=TODAY).items
        if i.kind == TrayKind.ASSESSMENT_START and i.case_id == case.pk
    ]
    assert before.due_date == due and before.working_days < 0

    assessment = assessment_services.assessment_start(case=case, acting_user=practitioner)

    assert assessment.due_on == due  # the clock did not restart on the start day
    (after,) = [
        i
        for i in work_tray_for(practitioner, today=TODAY).items
        if i.kind == TrayKind.ASSESSMENT_SUBMIT and i.case_id == case.pk
    ]
    assert after.due_date == due and after.working_days < 0
    assert deadlines.overdue_assessments(Assessment.objects.all(), TODAY).filter(pk=assessment.pk)
    page = _page(client, practitioner, case)
    assert f"due {due:%-d %B %Y} (Overdue by" in page
    assert "working days left" not in page


def test_a_stepped_up_case_says_its_deadlines_are_paused(practitioner, district, client):
    step = accepted_step_up(lead=practitioner, social_worker=social_care_worker(district))
    case = step.case
    # The step-up factory's case has no consent yet: the assessment needs it.
    parent = case.family.memberships.filter(relationship="parent").first().person
    case_services.consent_record(
        case=case,
        given_by=parent,
        given_on=case.opened_on,
        method="in_person",
        shared_with=[],
        acting_user=practitioner,
    )
    assessment_services.assessment_start(case=case, acting_user=practitioner)
    case.refresh_from_db()
    assert case.deadlines_paused

    page = _page(client, practitioner, case)
    assert "Deadline paused" in page
    assert "working days left" not in page and "Overdue by" not in page
    detail = signed_in(client, practitioner).get(reverse("assessment_detail", args=[case.pk]))
    assert "Deadline paused" in html.unescape(detail.content.decode())
