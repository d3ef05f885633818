"""In a real browser, with axe on every page: from an assessment's needs, through progress at
reviews, to a claim that internal audit samples and passes."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from demo import synthetic as demo
from outcomes.models import Claim, ClaimStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.outcomes.conftest import auditor, programme_officer, worked_case  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def _with_demo_key(*users):
    TOTPDevice.objects.filter(user__in=users).update(key=demo.DEMO_TOTP_KEY_HEX)


def _page(browser, live_server):  # noqa: F811
    return browser.new_context(base_url=live_server.url).new_page()


@pytest.mark.browser
def test_from_assessment_needs_through_reviews_to_a_passed_claim(
    browser,  # noqa: F811
    live_server,
    practitioner,
    district_manager,
    programme_officer,  # noqa: F811  (fixtures imported from tests/outcomes)
    auditor,  # noqa: F811  (fixtures imported from tests/outcomes)
):
    _with_demo_key(practitioner, programme_officer, auditor)
    case = worked_case(lead=practitioner, manager=district_manager)
    review = case.taf_meetings.filter(kind="review", status="held").get()
    since = review.held_on - datetime.timedelta(days=10)

    # The lead carries the assessment's needs over and records progress at the review.
    page = _page(browser, live_server)
    sign_in(page, practitioner.email, PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Family outcomes: needs, progress").click()
    expect(page.locator("#programme-state")).to_have_text("Not in the programme")
    assert_accessible(page)
    page.get_by_role("button", name="Carry over needs from the assessment").click()
    expect(page.get_by_text("3 needs carried over from the assessment.")).to_be_visible()
    expect(page.locator("#programme-state")).to_have_text("Working towards outcomes")
    assert_accessible(page)

    for index, label in enumerate(
        ["Getting a good education", "Secure housing", "Financial stability"]
    ):
        page.get_by_role("link", name=f"Record progress on {label}").click()
        if index == 0:
            page.get_by_role("button", name="Record progress").click()
            expect(page.get_by_text("There is a problem")).to_be_visible()
            assert_accessible(page)
        page.get_by_label("TAF review held on").check()
        page.get_by_label("Significant progress", exact=True).check()
        page.get_by_label("Significant progress since").fill(since.isoformat())
        page.get_by_label("Evidence of progress").fill("Attendance 97%; rent paid; budget kept.")
        page.get_by_role("button", name="Record progress").click()
        expect(page.get_by_text(f"Progress recorded: {label}.")).to_be_visible()
    expect(page.locator("#programme-state")).to_have_text("Ready to claim")
    assert_accessible(page)
    page.context.close()

    # The programme team finds the family ready and prepares the claim.
    page = _page(browser, live_server)
    sign_in(page, programme_officer.email, PASSWORD)
    page.goto("/outcomes/")
    assert_accessible(page)
    page.get_by_role("link", name="Families ready to claim").click()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name="Prepare a claim or record why not").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Prepared")
    assert_accessible(page)
    page.context.close()

    # Internal audit draws the sample and passes the claim.
    page = _page(browser, live_server)
    sign_in(page, auditor.email, PASSWORD)
    page.goto("/outcomes/claims/")
    assert_accessible(page)
    page.get_by_role("button", name="Draw the audit sample from prepared claims").click()
    expect(page.get_by_text("1 claims sampled for audit")).to_be_visible()
    claim = Claim.objects.get()
    page.get_by_role("link", name=claim.reference).click()
    page.get_by_label("Pass").check()
    page.get_by_label("Audit notes").fill("Attendance and tenancy evidence checked.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the audit result").click()
    expect(page.locator("#claim-status")).to_have_text("Audit passed")
    assert_accessible(page)
    page.context.close()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AUDIT_PASSED
    assert claim.prepared_on == timezone.localdate()


@pytest.mark.browser
def test_the_return_network_meeting_and_plan_pages_are_accessible(
    browser,  # noqa: F811
    live_server,
    practitioner,
    district_manager,
    programme_officer,  # noqa: F811  (fixtures imported from tests/outcomes)
    administrator,
):
    from outcomes import services

    _with_demo_key(practitioner, programme_officer, administrator)
    case = worked_case(lead=practitioner, manager=district_manager)
    services.needs_from_assessment(case=case, acting_user=practitioner)

    page = _page(browser, live_server)
    sign_in(page, practitioner.email, PASSWORD)
    page.goto(f"/cases/{case.pk}/outcomes/")
    page.get_by_role("link", name="Record a family network meeting").click()
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Family group decision-making conference").check()
    page.get_by_label("Date held").fill(timezone.localdate().isoformat())
    page.get_by_label("Who from the family network took part").fill("Nan (grandmother)")
    page.get_by_label("The family's own plan").fill("Nan does the Monday school run.")
    page.get_by_label("What the family network will do").fill("Nan keeps the calendar.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Family network meeting recorded.")).to_be_visible()
    page.context.close()

    page = _page(browser, live_server)
    sign_in(page, programme_officer.email, PASSWORD)
    page.goto("/outcomes/return/")
    page.get_by_role("button", name="Check the return").click()
    expect(page.get_by_text("No family hub recorded")).to_be_visible()
    assert_accessible(page)
    page.goto("/outcomes/plan/")
    assert_accessible(page)
    page.context.close()

    page = _page(browser, live_server)
    sign_in(page, administrator.email, PASSWORD)
    page.goto("/outcomes/plan/new-version/")
    page.get_by_label("In force from").fill("2020-01-01")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("A new version cannot start in the past").first).to_be_visible()
    assert_accessible(page)
    page.context.close()
