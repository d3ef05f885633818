"""Step up as a hand-over (issue 12, point 7): a request to the district's social care, who
accept (the case is marked stepped up, its deadlines pause) or decline with a reason (the
lead is told and early help carries on)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import deadlines as casework
from assessments import services as assessment_services
from assessments.models import Assessment
from cases import services as case_services
from cases import transitions
from cases.models import CaseStatus, ClosureRequest, StepDirection, StepUpStatus
from earlyhelp.errors import DomainError, FieldError, InvalidTransition
from earlyhelp.models import Notification
from tests import factories
from tests.cases.factories import pending_closure, pending_step_up, social_care_worker
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_worker(district):
    return social_care_worker(district)


@pytest.fixture
def step(practitioner, social_worker):
    return pending_step_up(lead=practitioner, significant_harm=True)


def test_step_up_reaches_social_care_for_the_district(step, social_worker, client):
    assert Notification.objects.filter(user=social_worker, subject__contains=step.reference)
    page = signed_in(client, social_worker).get(reverse("stepup_queue"))
    assert page.status_code == 200
    assert step.reference in page.content.decode() and "Significant harm" in page.content.decode()


def test_social_care_of_another_district_does_not_see_it(step, other_district, client):
    stranger = social_care_worker(other_district)
    assert (
        step.reference
        not in signed_in(client, stranger).get(reverse("stepup_queue")).content.decode()
    )
    assert client.get(reverse("stepup_decide", args=[step.pk])).status_code == 404


def test_practitioners_cannot_open_the_step_up_queue(practitioner, client):
    assert signed_in(client, practitioner).get(reverse("stepup_queue")).status_code == 403


def test_accepting_marks_the_case_stepped_up_and_pauses_its_deadlines(
    step, social_worker, practitioner, client
):
    case = step.case
    parent = case.family.memberships.filter(relationship="parent").first().person
    case_services.consent_record(
        case=case,
        given_by=parent,
        given_on=case.opened_on,
        method="verbal",
        shared_with=[],
        acting_user=practitioner,
    )
    assessment = assessment_services.assessment_start(
        case=case, acting_user=practitioner, started_on=case.opened_on
    )
    later = assessment.due_on + datetime.timedelta(days=10)
    assert casework.overdue_assessments(Assessment.objects.all(), later).exists()

    response = signed_in(client, social_worker).post(
        reverse("stepup_decide", args=[step.pk]),
        {"decision": "accept", "social_care_team": "Assessment Team", "reason": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    step.refresh_from_db()
    assert step.status == StepUpStatus.ACCEPTED and step.decided_by == social_worker
    assert case.status == CaseStatus.STEPPED_UP and case.level_of_need == 4
    assert case.step_events.get().direction == StepDirection.UP
    assert not casework.overdue_assessments(Assessment.objects.all(), later).exists()
    assert Notification.objects.filter(user=practitioner, subject__contains="accepted")
    # the lead can still close it: stepped_up is not a dead end
    assert transitions.CASE.allowed(case, "close")


def test_accepting_closes_the_case_where_the_authority_says_so(step, social_worker, settings):
    settings.STEP_UP_ACCEPT_CLOSES_CASE = True
    case_services.step_up_accept(step=step, acting_user=social_worker)
    step.case.refresh_from_db()
    assert step.case.status == CaseStatus.CLOSED
    assert step.case.closure_reason == "stepped_up"


def test_declining_needs_a_reason_and_keeps_what_was_typed(step, social_worker, client):
    client = signed_in(client, social_worker)
    url = reverse("stepup_decide", args=[step.pk])
    response = client.post(url, {"decision": "decline", "social_care_team": "Kept", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter why social care is declining" in html and 'value="Kept"' in html
    with pytest.raises(FieldError):
        case_services.step_up_decline(step=step, acting_user=social_worker, reason="  ")
    step.refresh_from_db()
    assert step.status == StepUpStatus.PENDING


def test_declining_tells_the_lead_and_the_case_carries_on(step, social_worker, practitioner):
    case_services.step_up_decline(
        step=step, acting_user=social_worker, reason="Below threshold: keep going."
    )
    step.case.refresh_from_db()
    assert step.case.status == CaseStatus.OPEN and step.case.level_of_need == 2
    told = Notification.objects.get(user=practitioner, subject__contains="declined")
    assert told.body == "Below threshold: keep going."
    assert step.case.chronology.filter(title__contains="declined").exists()
    with pytest.raises(InvalidTransition):
        case_services.step_up_accept(step=step, acting_user=social_worker)


def test_stepping_up_a_closed_case_is_refused(practitioner):
    case = factories.closed_case(lead=practitioner)
    with pytest.raises(DomainError, match="closed"):
        case_services.step_up(case=case, acting_user=practitioner, reason="Worse")


def test_only_one_pending_step_up_per_case(step, practitioner):
    with pytest.raises(DomainError, match="already waiting"):
        case_services.step_up(case=step.case, acting_user=practitioner, reason="Again")


def test_step_across_is_recorded_as_such(practitioner):
    case = factories.open_case(
        lead=practitioner, opened_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    event = case_services.step_down(
        case=case,
        acting_user=practitioner,
        occurred_on=timezone.localdate(),
        reason="Section 17 assessment ended: early help",
        level_of_need=3,
        across=True,
    )
    assert event.direction == StepDirection.ACROSS


def test_api_lists_accepts_and_declines(step, social_worker, practitioner):
    api = signed_in(APIClient(), social_worker)
    listed = api.get("/api/v1/step-ups/").json()["results"]
    assert [row["reference"] for row in listed] == [step.reference]
    bad = api.post(f"/api/v1/step-ups/{step.pk}/decline/", {"reason": ""}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    done = api.post(f"/api/v1/step-ups/{step.pk}/decline/", {"reason": "No"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "declined"
    again = api.post(f"/api/v1/step-ups/{step.pk}/accept/", {}, format="json")
    assert again.status_code == 400
    assert signed_in(APIClient(), practitioner).get("/api/v1/step-ups/").status_code == 403


def test_accepting_a_step_up_while_a_closure_waits_for_authorisation_withdraws_the_closure(
    practitioner, social_worker, district_manager, client
):
    """Social care taking the family on outranks the lead's closure: the manager has
    nothing left to authorise, so the closure is withdrawn (kept, with why) and the
    chronology says so; the step up is not refused over it."""
    case = pending_closure(lead=practitioner)
    step = pending_step_up(lead=practitioner, case=case)
    response = signed_in(client, social_worker).post(
        reverse("stepup_decide", args=[step.pk]),
        {"decision": "accept", "social_care_team": "Assessment Team", "reason": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    step.refresh_from_db()
    assert step.status == StepUpStatus.ACCEPTED
    assert case.status == CaseStatus.STEPPED_UP and case.level_of_need == 4
    withdrawn = ClosureRequest.objects.get(case=case)
    assert withdrawn.decision == ClosureRequest.Decision.WITHDRAWN
    assert withdrawn.decided_by == social_worker and step.reference in withdrawn.return_reason
    assert case.chronology.filter(title__contains="Closure withdrawn").exists()
    told = Notification.objects.get(user=practitioner, subject__contains="accepted")
    assert "closure" in told.body and "withdrawn" in told.body
    queue = signed_in(client, district_manager).get(reverse("closure_queue")).content.decode()
    assert reverse("authorise_closure", args=[case.pk]) not in queue


def test_a_step_up_that_closes_the_case_replaces_a_closure_waiting_for_authorisation(
    practitioner, social_worker, settings
):
    settings.STEP_UP_ACCEPT_CLOSES_CASE = True
    case = pending_closure(lead=practitioner)
    step = pending_step_up(lead=practitioner, case=case)
    case_services.step_up_accept(step=step, acting_user=social_worker)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "stepped_up"
    assert ClosureRequest.objects.get(case=case).decision == ClosureRequest.Decision.WITHDRAWN


def test_the_queue_keeps_an_abbreviation_in_capitals_mid_sentence(step, social_worker, client):
    step.source = "review"  # StepUpSource.REVIEW, "From a TAF review"
    step.save(update_fields=["source"])
    page = signed_in(client, social_worker).get(reverse("stepup_queue")).content.decode()
    assert "(from a TAF review)" in page
    assert "taf review" not in page
