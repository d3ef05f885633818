"""The front door journey in a real browser: a professional asks for support through the web
form, a front door officer matches the family and decides; axe finds nothing on the form,
the queue, matching and the decision pages."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from partners.models import Role
from referrals.models import Referral, ReferralStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def _with_demo_key(user):
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


@pytest.fixture
def teacher(school, district):
    return _with_demo_key(
        UserFactory(
            email="teacher@example.test",
            full_name="Tom Barnes",
            agency=school,
            districts=[district],
            job_title="Designated safeguarding lead",
        )
    )


@pytest.fixture
def officer(district, eh_team):
    from tests.factories import EarlyHelpTeamFactory

    front_door = EarlyHelpTeamFactory(name="County Front Door")
    return _with_demo_key(
        UserFactory(
            email="frontdoor@example.test",
            full_name="Femi Adeyemi",
            role=Role.FRONT_DOOR,
            agency=front_door,
            districts=[district],
        )
    )


@pytest.fixture
def family_worker(eh_team, district):
    return UserFactory(full_name="Priya Shah", agency=eh_team, districts=[district])


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_professional_requests_support_and_the_front_door_decides(
    page, teacher, officer, family_worker, district, eh_team
):
    sign_in(page, "teacher@example.test", PASSWORD)
    page.goto("/requests/new/")
    page.get_by_role("heading", name="Request support for a family").wait_for()
    assert_accessible(page)

    # An empty request: the GOV.UK error summary, and still accessible.
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Enter what you are worried about" in page.content()
    assert_accessible(page)

    page.get_by_label("District the family lives in").select_option(label="Amberford")
    page.get_by_label("Address line 1").fill("4 Mill Lane")
    page.get_by_label("Town or city").fill("Amberford")
    page.get_by_label("Postcode").fill("ZZ1 4AB")
    page.locator("#id_people-0-first_name").fill("Lily")
    page.locator("#id_people-0-last_name").fill("Marsh")
    page.locator("#id_people-0-relationship").select_option("child")
    page.locator("#id_people-0-date_of_birth").fill("01/06/2017")
    page.locator("#id_people-1-first_name").fill("Dawn")
    page.locator("#id_people-1-last_name").fill("Marsh")
    page.locator("#id_people-1-relationship").select_option("parent")
    page.locator("#id_people-1-date_of_birth").fill("99/99/1990")  # a typo, caught below
    page.get_by_label("What are you worried about?").fill("Lily is often late and hungry.")
    page.get_by_label("Good early years development").check()
    page.get_by_label("Yes, the family knows and agrees").check()
    page.get_by_label("Routine").check()
    page.get_by_role("group", name="significant harm").get_by_label("No").check()
    # The send may wait for an autosave in flight: wait for the page it leads to.
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()

    page.get_by_text("There is a problem").wait_for()
    assert "Person 2: Date of birth must be a real date" in page.content()
    assert page.locator("#id_people-0-first_name").input_value() == "Lily"
    assert page.get_by_label("What are you worried about?").input_value().startswith("Lily is")
    page.locator("#id_people-1-date_of_birth").fill("03/02/1990")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()

    page.get_by_role("heading", name="Request sent").wait_for()
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.reference in page.content()
    sign_out(page)

    sign_in(page, "frontdoor@example.test", PASSWORD)
    page.goto("/front-door/")
    page.get_by_role("heading", name="Triage queue").wait_for()
    assert referral.reference in page.content()
    assert_accessible(page)
    page.get_by_role("button", name=f"Pick up {referral.reference}").click()

    page.get_by_role("heading", name="Check for existing records").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="Is Lily Marsh one of these people?").get_by_label(
        "None of these: a new person"
    ).check()
    page.get_by_role("group", name="Is Dawn Marsh one of these people?").get_by_label(
        "None of these: a new person"
    ).check()
    page.get_by_label("A new household").check()
    page.get_by_role("button", name="Save and continue to the decision").click()

    page.get_by_role("heading", name="Record the decision").wait_for()
    assert_accessible(page)
    page.get_by_label("Targeted / intensive").check()
    page.get_by_label("Targeted early help: allocate to a district team").check()
    page.get_by_label("District early help team").select_option(label="Amberford Early Help Team")
    page.get_by_label("Lead professional").select_option(
        label="Priya Shah (Amberford Early Help Team)"
    )
    page.get_by_label("Rationale").fill("Needs across health and early years; family agrees.")
    page.get_by_role("button", name="Record decision").click()

    page.get_by_text("Decision recorded").wait_for()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED
    assert referral.case.lead_professional == family_worker
    assert_accessible(page)


def test_the_request_form_saves_a_draft_as_you_type(page, teacher, district):
    sign_in(page, "teacher@example.test", PASSWORD)
    page.goto("/requests/new/")
    page.get_by_label("What are you worried about?").fill("Typed before the tab was closed.")
    page.get_by_label("What is working well?").focus()  # leaving a box saves at once
    page.get_by_text("Draft saved at").wait_for()
    draft = Referral.objects.get()
    assert draft.status == ReferralStatus.DRAFT
    page.goto(f"/requests/{draft.pk}/edit/")
    assert page.get_by_label("What are you worried about?").input_value() == (
        "Typed before the tab was closed."
    )


def test_find_a_person_keeps_the_name_out_of_the_address_and_refresh_and_back_work(
    page, officer, district
):
    from tests import factories

    family = factories.family_with_children(district=district, children=0, postcode="AM1 4QQ")
    child = factories.PersonFactory(first_name="Kian", last_name="Hargreaves")
    family.memberships.create(person=child, relationship="child")
    sign_in(page, "frontdoor@example.test", PASSWORD)
    page.goto("/front-door/people/")
    page.get_by_label("Name").fill("Hargreaves")
    page.get_by_label("Postcode").fill("AM1 4QQ")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 result").wait_for()
    assert "Hargreaves" not in page.url and "AM1" not in page.url and "?search=" in page.url
    assert page.get_by_label("Name").input_value() == "Hargreaves"
    assert_accessible(page)
    page.reload()  # Refresh: the same search, asked nothing again
    page.get_by_role("heading", name="1 result").wait_for()
    page.get_by_label("Postcode").fill("")
    page.get_by_label("Name").fill("K")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Name").input_value() == "K"
    page.go_back()  # Back to the results
    page.get_by_role("heading", name="1 result").wait_for()
