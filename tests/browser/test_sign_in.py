import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from tests.browser.conftest import assert_accessible, assert_errors_summarised, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def user_with_demo_key(eh_team, district):
    user = UserFactory(
        email="priya@example.test",
        full_name="Priya Shah",
        agency=eh_team,
        districts=[district],
        password="correct-horse-battery",
    )
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


def test_sign_in_page_has_no_accessibility_violations(page):
    page.goto("/sign-in/")
    assert_accessible(page)


def test_practitioner_signs_in_and_sees_an_accessible_home_page(page, user_with_demo_key):
    sign_in(page, "priya@example.test", "correct-horse-battery")
    # the home page is the work tray, captioned with who is signed in
    page.get_by_role("heading", name="Your work").wait_for()
    html = page.content()
    assert "Priya Shah" in html and "Amberford Early Help Team" in html
    assert_accessible(page)


def test_wrong_password_shows_an_error_summary_and_keeps_the_email(page, user_with_demo_key):
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("priya@example.test")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Email address").input_value() == "priya@example.test"
    assert_errors_summarised(page)
    assert_accessible(page)
