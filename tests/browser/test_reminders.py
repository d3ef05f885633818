import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from demo import synthetic as demo
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.reminders.conftest import assessment_due

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_opens_the_overdue_page_and_a_user_sets_a_digest_accessibly(
    page,
    practitioner,
    district_manager,
):
    case = factories.open_case(lead=practitioner)
    assessment_due(case, timezone.localdate() - datetime.timedelta(days=9))
    TOTPDevice.objects.filter(user=district_manager).update(key=demo.DEMO_TOTP_KEY_HEX)

    sign_in(page, district_manager.email, "correct-horse-battery")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Overdue"
    ).click()
    page.get_by_role("heading", name="Overdue work").wait_for()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert_accessible(page)

    page.goto("/notifications/preferences/")
    page.get_by_role("heading", name="How do you want to get reminder emails?").wait_for()
    assert_accessible(page)
    page.get_by_label("One email a day at 7am").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your reminder email choice has been saved.").wait_for()
    assert_accessible(page)
    district_manager.refresh_from_db()
    assert district_manager.digest_reminders is True
