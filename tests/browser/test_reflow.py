"""On a phone (320 CSS px wide) every page with a data table reflows: the page itself never
scrolls sideways (WCAG 1.4.10). A wide table scrolls inside its own box instead, which a
keyboard user can tab to and scroll, and which is named by the table's caption; a long
unbroken name wraps."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import FamilyPlan, OutcomeProgress
from cases.models import Family, Person
from demo import synthetic as demo
from outcomes.models import Claim, ClaimBatch
from partners.models import FamilyHub
from referrals.models import Referral
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 320, "height": 640}
PRACTITIONER = "practitioner@demo.test"
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"
LONG_NAME = "Featherstonehaughcholmondeley"


def _with_a_long_surname(family):
    """A surname with nowhere to break: headings, captions and cards must wrap it."""
    Family.objects.filter(pk=family.pk).update(name=f"{LONG_NAME} household")
    Person.objects.filter(memberships__family=family).update(last_name=LONG_NAME)
    return family


def _pages_by_role() -> dict[str, list[str]]:
    """A page of each kind that lists records in a table, as the demo role that reads it;
    the case's family has a long surname."""
    plan = FamilyPlan.objects.filter(
        case__lead_professional__email=PRACTITIONER, case__status="open"
    ).exclude(outcomes__actions=None)[0]
    meeting = OutcomeProgress.objects.filter(meeting__case=plan.case)[0].meeting
    request = Referral.objects.filter(referrer_user__email=PRACTITIONER).order_by("pk")[0]
    family = _with_a_long_surname(plan.case.family)
    person = Person.objects.filter(memberships__family=family)[0]
    claimed = Claim.objects.order_by("pk").values_list("episode__case_id", flat=True)[0]
    case = f"/cases/{plan.case_id}/"
    return {
        PRACTITIONER: [
            "/",  # the work tray
            "/cases/",
            case,
            f"{case}plan/",
            f"{case}meetings/{meeting.pk}/",
            "/requests/",
            f"/requests/{request.pk}/",
            "/my-activity/",
        ],
        "manager@demo.test": [
            "/allocation/",
            "/sign-off/",
            "/closures/",
            "/overdue/",
            "/retention/",
            f"/families/{family.pk}/",
            f"/people/{person.pk}/who-has-seen/",
            "/consultations/",
            "/reporting/dashboard/",
            "/reporting/dashboard/cases/?figure=open",
            "/reporting/dashboard/requests/",
            "/outcomes/",
            "/hubs/dashboard/",
        ],
        "frontdoor@demo.test": ["/front-door/"],
        "consultant@demo.test": ["/reporting/quality/sample/"],
        "admin@demo.test": ["/audit/", "/outcomes/plan/"],
        "outcomes@demo.test": [
            "/outcomes/claims/",
            f"/outcomes/batches/{ClaimBatch.objects.order_by('pk')[0].pk}/",
            "/outcomes/families/",
            f"/cases/{claimed}/outcomes/",
        ],
        "hubmanager@demo.test": [f"/hubs/{FamilyHub.objects.order_by('pk')[0].pk}/"],
        "directory@demo.test": ["/directory/reviews/"],
    }


def assert_reflows(page, url: str) -> None:
    """No sideways scroll on the page (a narrow table may sit on the page itself); each table
    box can be reached, is named, and scrolls with the arrow keys when its table is wider
    than the phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} scrolls sideways: {width}px wide"
    assert page.locator("table").count() > 0, f"{url} has no table"
    for box in page.locator(".eh-table-box").all():
        expect(box).to_have_attribute("tabindex", "0")
        expect(box).to_have_role("region")
        caption = box.locator("caption").inner_text().strip()
        expect(box).to_have_accessible_name(caption)
        if box.evaluate("b => b.scrollWidth > b.clientWidth"):
            box.focus()
            page.keyboard.press("ArrowRight")  # scrolls smoothly: wait for it to move
            page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())


def assert_focus_shown(page) -> None:
    """Tab from the control before the table: the box takes focus, in GOV.UK's yellow."""
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Tab")
    box = page.locator(".eh-table-box")
    expect(box).to_be_focused()
    assert box.evaluate("b => getComputedStyle(b).outlineColor") == GOVUK_FOCUS_YELLOW


def test_pages_with_tables_reflow_on_a_phone(browser, live_server):
    call_command("load_demo_county", families=24, verbosity=0)
    for email, urls in _pages_by_role().items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        page = context.new_page()
        sign_in(page, email, demo.DEMO_PASSWORD)
        page.wait_for_url(lambda url: "sign-in" not in url)
        for url in urls:
            response = page.goto(url)
            assert response.ok, f"{url} as {email}: {response.status}"
            assert_reflows(page, url)
            if url == "/cases/":
                assert_focus_shown(page)
            if url in ("/cases/", "/hubs/dashboard/"):
                assert_accessible(page)
        context.close()
