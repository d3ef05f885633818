"""The access and audit pages, as people use them: rendered, and accessible."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from earlyhelp.notifications import notify
from tests import factories
from tests.browser.conftest import assert_accessible, assert_errors_summarised, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def _with_demo_key(user):
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


def test_a_manager_reads_a_childs_record_and_who_has_seen_it(
    page, practitioner, district_manager, eh_team
):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    child = case.children.first()
    _with_demo_key(district_manager)
    notify(user=district_manager, subject="A review is due", url="/", email=False)
    sign_in(page, district_manager.email, PASSWORD)
    for url, heading in [
        (f"/people/{child.pk}/", child.full_name),
        (f"/families/{case.family_id}/", case.family.name),
        (f"/people/{child.pk}/who-has-seen/", "Who has seen this record"),
        ("/my-activity/", "My activity"),
        ("/notifications/", "Notifications"),
    ]:
        page.goto(url)
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert_accessible(page)


def test_an_administrator_breaks_glass_with_a_reason_and_reads_the_trail(
    page, administrator, practitioner, eh_team
):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    _with_demo_key(administrator)
    sign_in(page, administrator.email, PASSWORD)
    page.goto("/break-glass/")
    assert_accessible(page)
    page.get_by_label("Family record number").fill(str(case.family_id))
    page.get_by_role("button", name="Open the records for 4 hours").click()
    page.get_by_text("There is a problem").wait_for()  # no reason given
    assert page.get_by_label("Family record number").input_value() == str(case.family_id)
    assert_errors_summarised(page)
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("Subject access request 42")
    page.get_by_role("button", name="Open the records for 4 hours").click()
    page.get_by_role("heading", name=case.family.name).wait_for()
    page.goto("/audit/?action=break_glass")
    page.get_by_text("Subject access request 42").wait_for()
    assert_accessible(page)
    page.goto("/audit/?record_id=0")  # a record number is 1 or more
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)


def test_first_sign_in_sets_up_two_factor_accessibly(page, practitioner):
    TOTPDevice.objects.filter(user=practitioner).delete()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(practitioner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # no code typed
    page.get_by_text("There is a problem").wait_for()
    assert_errors_summarised(page)
    assert_accessible(page)
