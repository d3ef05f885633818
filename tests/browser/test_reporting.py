"""Managers' and strategic viewers' reporting pages in a real browser, checked with axe."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from partners.models import Role
from tests.browser.conftest import assert_accessible, assert_errors_summarised, sign_in
from tests.factories import UserFactory
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db(transaction=True)


def _user(email, **fields):
    user = UserFactory(email=email, password="correct-horse-battery", **fields)
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


@pytest.fixture
def casework(eh_team, district):
    lead = UserFactory(full_name="Priya Shah", agency=eh_team, districts=[district])
    for level in (2, 2, 3):
        episode = build.case(lead=lead, opened_on=datetime.date(2026, 1, 5), level_of_need=level)
        build.assessment(episode, started_on=datetime.date(2026, 1, 6))
    return lead


def test_a_manager_reads_the_dashboard_and_follows_a_figure_to_its_cases(
    page, casework, eh_team, district
):
    _user("manager@example.test", role=Role.TEAM_MANAGER, agency=eh_team, districts=[district])
    sign_in(page, "manager@example.test", "correct-horse-battery")
    page.goto("/reporting/dashboard/")
    page.get_by_role("heading", name="Caseload dashboard").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="3 Open cases").click()
    page.get_by_role("heading", name="Open cases").wait_for()
    assert page.locator("tbody tr").count() == 3
    assert_accessible(page)
    page.goto("/reporting/dashboard/?start=2026-02-01&end=2026-01-01")
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)


def test_a_strategic_viewer_reads_suppressed_indicators(page, casework, eh_team, district):
    _user("board@example.test", role=Role.STRATEGIC, agency=eh_team, districts=[district])
    # Strategic viewers see no records, so they sign in without a second factor.
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("board@example.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    page.goto("/reporting/indicators/")
    page.get_by_role("heading", name="Early help indicators").wait_for()
    assert "<5" in page.inner_text("main")
    assert "Priya Shah" not in page.content()
    assert_accessible(page)
    page.goto("/reporting/indicators/?start=2026-02-01")  # no end date
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)


def test_the_export_progress_page_is_accessible(page, eh_team, district):
    from reporting.models import ExportJob

    manager = _user(
        "manager2@example.test", role=Role.TEAM_MANAGER, agency=eh_team, districts=[district]
    )
    job = ExportJob.objects.create(requested_by=manager, kind="annex_a_csv", progress=30)
    sign_in(page, "manager2@example.test", "correct-horse-battery")
    page.goto(f"/reporting/exports/{job.pk}/")
    page.get_by_text("30% done").wait_for()
    assert_accessible(page)
    # The signposting report (issue 18) on the same visit: counts, suppressed, accessible.
    page.goto("/reporting/signposting/")
    page.get_by_role("heading", name="Signposting to services").wait_for()
    assert_accessible(page)
    page.goto("/reporting/signposting/?start=2026-02-01&end=2026-01-01")
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)


def test_a_consultant_is_told_which_grades_are_missing_from_a_quality_audit(
    page, eh_team, district
):
    lead = UserFactory(full_name="Priya Shah", agency=eh_team, districts=[district])
    episode = build.case(lead=lead, opened_on=datetime.date(2026, 1, 5))
    _user("consultant@example.test", role=Role.CONSULTANT, agency=eh_team, districts=[district])
    sign_in(page, "consultant@example.test", "correct-horse-battery")
    page.goto(f"/reporting/quality/cases/{episode.pk}/audit/")
    page.get_by_role("heading", name=f"Audit {episode.reference}").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Save the audit").click()
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)
