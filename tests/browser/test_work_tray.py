"""Each role opens its work tray on the demo county, accessibly, and follows one item to
where the work is done (issue 14)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo import synthetic as demo
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# role's demo account -> (text the tray must show, link to follow, heading where it lands)
JOURNEYS = [
    (
        "practitioner@demo.test",
        "Correct the returned Early Help Assessment",
        "Early Help Assessment",
    ),
    ("manager@demo.test", "Allocate a lead professional", None),
    ("frontdoor@demo.test", "Triage decision", None),
    ("consultant@demo.test", "Consultation to follow up", "Consultation on"),
    ("strategic@demo.test", "See the indicators", "Indicators"),
    ("admin@demo.test", "Person who has left still holds work", None),
]


def test_each_role_opens_its_work_tray_and_follows_an_item(page):
    call_command("load_demo_county", families=24, verbosity=0)
    for email, item, heading in JOURNEYS:
        if email == "strategic@demo.test":  # figures only: no second factor asked
            page.goto("/sign-in/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
        else:
            sign_in(page, email, demo.DEMO_PASSWORD)
        page.goto("/")
        expect(page.get_by_role("heading", name="Your work", level=1), email).to_be_visible()
        assert_accessible(page)
        if email != "strategic@demo.test":
            assert page.locator("tbody tr").count() > 0, email
            expect(page.get_by_text("Overdue by").first, email).to_be_visible()
        where = page if email == "strategic@demo.test" else page.locator("tbody")
        where.get_by_role("link", name=item).first.click()
        page.wait_for_load_state()
        assert page.url != f"{page.url.split('/')[0]}//{page.url.split('/')[2]}/", email
        text = page.content()
        assert "Page not found" not in text and "do not have access" not in text, email
        if heading:
            expect(page.get_by_role("heading", name=heading).first, email).to_be_visible()
        if email == "practitioner@demo.test":
            assert page.locator("textarea").count() > 0  # the assessment form itself
        page.context.clear_cookies()
