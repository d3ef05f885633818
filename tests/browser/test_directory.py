"""Directory and family hub journeys in a real browser, with axe on every page met:
an editor keeps a service (with a mistake on the way), a practitioner searches the
directory, the front door signposts to listed services, and a hub worker takes a
session's register on a tablet-sized screen."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Need
from demo import synthetic as demo
from directory import services
from partners.models import FamilyHub, Organisation, Role, Service
from referrals.models import ReferralStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import EarlyHelpTeamFactory, UserFactory, family_with_children
from tests.referrals.factories import matched

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct-horse-battery"


def _user(email, *perms, **fields):
    user = UserFactory(email=email, **fields)
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="directory", codename__in=perms)
    )
    return type(user).objects.get(pk=user.pk)


def _service(editor, organisation, **fields):
    data = {
        "name": "Stay and play",
        "organisation": organisation,
        "phone": "0300 555 0101",
        "needs": [Need.objects.get(framework="supporting_families", code="early_years")],
        "minimum_age": 0,
        "maximum_age": 4,
    }
    data.update(fields)
    return services.service_save(acting_user=editor, data=services.ServiceInput(**data))


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Home-Start Amberford", description="Volunteers")


@pytest.fixture
def editor(eh_team, district):
    return _user(
        "editor@example.test",
        "edit_directory",
        agency=eh_team,
        districts=[district],
        full_name="Dev Mistry",
    )


def test_editor_adds_a_service_correcting_a_mistake(page, editor, organisation, district):
    sign_in(page, "editor@example.test", PASSWORD)
    page.goto("/directory/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a service").click()
    page.get_by_role("heading", name="Add a service to the directory").wait_for()
    assert_accessible(page)
    page.get_by_label("Name of the service").fill("Dads' group")
    page.get_by_label("Organisation that provides it").select_option(label="Home-Start Amberford")
    page.get_by_label("Amberford", exact=True).check()
    page.get_by_label("From", exact=True).fill("11")
    page.get_by_label("To", exact=True).fill("2")
    page.get_by_label("Improved family relationships").check()
    page.get_by_label("Opening times").fill("Saturday 10:00 to 12:00")
    page.get_by_role("button", name="Save the service").click()
    page.get_by_text("There is a problem").wait_for()
    body = page.content()
    assert "wrong way round" in body
    assert "Give at least one way to contact the service" in body
    assert page.get_by_label("Name of the service").input_value() == "Dads' group"
    assert page.get_by_label("Opening times").input_value() == "Saturday 10:00 to 12:00"
    assert page.get_by_label("Improved family relationships").is_checked()
    assert_accessible(page)
    assert not Service.objects.exists()

    page.get_by_label("From", exact=True).fill("0")
    page.get_by_label("To", exact=True).fill("11")
    page.get_by_label("Phone number", exact=True).fill("0300 555 0102")
    page.get_by_role("button", name="Save the service").click()
    page.get_by_role("heading", name="Dads' group").wait_for()
    assert "Saturday 10:00 to 12:00" in page.content()
    assert_accessible(page)
    service = Service.objects.get()
    assert (service.minimum_age, service.maximum_age) == (0, 11)


def test_practitioner_searches_the_directory_by_need_and_age(
    page, practitioner, editor, organisation, district
):
    TOTPDevice.objects.filter(user=practitioner).update(key=demo.DEMO_TOTP_KEY_HEX)
    _service(editor, organisation)
    _service(
        editor,
        organisation,
        name="Money advice",
        minimum_age=None,
        maximum_age=None,
        needs=[Need.objects.get(framework="supporting_families", code="financial_stability")],
    )
    _service(
        editor,
        organisation,
        name="Youth club",
        minimum_age=11,
        maximum_age=18,
        needs=[Need.objects.get(framework="supporting_families", code="crime")],
    )
    sign_in(page, practitioner.email, PASSWORD)
    page.get_by_role("link", name="Services directory").first.click()
    page.get_by_role("heading", name="Services directory").wait_for()
    assert "3 services" in page.content()
    page.get_by_label("Child's age (years)").fill("3")
    page.get_by_label("Good early years development").check()
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 service").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Stay and play").click()
    page.get_by_role("heading", name="Stay and play").wait_for()
    assert "0300 555 0101" in page.content()
    assert_accessible(page)


def test_front_door_signposts_to_directory_services(page, editor, organisation, district, school):
    here = _service(editor, organisation, districts=[district])
    front_door = EarlyHelpTeamFactory(name="County Front Door")
    officer = _user(
        "frontdoor@example.test",
        agency=front_door,
        districts=[district],
        role=Role.FRONT_DOOR,
        full_name="Femi Adeyemi",
    )
    referrer = UserFactory(agency=school, districts=[district])
    referral = matched(by=referrer, officer=officer, district=district)
    sign_in(page, "frontdoor@example.test", PASSWORD)
    page.goto(f"/front-door/{referral.pk}/decide/")
    assert_accessible(page)
    page.locator('input[name="level_of_need"][value="1"]').check()
    page.get_by_label("Information and signposting").check()
    page.get_by_label("Rationale").fill("Needs met by universal services.")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the services from the directory" in page.content()
    assert page.get_by_label("Rationale").input_value() == "Needs met by universal services."
    assert_accessible(page)
    page.get_by_label("Stay and play", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded").wait_for()
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED
    assert list(referral.decision.signposted_services.all()) == [here]


def test_hub_worker_takes_a_register_on_a_tablet(browser, live_server, eh_team, district):
    hub = FamilyHub.objects.create(district=district, name="Amberford Family Hub")
    worker = _user(
        "hubworker@example.test",
        "run_hub",
        agency=eh_team,
        districts=[district],
        full_name="Lucy Brennan",
    )
    family = family_with_children(district=district, children=1, name="Marsh household")
    services.hub_family_register(hub=hub, family=family, acting_user=worker)
    child = family.memberships.get(relationship="child").person
    stranger = family_with_children(district=district).memberships.first().person
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 820, "height": 1180}, has_touch=True
    )
    page = context.new_page()
    try:
        sign_in(page, "hubworker@example.test", PASSWORD)
        page.goto(f"/hubs/{hub.pk}/")
        assert_accessible(page)
        page.get_by_role("link", name="Add a session").click()
        page.get_by_label("Stay and play", exact=True).check()
        page.get_by_label("Name of the session").fill("Tuesday stay and play")
        page.get_by_label("Date of the session").fill(datetime.date(2026, 11, 3).isoformat())
        page.get_by_label("Starts at").fill("10:00")
        page.get_by_label("Ends at").fill("11:30")
        assert_accessible(page)
        page.get_by_role("button", name="Add and take the register").click()
        page.get_by_role("heading", name="Register: Tuesday stay and play").wait_for()
        assert_accessible(page)
        page.get_by_label("Find someone registered at the hub").fill(child.first_name)
        page.get_by_role("button", name="Find").click()
        page.get_by_label(child.full_name, exact=False).check()
        page.get_by_label("Someone else: their person number").fill(f"P-{stranger.pk:06d}")
        page.get_by_role("button", name="Save the register").click()
        page.get_by_text("There is a problem").wait_for()
        assert "is not registered at Amberford Family Hub" in page.content()
        assert page.get_by_label(child.full_name, exact=False).is_checked()
        assert_accessible(page)
        page.get_by_label("Someone else: their person number").fill("")
        page.get_by_role("button", name="Save the register").click()
        page.get_by_text("Register saved: 1 person attended.").wait_for()
        assert_accessible(page)
    finally:
        context.close()
    session = hub.sessions.get()
    assert list(session.attendances.values_list("person_id", flat=True)) == [child.pk]
