"""Hand-over journeys in a real browser, each page checked with axe (issue 12): a manager
allocates a waiting case (point 1), signs off from the sign-off queue (point 5), and social
care declines and accepts step-up requests (point 7)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from assessments import services as assessment_services
from cases.models import CaseStatus, StepUpStatus
from demo import synthetic as demo
from partners.models import Role
from tests import factories
from tests.assessments.test_signoff_queue import complete
from tests.assessments.test_story_once import _consent
from tests.browser.conftest import assert_accessible, sign_in
from tests.cases.factories import pending_step_up, social_care_worker, waiting_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct-horse-battery"


def _demo_key(user):
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


@pytest.fixture
def manager(eh_team, district):
    return _demo_key(
        factories.UserFactory(
            email="manager@example.test",
            full_name="Grace Mensah",
            role=Role.TEAM_MANAGER,
            agency=eh_team,
            districts=[district],
        )
    )


@pytest.fixture
def lead(eh_team, district):
    return _demo_key(
        factories.UserFactory(
            email="lead@example.test", full_name="Priya Shah", agency=eh_team, districts=[district]
        )
    )


def _signed_in(page, email):
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def test_manager_allocates_a_waiting_case_from_the_queue(page, manager, lead, front_door_officer):
    case = waiting_case(team=manager.agency, queued_by=front_door_officer, significant_harm=True)
    _signed_in(page, "manager@example.test")
    page.get_by_role("link", name="Allocation").first.click()
    page.get_by_role("heading", name="Cases waiting for allocation").wait_for()
    expect(page.get_by_text("Significant harm", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Allocate {case.reference}").click()
    page.get_by_role("heading", name="Allocate a lead professional").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Allocate").click()  # nobody chosen
    page.get_by_text("Choose who will be the lead professional").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Lead professional", exact=True).select_option(str(lead.pk))
    page.get_by_label("Note for the lead professional (optional)").fill("Visit this week.")
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text(f"{case.reference} is allocated to Priya Shah.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.lead_professional == lead


def test_manager_signs_off_from_the_sign_off_queue(page, manager, lead, school):
    case = factories.open_case(lead=lead, consent_agencies=[school])
    draft = complete(assessment_services.assessment_start(case=case, acting_user=lead), lead)
    assessment_services.assessment_submit(
        assessment=draft, acting_user=lead, lock_version=draft.lock_version
    )
    _signed_in(page, "manager@example.test")
    page.get_by_role("link", name="Sign-off").first.click()
    page.get_by_role("heading", name="Assessments awaiting your sign-off").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    page.get_by_label("Return it for changes").check()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Say what needs to change").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Comment").fill("Add the child's own words.")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Assessment returned for changes.").wait_for()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_social_care_declines_one_step_up_and_accepts_another(page, lead, district):
    worker = _demo_key(social_care_worker(district))
    worker.email = "social@example.test"
    worker.save()
    harm = pending_step_up(lead=lead, significant_harm=True)
    other = pending_step_up(lead=lead)
    _signed_in(page, "social@example.test")
    page.get_by_role("link", name="Step-up requests").first.click()
    page.get_by_role("heading", name="Step-up requests to children's social care").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=other.reference).click()
    page.get_by_label("Decline: early help carries on").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Enter why social care is declining this step up").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Reasons").fill("Threshold not met: keep going with a safety plan.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"{other.reference}: declined by social care.").wait_for()
    page.get_by_role("link", name=harm.reference).click()
    expect(
        page.get_by_text("The requester says a child is at risk of significant harm.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accept", exact=True).check()
    page.get_by_label("Social care team taking the case (if accepted)").fill("Assessment Team")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"{harm.reference}: accepted by social care.").wait_for()
    harm.refresh_from_db()
    other.refresh_from_db()
    assert harm.status == StepUpStatus.ACCEPTED and other.status == StepUpStatus.DECLINED
    harm.case.refresh_from_db()
    assert harm.case.status == CaseStatus.STEPPED_UP


def test_lead_reads_the_request_behind_her_case_and_a_review_decision_steps_up(
    page, lead, front_door_officer, school, district
):
    """Point 3: the request is on the case page and pre-fills the assessment; point 6: a
    review that decides step up
    opens the step-up request pre-filled, and sending it reaches social care."""
    from django.utils import timezone

    from referrals import services as referral_services
    from tests.referrals import factories as referral_factories

    social_care_worker(district)
    referrer = factories.UserFactory(agency=school, districts=[district])
    referral = referral_factories.matched(
        by=referrer, officer=front_door_officer, district=district
    )
    referral_services.referral_decide(
        referral=referral,
        acting_user=front_door_officer,
        expected_version=referral.version,
        level_of_need=3,
        outcome="targeted",
        rationale="Several agencies worried.",
        allocated_agency=lead.agency,
        lead_professional=lead,
    )
    referral.refresh_from_db()
    case = referral.case
    today = timezone.localdate()
    plan = assessment_services.plan_create(case=case, acting_user=lead)
    assessment_services.outcome_add(plan=plan, acting_user=lead, text="Calmer", baseline_scaling=3)
    meeting = assessment_services.meeting_schedule(case=case, acting_user=lead, scheduled_for=today)
    assessment_services.meeting_record(
        meeting=meeting,
        acting_user=lead,
        held_on=today,
        decision="step_up",
        decision_reason="Dad's drinking has escalated; the team agreed to step up.",
    )
    _signed_in(page, "lead@example.test")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("heading", name="Requests for support behind this case").wait_for()
    expect(page.get_by_text("Lily is often late and hungry.")).to_be_visible()
    assert_accessible(page)
    # Told once: the assessment she starts opens with the referrer's words, for her to edit.
    _consent(case, lead)
    page.reload()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(f"**/cases/{case.pk}/assessment/edit/")
    assert "Lily is often late and hungry." in page.get_by_label("Family history").input_value()
    assert_accessible(page)
    page.goto(f"/cases/{case.pk}/step-up/?review={meeting.pk}")
    reason = page.get_by_label("Why is the case stepping up?")
    assert "the team agreed to step up" in reason.input_value()
    assert_accessible(page)
    page.get_by_role("button", name="Send step-up request").click()
    page.get_by_text("Step-up request sent to children's social care.").wait_for()
    step = case.step_up_requests.get()
    assert step.status == StepUpStatus.PENDING and step.source == "review"
