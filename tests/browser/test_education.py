"""An administrator loads education events from a CSV file, in a real browser: the page, a
file with problems (every bad row in the error summary, nothing stored) and a good file,
each with zero axe violations."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from reporting.models import EducationEvent
from tests import factories
from tests.browser.conftest import assert_accessible, assert_errors_summarised, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"
UPN = "K999200100040"  # a valid check letter, local authority 999: no real pupil's


def test_an_administrator_loads_education_events_and_is_told_each_bad_row(
    page, administrator, practitioner, tmp_path
):
    case = factories.open_case(lead=practitioner)
    case.children.update(upn=UPN)
    TOTPDevice.objects.filter(user=administrator).update(key=demo.DEMO_TOTP_KEY_HEX)
    sign_in(page, administrator.email, PASSWORD)
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("link", name="Education events").click()
    page.get_by_role("heading", name="Load education events").wait_for()
    assert_accessible(page)

    bad = tmp_path / "bad.csv"
    bad.write_text(f"upn,kind,occurred_on\n{UPN},expelled,2026-02-30\nP000,exclusion,01/03/2026\n")
    page.get_by_label("CSV file of education events").set_input_files(str(bad))
    page.get_by_role("button", name="Load the events").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)
    for row in ("Row 2, kind", "Row 2, occurred_on", "Row 3, upn"):
        assert row in summary.inner_text()
    assert not EducationEvent.objects.exists()

    good = tmp_path / "good.csv"
    good.write_text(f"upn,kind,occurred_on\n{UPN},exclusion,01/03/2026\n")
    page.get_by_label("CSV file of education events").set_input_files(str(good))
    page.get_by_role("button", name="Load the events").click()
    page.get_by_text("good.csv: 1 event read: 1 recorded, 0 already held.").wait_for()
    assert_accessible(page)
    assert EducationEvent.objects.filter(person__upn=UPN, kind="exclusion").count() == 1
