"""Decisions that act, in a real browser with axe on every page (issue 12, point 6): a TAF
review decides to close a targeted case, the closure opens pre-filled from it, the lead
confirms their answers, and the team manager authorises the closure from their queue."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from cases.models import CaseStatus
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_caseflow import _signed_in, lead, manager  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_review_closes_a_targeted_case_once_the_manager_authorises_it(page, lead, manager):  # noqa: F811
    today = timezone.localdate()
    case = factories.open_case(
        lead=lead,
        level_of_need=3,
        opened_on=today - datetime.timedelta(days=70),
        consent_agencies=[],
    )
    plan = assessment_services.plan_create(case=case, acting_user=lead)
    assessment_services.outcome_add(plan=plan, acting_user=lead, text="Calmer mornings")
    meeting = assessment_services.meeting_schedule(case=case, acting_user=lead, scheduled_for=today)

    _signed_in(page, "lead@example.test")
    page.goto(f"/cases/{case.pk}/meetings/{meeting.pk}/record/")
    page.get_by_label("Close the case").check()
    page.get_by_label("Reasons for the decision").fill("The family's needs are met; all agreed.")
    page.get_by_role("button", name="Save the meeting record").click()
    page.get_by_role("heading", name="Close the case").wait_for()
    assert "all agreed" in page.get_by_label("Closing summary").input_value()
    assert page.get_by_label("Needs met", exact=True).is_checked()
    expect(page.get_by_text("a team manager authorises the closure")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Outcome: Calmer mornings").get_by_label(
        "Achieved", exact=True
    ).check()
    page.get_by_label("Yes, family life has improved").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before closing the case").wait_for()
    expect(page.get_by_text("The family's needs are met; all agreed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send for authorisation").click()
    page.get_by_text("You will be told when they authorise it or return it.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_PENDING

    page.context.clear_cookies()
    _signed_in(page, "manager@example.test")
    page.get_by_role("link", name="Closures").first.click()
    page.get_by_role("heading", name="Closures awaiting authorisation").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("heading", name="Authorise the closure").wait_for()
    expect(page.get_by_text("The family's needs are met; all agreed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Authorise: the case closes").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"Closure authorised: {case.reference} is closed.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure.closed_by == lead and case.closure.authorised_by == manager


def test_the_closure_page_says_a_pending_step_up_holds_the_closure_back(page, lead):  # noqa: F811
    """While social care decide a step up, a lead's closure of a targeted case is not sent:
    the page names the step-up request, offers no form, and passes axe."""
    from tests.cases.factories import pending_step_up

    case = factories.open_case(
        lead=lead,
        level_of_need=3,
        opened_on=timezone.localdate() - datetime.timedelta(days=40),
        consent_agencies=[],
    )
    step = pending_step_up(lead=lead, case=case)

    _signed_in(page, "lead@example.test")
    page.goto(f"/cases/{case.pk}/close/")
    page.get_by_role("heading", name="Close the case").wait_for()
    waiting = f"A step up to children's social care ({step.reference})"
    expect(page.get_by_text(waiting)).to_be_visible()
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    assert_accessible(page)
