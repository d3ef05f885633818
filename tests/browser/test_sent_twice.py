"""Back and send again, in a real browser: the browser fetches the form again and restores
what was typed; the form also carries the token it was first sent with (earlyhelp.js), so
the note is recorded once and the page says it was already saved (ADR 0018)."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def test_a_note_sent_again_after_going_back_is_recorded_once(page, eh_team, district):
    lead = factories.UserFactory(
        email="lead@example.test", full_name="Priya Shah", agency=eh_team, districts=[district]
    )
    TOTPDevice.objects.filter(user=lead).update(key=demo.DEMO_TOTP_KEY_HEX)
    case = factories.open_case(
        lead=lead, opened_on=timezone.localdate() - datetime.timedelta(days=14)
    )
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/cases/{case.pk}/notes/add/")
    assert not page.locator("input[name=once_kept]").is_visible()  # never shown
    page.get_by_label("Note", exact=True).fill("Home visit: mornings are calmer.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.go_back()  # the page is fetched again: a new token in the hidden field
    page.get_by_role("button", name="Save").wait_for()
    page.wait_for_timeout(1100)  # past the button's one-second guard against a double click
    page.get_by_role("button", name="Save").click()
    page.get_by_text("That was already saved. It has not been saved again.").wait_for()
    assert case.chronology.filter(text="Home visit: mornings are calmer.").count() == 1
