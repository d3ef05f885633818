"""Closure asks for confirmation, and a targeted case's closure waits for a manager's
authorisation (issue 12, point 6): the lead's closure becomes 'closure awaiting
authorisation', the team manager authorises it (the case closes) or returns it with a reason
(the lead is told). Also: the lead professional may own plan actions; a review deciding to
step down starts the closure pre-filled; a meeting is cancelled only with a reason."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.models import PlanAction
from cases import services as case_services
from cases.models import CaseStatus, CaseStatusChange, ClosureRequest
from earlyhelp.errors import DomainError
from earlyhelp.models import Notification
from partners.models import Role
from tests import factories
from tests.cases.factories import (
    declined_step_up,
    pending_closure,
    pending_step_up,
    social_care_worker,
)
from tests.conftest import signed_in
from work.kinds import TrayKind
from work.tray import work_tray_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _case(lead, level):
    return factories.open_case(
        lead=lead,
        level_of_need=level,
        opened_on=TODAY - datetime.timedelta(days=60),
        consent_agencies=[],
    )


def _answers(**extra):
    return {
        "reason": "needs_met",
        "closed_on": TODAY.isoformat(),
        "family_view": "improved",
        "summary": "Mornings are calm.",
        **extra,
    }


def test_closing_shows_the_answers_to_confirm_before_the_case_closes(practitioner, client):
    case = _case(practitioner, 2)
    url = reverse("close_case", args=[case.pk])
    check = signed_in(client, practitioner).post(url, _answers())
    page = check.content.decode()
    assert check.status_code == 200
    assert "Check your answers before closing the case" in page
    assert "Mornings are calm." in page and "Confirm and close the case" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # nothing closed yet
    back = client.post(url, {**_answers(), "change": "yes"})
    assert back.status_code == 200 and "Mornings are calm." in back.content.decode()
    assert "Check your answers" not in back.content.decode()
    done = client.post(url, {**_answers(), "confirm": "yes"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure.authorised_by is None


def test_needs_met_with_an_outcome_not_achieved_asks_for_the_explanation_next_to_it(
    practitioner, client
):
    case = _case(practitioner, 2)
    plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    outcome = assessment_services.outcome_add(plan=plan, acting_user=practitioner, text="Calm")
    url = reverse("close_case", args=[case.pk])
    answers = _answers(**{f"result_{outcome.pk}": "not_achieved"})
    response = signed_in(client, practitioner).post(url, answers)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_unmet_outcomes_explanation-error"' in page
    assert "Mornings are calm." in page  # what was typed is kept
    answers["unmet_outcomes_explanation"] = "The school nurse now supports mornings."
    assert "Check your answers" in client.post(url, answers).content.decode()
    client.post(url, {**answers, "confirm": "yes"})
    case.refresh_from_db()
    assert case.closure.unmet_outcomes_explanation == "The school nurse now supports mornings."


def test_a_targeted_closure_waits_for_the_manager_who_authorises_it(
    practitioner, district_manager, client
):
    case = _case(practitioner, 3)
    url = reverse("close_case", args=[case.pk])
    signed_in(client, practitioner)
    assert "a team manager authorises the closure" in client.get(url).content.decode()
    check = client.post(url, _answers())
    assert "Send for authorisation" in check.content.decode()
    client.post(url, {**_answers(), "confirm": "yes"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_PENDING
    assert case.get_status_display() == "Closure awaiting authorisation"
    assert CaseStatusChange.objects.filter(
        case=case, verb="request_closure", to_status="closure_pending", by=practitioner
    ).exists()
    told = Notification.objects.get(user=district_manager)
    assert told.url == reverse("authorise_closure", args=[case.pk])
    tray = work_tray_for(district_manager, today=TODAY)
    assert any(i.kind == TrayKind.CLOSURE and i.case_id == case.pk for i in tray.items)
    # The lead cannot close it again while it waits.
    assert client.get(url).status_code == 302

    signed_in(client, district_manager)
    case_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("authorise_closure", args=[case.pk]) in case_page
    queue = client.get(reverse("closure_queue")).content.decode()
    assert case.reference in queue and practitioner.full_name in queue
    page = client.get(reverse("authorise_closure", args=[case.pk]))
    assert page.status_code == 200 and "Mornings are calm." in page.content.decode()
    response = client.post(reverse("authorise_closure", args=[case.pk]), {"decision": "authorise"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure.closed_by == practitioner
    assert case.closure.authorised_by == district_manager
    assert case.closure.summary == "Mornings are calm."
    assert ClosureRequest.objects.get(case=case).decision == "authorised"
    assert Notification.objects.filter(user=practitioner, subject__contains="authorised").exists()
    queue = client.get(reverse("closure_queue")).content.decode()
    assert reverse("authorise_closure", args=[case.pk]) not in queue


def test_a_returned_closure_reopens_the_case_and_tells_the_lead_why(
    practitioner, district_manager, client
):
    case = pending_closure(lead=practitioner)
    url = reverse("authorise_closure", args=[case.pk])
    signed_in(client, district_manager)
    response = client.post(url, {"decision": "return", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason-error"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_PENDING
    reason = "Hold the last review first: the family has not been asked."
    assert client.post(url, {"decision": "return", "reason": reason}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    kept = ClosureRequest.objects.get(case=case)
    assert (kept.decision, kept.return_reason, kept.decided_by) == (
        "returned",
        reason,
        district_manager,
    )
    told = Notification.objects.get(user=practitioner, subject__contains="returned")
    assert told.body == reason
    assert case.chronology.filter(title__contains="returned", text=reason).exists()
    # Open again: the lead reads why on the case page and can close it once more.
    signed_in(client, practitioner)
    assert reason in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert client.get(reverse("close_case", args=[case.pk])).status_code == 200


def test_which_levels_need_authorisation_is_configurable(practitioner, district_manager, settings):
    settings.CLOSURE_AUTHORISATION_LEVELS = (2,)
    case = pending_closure(lead=practitioner, case=_case(practitioner, 2))
    assert case.status == CaseStatus.CLOSURE_PENDING
    settings.CLOSURE_AUTHORISATION_LEVELS = ()
    assert pending_closure(lead=practitioner).status == CaseStatus.CLOSED


def test_a_manager_closing_a_targeted_case_closes_it(practitioner, district_manager):
    case = _case(practitioner, 3)
    closed = pending_closure(lead=district_manager, case=case)
    assert closed.status == CaseStatus.CLOSED


def test_authorisation_api(practitioner, district_manager, other_district):
    case = pending_closure(lead=practitioner)
    api = signed_in(APIClient(), district_manager)
    stranger = factories.UserFactory(role=Role.TEAM_MANAGER, districts=[other_district])
    url = f"/api/v1/cases/{case.pk}/authorise-closure/"
    assert signed_in(APIClient(), stranger).post(url).status_code == 404
    assert signed_in(APIClient(), practitioner).post(url).status_code == 404
    response = api.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert api.post(url).status_code == 409
    assert api.post(f"/api/v1/cases/{case.pk}/return-closure/", {"reason": "x"}).status_code == 409


def test_return_api_needs_a_reason(practitioner, district_manager):
    case = pending_closure(lead=practitioner)
    api = signed_in(APIClient(), district_manager)
    url = f"/api/v1/cases/{case.pk}/return-closure/"
    response = api.post(url, {"reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api.post(url, {"reason": "Ask the family first."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "open"


def test_the_closures_api_answers_with_the_closure_waiting(practitioner):
    case = _case(practitioner, 3)
    response = signed_in(APIClient(), practitioner).post(
        "/api/v1/closures/",
        {"case": case.pk, **_answers()},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "closure_pending"


AWAITING_STEP_UP = "is awaiting their decision. You can request closure once social care"


def test_a_closure_is_not_requested_while_a_step_up_awaits_social_care(practitioner, client):
    """Accepting the step up would withdraw the closure (ADR 0014): the lead is told to
    wait for social care's decision, keeps what they typed, and nothing is stored."""
    case = _case(practitioner, 3)
    step = pending_step_up(lead=practitioner, case=case)
    with pytest.raises(DomainError, match=AWAITING_STEP_UP):
        pending_closure(lead=practitioner, case=case)

    url = reverse("close_case", args=[case.pk])
    signed_in(client, practitioner)
    for answers in (_answers(), {**_answers(), "confirm": "yes"}):
        response = client.post(url, answers)
        page = html.unescape(response.content.decode())
        assert response.status_code == 400
        summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
        assert AWAITING_STEP_UP in summary and step.reference in summary
        assert "Mornings are calm." in page  # what was typed is kept

    api = signed_in(APIClient(), practitioner)
    response = api.post("/api/v1/closures/", {"case": case.pk, **_answers()}, format="json")
    assert response.status_code == 400
    assert AWAITING_STEP_UP in response.json()["detail"]

    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert not ClosureRequest.objects.filter(case=case).exists()
    assert not CaseStatusChange.objects.filter(case=case, verb="request_closure").exists()


