"""Directory and hub pages through the test client: bad input keeps what was typed, lists
stay a constant number of queries, reviews reach the editor through the reminders engine,
and strategic viewers see small numbers suppressed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import services
from earlyhelp.models import Notification
from partners.models import Service
from reminders import services as reminders
from reminders.models import DeadlineKind, ReminderOccurrence, Stage
from tests import factories
from tests.conftest import searched, signed_in

from .conftest import age_review, make_service, need

pytestmark = pytest.mark.django_db


def _form(organisation, **overrides):
    data = {
        "name": "Dads' group",
        "organisation": organisation.pk,
        "status": "active",
        "minimum_age": "",
        "maximum_age": "",
        "free": "on",
        "phone": "0300 555 0102",
        "opening_times": "Saturday 10:00 to 12:00",
        "how_to_access": "Drop in",
    }
    data.update(overrides)
    return data


def test_editor_adds_a_service_and_sees_it(client, directory_editor, organisation):
    c = signed_in(client, directory_editor)
    response = c.post(
        reverse("directory_service_new"),
        _form(organisation, needs_sf=[need("family_relationships").pk]),
    )
    service = Service.objects.get()
    assert response.url == reverse("directory_service", args=[service.pk])
    page = c.get(response.url).content.decode()
    assert "Dads&#x27; group" in page and "Saturday 10:00 to 12:00" in page
    assert "Improved family relationships" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"phone": ""}, "Give at least one way to contact the service"),
        ({"minimum_age": "12", "maximum_age": "5"}, "check they are not the wrong way round"),
        ({"minimum_age": "five"}, "Youngest age must be a whole number of years"),
        ({"opening_times": "Saturday morning"}, "Line 1 of the opening times"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.org"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    client, directory_editor, organisation, overrides, message
):
    c = signed_in(client, directory_editor)
    response = c.post(reverse("directory_service_new"), _form(organisation, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert 'value="Dads&#x27; group"' in page  # what was typed is still there
    assert "Saturday" in page
    assert not Service.objects.exists()


def test_every_wrong_field_of_a_service_is_named_at_once(client, directory_editor, organisation):
    c = signed_in(client, directory_editor)
    response = c.post(
        reverse("directory_service_new"),
        _form(
            organisation,
            phone="",
            url="not a website",
            free="",
            cost="",
            opening_times="Saturday morning",
            minimum_age="12",
            maximum_age="5",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    for message in (
        "Enter a website address like https://example.org",
        "Say what the service costs, or mark it as free",
        "Line 1 of the opening times",
        "check they are not the wrong way round",
    ):
        assert message in summary
    # The website typed wrongly is still a way in: no second message asks for one.
    assert "Give at least one way to contact the service" not in page
    assert 'value="not a website"' in page
    assert not Service.objects.exists()


def test_search_page_filters_and_pages_in_constant_queries(
    client, practitioner, directory_editor, organisation, hub
):
    c = signed_in(client, practitioner)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        return len(captured)

    url = reverse("directory_search") + f"?need={need('early_years').pk}&age=3"
    make_service(directory_editor, organisation, name="Service 000")
    few = queries(url)
    for i in range(1, 30):
        make_service(
            directory_editor,
            organisation,
            name=f"Service {i:03d}",
            family_hub=hub,
            contact_name="Reception",
            contact_phone="0300 555 0000",
        )
    many = queries(url)
    assert many <= few + 1
    page = c.get(url).content.decode()
    assert "30 services" in page and "page 1 of 2" in page
    assert "Service 019" in page and "Service 020" not in page
    assert "Service 020" in c.get(url + "&page=2").content.decode()
    bad = c.get(reverse("directory_search") + "?age=-3").content.decode()
    assert "Enter an age from 0 to 25" in bad


def test_search_shows_inactive_services_to_nobody_but_editors(
    client, practitioner, directory_editor, organisation
):
    closed = make_service(directory_editor, organisation, name="Closed group", status="inactive")
    c = signed_in(client, practitioner)
    assert c.get(reverse("directory_service", args=[closed.pk])).status_code == 404
    signed_in(client, directory_editor)
    assert client.get(reverse("directory_service", args=[closed.pk])).status_code == 200


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_an_entry_not_reviewed_for_a_year_reminds_its_editor(
    client, directory_editor, organisation, practitioner
):
    stale = make_service(directory_editor, organisation, name="Stale entry")
    fresh = make_service(directory_editor, organisation, name="Fresh entry")
    age_review(stale, 400)
    today = timezone.localdate()

    reminders.reminders_sweep(today=today)
    rows = list(ReminderOccurrence.objects.values_list("kind", "record_id", "stage", "recipient"))
    assert rows == [(DeadlineKind.SERVICE_REVIEW, stale.pk, Stage.OVERDUE, directory_editor.pk)]
    assert fresh.pk not in [r[1] for r in rows]
    reminders.reminders_send_pending(max_seconds=5)
    note = Notification.objects.get(user=directory_editor)
    assert "directory entry" in note.subject and "overdue" in note.subject
    assert note.url == reverse("directory_service", args=[stale.pk])

    signed_in(client, directory_editor)
    assert "Stale entry" in client.get(reverse("directory_reviews")).content.decode()
    client.post(reverse("directory_service_reviewed", args=[stale.pk]))
    stale.refresh_from_db()
    assert stale.last_reviewed_on == today
    listed = client.get(reverse("directory_reviews")).content.decode()
    assert reverse("directory_service", args=[stale.pk]) not in listed


def test_a_former_editor_is_not_reminded(directory_editor, organisation):
    stale = make_service(directory_editor, organisation)
    age_review(stale, 400)
    directory_editor.user_permissions.clear()
    reminders.reminders_sweep(today=timezone.localdate())
    assert not ReminderOccurrence.objects.exists()


# --- Hubs ---


def test_register_page_ticks_saves_and_refuses_unregistered_people_keeping_ticks(
    client, hub, hub_worker, session, district
):
    family = factories.family_with_children(district=district, children=1)
    other = factories.family_with_children(district=district)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    child = family.memberships.get(relationship="child").person
    stranger = other.memberships.first().person
    c = signed_in(client, hub_worker)
    url = reverse("hub_session_register", args=[session.pk])
    at_search = c.post(url, {"q": child.first_name, "find": "1"})["Location"]
    found = c.get(at_search).content.decode()
    assert child.full_name in found and stranger.full_name not in found

    refused = c.post(at_search, {"people": [child.pk], "add_person": f"P-{stranger.pk:06d}"})
    page = refused.content.decode()
    assert f"{stranger.full_name} is not registered at Amberford Family Hub" in page
    assert f'value="{child.pk}" checked' in page
    assert f"P-{stranger.pk:06d}" in page
    assert not session.attendances.exists()

    saved = c.post(url, {"people": [child.pk]})
    assert saved.status_code == 302
    assert "Register saved: 1 person attended." in c.get(saved.url).content.decode()
    assert list(session.attendances.values_list("person_id", flat=True)) == [child.pk]
    again = c.get(url).content.decode()  # the regulars come back ticked
    assert f'value="{child.pk}" checked' in again


def test_hub_staff_work_only_with_the_hubs_of_their_districts(
    client, hub_worker, other_hub, hub, district
):
    c = signed_in(client, hub_worker)
    assert c.get(reverse("hub_detail", args=[hub.pk])).status_code == 200
    assert c.get(reverse("hub_detail", args=[other_hub.pk])).status_code == 404
    family = factories.family_with_children(district=district, name="Quill household")
    page = searched(c, reverse("hub_register_family", args=[hub.pk]), {"q": "quill"})
    page = page.content.decode()
    assert "Quill household" in page
    response = c.post(reverse("hub_register_family", args=[hub.pk]), {"family": family.pk})
    assert response.status_code == 302
    assert hub.registrations.get().family == family


def test_session_form_explains_bad_times(client, hub, hub_worker):
    c = signed_in(client, hub_worker)
    response = c.post(
        reverse("hub_session_new", args=[hub.pk]),
        {
            "kind": "youth",
            "title": "Youth club",
            "held_on": "2026-11-02",
            "starts_at": "19:00",
            "ends_at": "18:00",
        },
    )
    page = response.content.decode()
    assert "The session must end after it starts" in page and 'value="Youth club"' in page


def test_dashboard_suppresses_small_numbers_for_strategic_viewers_only(
    client, hub, hub_worker, session, district, strategic_viewer, district_manager
):
    family = factories.family_with_children(district=district, children=2)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    people = [m.person_id for m in family.memberships.all()]
    services.session_register_take(session=session, acting_user=hub_worker, person_ids=people)
    url = reverse("hub_dashboard") + "?start=2026-01-01&end=2026-12-31"

    def cells(user):
        page = signed_in(client, user).get(url).content.decode()
        row = page.split("Amberford Family Hub</th>")[1].split("</tr>")[0]
        return [c.split(">")[1].split("<")[0] for c in row.split("<td")[1:]]

    assert cells(district_manager)[:4] == ["1", "1", "2", "1"]
    assert cells(strategic_viewer)[:4] == ["&lt;5", "&lt;5", "&lt;5", "&lt;5"]
    assert (
        "No family can be identified"
        not in signed_in(client, district_manager).get(url).content.decode()
    )


def test_dashboard_is_a_constant_number_of_queries(client, district_manager, district):
    from partners.models import FamilyHub

    c = signed_in(client, district_manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert c.get(reverse("hub_dashboard")).status_code == 200
        return len(captured)

    FamilyHub.objects.create(district=district, name="Hub A")
    few = queries()
    for i in range(10):
        FamilyHub.objects.create(district=district, name=f"Hub {i}")
    assert queries() == few


def test_dashboard_figures_follow_the_registers_as_they_are_taken(
    client, hub, hub_worker, session, district, district_manager
):
    """Each hub's figures are kept in the cache between views (many managers open the same
    period), but never outlive a register taken or changed at that hub."""
    from directory import selectors

    family = factories.family_with_children(district=district, children=2)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    people = [m.person_id for m in family.memberships.all()]
    url = reverse("hub_dashboard") + "?start=2026-01-01&end=2026-12-31"
    c = signed_in(client, district_manager)

    def reached():
        row = c.get(url).context["rows"][0][1]
        return row["children_reached"], row["adults_reached"]

    assert reached() == (0, 0)
    services.session_register_take(session=session, acting_user=hub_worker, person_ids=people)
    assert reached() == (2, 1)
    with CaptureQueriesContext(connection) as captured:
        assert reached() == (2, 1)
    assert not any("directory_sessionattendance sa" in q["sql"] for q in captured.captured_queries)
    # A child unticked: rows deleted, none added.
    services.session_register_take(session=session, acting_user=hub_worker, person_ids=people[:2])
    assert reached() == (1, 1)
    # With the cache emptied the figures are computed again, the same.
    year = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}
    keys = selectors._reach_keys([hub.pk], deprived=selectors.conf.deprived_deciles(), **year)
    selectors.cache.delete_many(list(keys.values()))
    assert selectors.hub_reach([hub], **year)[0].children_reached == 1


@pytest.mark.parametrize("situation", ["restricted_person", "named", "restricted_household"])
def test_the_register_shows_a_restricted_person_only_as_whom_to_contact(
    client, hub, hub_worker, session, district, situation
):
    """Issue 17, point 1: a restricted regular is on the register as 'a restricted record:
    contact X' (still tickable), a name search does not find them, and a number typed for an
    unregistered restricted person is refused without their name. Named people see them."""
    family = factories.family_with_children(district=district, children=1)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    child = family.memberships.get(relationship="child").person
    stranger = factories.PersonFactory(first_name="Zebedee", restricted=True)
    services.session_register_take(session=session, acting_user=hub_worker, person_ids=[child.pk])
    restricted = family if situation == "restricted_household" else child
    restricted.restricted = stranger.restricted = True
    restricted.restricted_contact = stranger.restricted_contact = "Marta Quince"
    restricted.save()
    stranger.save()
    if situation == "named":
        child.named_people.add(hub_worker)
        stranger.named_people.add(hub_worker)
    c = signed_in(client, hub_worker)
    url = reverse("hub_session_register", args=[session.pk])
    page = c.get(url).content.decode()
    found = searched(c, url, {"q": child.first_name}, find="1").content.decode()
    refused = c.post(url, {"people": [child.pk], "add_person": f"P-{stranger.pk:06d}"})
    refused_text = refused.content.decode()
    if situation == "named":
        assert child.full_name in page and child.full_name in found
        assert "Zebedee" in refused_text
        return
    assert child.full_name not in page and family.name not in page
    assert "Restricted record: contact Marta Quince" in page
    assert f'value="{child.pk}" checked' in page  # still on the register, still ticked
    assert child.full_name not in found
    assert "Zebedee" not in refused_text
    assert "Restricted record: contact Marta Quince" in refused_text


def test_dashboard_hides_a_second_hub_so_a_small_number_cannot_be_rebuilt_from_the_total(
    client, hub, hub_worker, district, strategic_viewer, district_manager
):
    """Issue 17, point 8: with a '<5' hub and a total on the page, the total minus the other
    hub rebuilt it; the smallest other hub in that column is hidden too, as '[c]'."""
    from partners.models import FamilyHub

    brook = FamilyHub.objects.create(district=district, name="Brook Family Hub")
    for at, n in ((hub, 2), (brook, 6)):
        for _ in range(n):
            family = factories.family_with_children(district=district, children=1)
            services.hub_family_register(hub=at, family=family, acting_user=hub_worker)
    url = reverse("hub_dashboard") + "?start=2026-01-01&end=2026-12-31"

    def first_column(user):
        page = signed_in(client, user).get(url).content.decode()
        cells = {}
        for name in ("Amberford Family Hub", "Brook Family Hub", "All hubs shown"):
            row = page.split(f"{name}</th>")[1].split("</tr>")[0]
            cells[name] = row.split("<td")[1].split(">")[1].split("<")[0]
        return cells

    assert first_column(district_manager) == {
        "Amberford Family Hub": "2",
        "Brook Family Hub": "6",
        "All hubs shown": "8",
    }
    assert first_column(strategic_viewer) == {
        "Amberford Family Hub": "&lt;5",
        "Brook Family Hub": "[c]",
        "All hubs shown": "8",
    }


def test_a_hubs_deprived_share_cannot_be_worked_out_from_the_totals(
    client, strategic_viewer, district, monkeypatch
):
    """Issue 17, point 8: one hub reached 3 families in deprived areas (a small number). Its
    share is hidden, and so is the other hub's, or the total's share minus the other hub's
    would give the 3 away."""
    from directory import views
    from directory.selectors import HubReach
    from partners.models import FamilyHub

    small = FamilyHub.objects.create(district=district, name="Aldbridge Hub")
    large = FamilyHub.objects.create(district=district, name="Brockwell Hub")
    figures = [
        HubReach(hub=small, families_reached=20, families_reached_deprived=3),
        HubReach(hub=large, families_reached=30, families_reached_deprived=10),
    ]
    monkeypatch.setattr(views.selectors, "hub_reach", lambda hubs, start, end: figures)
    monkeypatch.setattr(views.access, "hubs_with_figures_for", lambda user: FamilyHub.objects)
    page = signed_in(client, strategic_viewer).get(reverse("hub_dashboard"))
    shares = {hub.name: shown["deprived_percent"] for hub, shown in page.context["rows"]}
    assert shares == {"Aldbridge Hub": None, "Brockwell Hub": None}
    assert page.context["totals"]["deprived_percent"] == 26  # 13 of 50: neither hub's share


@pytest.mark.parametrize("query", ["?end=0001-01-01", "?start=0001-01-01&end=0001-01-01"])
def test_a_dashboard_date_in_year_one_shows_the_last_year_not_a_server_error(
    client, district_manager, query
):
    """An end date in year 1 used to give 'problem with the service': the dashboard counts a
    year back from it, before the calendar begins."""
    today = timezone.localdate()
    page = signed_in(client, district_manager).get(reverse("hub_dashboard") + query)
    assert page.status_code == 200
    assert page.context["end"] == today


def test_a_nul_in_the_register_search_finds_no_one_instead_of_failing(client, hub_worker, session):
    """A NUL in the name search used to give 'problem with the service'."""
    url = reverse("hub_session_register", args=[session.pk])
    response = searched(signed_in(client, hub_worker), url, {"q": "Li\x00ly"}, find="1")
    assert response.status_code == 200
    assert "That search has expired" not in response.content.decode()


def test_a_question_left_unanswered_says_which_not_this_field_is_required(
    client, directory_editor, organisation
):
    """'Is it running?' and 'Kind of place' left unanswered said only 'This field is
    required.'"""
    c = signed_in(client, directory_editor)
    service = c.post(reverse("directory_service_new"), _form(organisation, status=""))
    assert "Choose whether the service is running" in service.content.decode()
    place = c.post(reverse("directory_location_new"), {"name": "Old library"})
    page = place.content.decode()
    assert "Choose the kind of place" in page and "This field is required" not in page


def test_the_register_of_a_session_still_to_come_says_when_it_opens(
    client, hub, hub_worker, district
):
    family = factories.family_with_children(district=district, children=1)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    child = family.memberships.get(relationship="child").person
    day = datetime.date(2031, 1, 1)
    assert day > timezone.localdate()
    future = services.hub_session_create(
        hub=hub,
        acting_user=hub_worker,
        kind="stay_and_play",
        title="New year stay and play",
        held_on=day,
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )
    c = signed_in(client, hub_worker)
    url = reverse("hub_session_register", args=[future.pk])
    page = c.get(url).content.decode()
    message = (
        "This session is on Wednesday 1 January 2031. Record who came on the day of the "
        "session or after it"
    )
    assert message in page
    assert "Save the register" not in page
    refused = c.post(url, {"people": [child.pk]})
    assert refused.status_code == 200
    assert message in refused.content.decode()
    assert not future.attendances.exists()