def test_a_closure_is_requested_once_social_care_decline_the_step_up(
    practitioner, district, client
):
    case = _case(practitioner, 3)
    declined_step_up(lead=practitioner, social_worker=social_care_worker(district), case=case)
    url = reverse("close_case", args=[case.pk])
    response = signed_in(client, practitioner).post(url, {**_answers(), "confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_PENDING
    assert ClosureRequest.objects.get(case=case).decision == ""


CONTINUE = 'data-module="govuk-button">Continue</button>'


def _closure_page(client, user, case):
    response = signed_in(client, user).get(reverse("close_case", args=[case.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_closure_page_says_up_front_a_step_up_holds_the_closure_back(
    practitioner, district, client
):
    """No form to fill in and send only to be refused: the page names the step-up request
    and offers the closure again once social care have declined it."""
    case = _case(practitioner, 3)
    step = pending_step_up(lead=practitioner, case=case)
    page = _closure_page(client, practitioner, case)
    warning = page.split("Warning</span> A step up")[1].split("</strong>")[0]
    assert AWAITING_STEP_UP in warning and f"({step.reference})" in warning
    assert CONTINUE not in page and 'name="reason"' not in page

    case_services.step_up_decline(
        step=step, acting_user=social_care_worker(district), reason="Threshold not met."
    )
    page = _closure_page(client, practitioner, case)
    assert AWAITING_STEP_UP not in page and "Warning</span> A step up" not in page
    assert CONTINUE in page and 'name="reason"' in page


def test_a_closure_that_closes_at_once_is_offered_while_a_step_up_is_pending(
    practitioner, district_manager, client
):
    targeted = _case(practitioner, 3)
    pending_step_up(lead=practitioner, case=targeted)
    page = _closure_page(client, district_manager, targeted)  # the manager closes directly
    assert CONTINUE in page and AWAITING_STEP_UP not in page
    assert "a team manager authorises the closure" not in page

    universal_plus = _case(practitioner, 2)  # a level without authorisation
    pending_step_up(lead=practitioner, case=universal_plus)
    page = _closure_page(client, practitioner, universal_plus)
    assert CONTINUE in page and AWAITING_STEP_UP not in page


def test_a_managers_closure_closes_the_case_while_a_step_up_is_pending(
    practitioner, district_manager, client
):
    """Only a closure that would wait for a manager is held back: the manager's own closes
    at once, through the service and through the page, and the step up stays with social
    care to decide."""
    by_service = _case(practitioner, 3)
    step = pending_step_up(lead=practitioner, case=by_service)
    closed = case_services.case_close(
        case=by_service,
        acting_user=district_manager,
        reason="needs_met",
        closed_on=TODAY,
        family_view="improved",
    )
    assert not isinstance(closed, ClosureRequest)
    by_service.refresh_from_db()
    assert by_service.status == CaseStatus.CLOSED
    assert by_service.closure.closed_by == district_manager
    step.refresh_from_db()
    assert step.status == "pending"

    by_page = _case(practitioner, 3)
    pending_step_up(lead=practitioner, case=by_page)
    url = reverse("close_case", args=[by_page.pk])
    response = signed_in(client, district_manager).post(url, {**_answers(), "confirm": "yes"})
    assert response.status_code == 302
    by_page.refresh_from_db()
    assert by_page.status == CaseStatus.CLOSED
    assert by_page.closure.authorised_by is None
    assert not ClosureRequest.objects.filter(case=by_page).exists()


CLOSE_LINK = ">Close the case</a>"
HELD_BACK_HINT = "You can request closure once children's social care have decided step up"


def _case_page(client, user, case, queries=None):
    signed_in(client, user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    if queries is not None:
        queries.append(len(captured))
    return html.unescape(response.content.decode())


def test_the_case_page_names_the_step_up_instead_of_offering_a_closure_it_would_refuse(
    practitioner, district_manager, district, client
):
    case = _case(practitioner, 3)
    step = pending_step_up(lead=practitioner, case=case)
    queries = []
    page = _case_page(client, practitioner, case, queries)
    assert f"{HELD_BACK_HINT} {step.reference}." in page
    assert CLOSE_LINK not in page

    page = _case_page(client, district_manager, case)  # the manager closes directly
    assert CLOSE_LINK in page and HELD_BACK_HINT not in page

    case_services.step_up_decline(
        step=step, acting_user=social_care_worker(district), reason="Threshold not met."
    )
    page = _case_page(client, practitioner, case, queries)
    assert CLOSE_LINK in page and HELD_BACK_HINT not in page
    # The rule reads the step ups the page shows anyway: the lead's page costs nothing more.
    assert queries[0] == queries[1]


def test_the_case_page_offers_the_closure_of_a_level_without_authorisation_while_stepping_up(
    practitioner, client
):
    case = _case(practitioner, 2)
    pending_step_up(lead=practitioner, case=case)
    page = _case_page(client, practitioner, case)
    assert CLOSE_LINK in page and HELD_BACK_HINT not in page


def test_the_closure_queue_costs_the_same_queries_for_one_or_many(
    practitioner, district_manager, client
):
    pending_closure(lead=practitioner)
    signed_in(client, district_manager)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("closure_queue"))
    for _ in range(3):
        pending_closure(lead=practitioner)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("closure_queue")).content.decode().count("EH-") >= 4
    assert len(many) == len(one)


def test_the_lead_professional_can_own_a_plan_action(practitioner, client):
    case = _case(practitioner, 2)
    plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    outcome = assessment_services.outcome_add(plan=plan, acting_user=practitioner, text="Calm")
    url = reverse("add_plan_action", args=[case.pk, outcome.pk])
    page = signed_in(client, practitioner).get(url).content.decode()
    assert f"{practitioner.full_name} (lead professional)" in page
    response = client.post(
        url,
        {"what": "Weekly call with school", "owner": "lead", "due_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    action = PlanAction.objects.get(outcome=outcome)
    assert action.owner_member.user == practitioner
    tray = work_tray_for(practitioner, today=TODAY)
    assert any(i.kind == TrayKind.ACTION and i.case_id == case.pk for i in tray.items)
    # A second action: the lead is now a member, offered once, marked as the lead.
    page = client.get(url).content.decode()
    assert 'value="lead"' not in page and f"{practitioner.full_name} (" in page


def test_a_review_deciding_step_down_starts_the_closure_as_stepped_down(practitioner, client):
    case = _case(practitioner, 2)
    plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    assessment_services.outcome_add(plan=plan, acting_user=practitioner, text="Calm")
    meeting = assessment_services.meeting_schedule(
        case=case, acting_user=practitioner, scheduled_for=TODAY
    )
    response = signed_in(client, practitioner).post(
        reverse("record_taf_meeting", args=[case.pk, meeting.pk]),
        {"held_on": TODAY.isoformat(), "decision": "step_down", "decision_reason": "Universal."},
    )
    assert response.url == f"{reverse('close_case', args=[case.pk])}?review={meeting.pk}"
    page = client.get(response.url).content.decode()
    assert 'value="stepped_down" checked' in page


def test_a_meeting_is_cancelled_only_with_a_reason(practitioner):
    case = _case(practitioner, 2)
    meeting = assessment_services.meeting_schedule(
        case=case, acting_user=practitioner, scheduled_for=TODAY
    )
    with pytest.raises(DomainError, match="reason"):
        assessment_services.meeting_cancel(meeting=meeting, acting_user=practitioner, reason="")
