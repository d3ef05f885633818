"""Keeping the directory: each rule gives a message for its field and stores nothing."""

import pytest

from directory import selectors, services
from directory.models import Contact, Schedule, ServiceNeed, SessionAttendance
from partners.models import Service
from tests import factories

from .conftest import make_service, need

pytestmark = pytest.mark.django_db


def test_a_service_is_saved_with_needs_times_places_and_its_contact(
    directory_editor, organisation, place
):
    service = make_service(
        directory_editor,
        organisation,
        locations=[place],
        opening_times="Monday 10:00 to 12:00\nthu 9.30-11 term time only",
        contact_name="Hub reception",
        contact_phone="0300 555 0199",
    )
    assert [(s.byday, f"{s.opens_at:%H:%M}", s.description) for s in Schedule.objects.all()] == [
        ("MO", "10:00", ""),
        ("TH", "09:30", "term time only"),
    ]
    assert list(service.eligible_needs.values_list("need__code", flat=True)) == ["early_years"]
    assert service.service_at_locations.get().location == place
    assert Contact.objects.get().name == "Hub reception"
    assert service.editor == directory_editor
    assert service.last_reviewed_on is not None


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"phone": ""}, "phone", "at least one way to contact"),
        ({"minimum_age": 11, "maximum_age": 5}, "minimum_age", "wrong way round"),
        ({"opening_times": "Mondays from ten"}, "opening_times", "Line 1"),
        ({"opening_times": "Friday 17:00 to 9:00"}, "opening_times", "before the closing"),
        ({"free": False, "cost": ""}, "cost", "costs"),
        ({"name": "  "}, "name", "name of the service"),
    ],
)
def test_bad_entries_are_refused_with_a_message_for_the_field_and_nothing_stored(
    directory_editor, organisation, overrides, field, words
):
    with pytest.raises(services.InvalidEntry) as error:
        make_service(directory_editor, organisation, **overrides)
    assert words in error.value.errors[field]
    assert not Service.objects.exists()
    assert not ServiceNeed.objects.exists()


def test_a_contact_email_alone_is_a_way_in(directory_editor, organisation):
    service = make_service(
        directory_editor,
        organisation,
        phone="",
        contact_name="Duty worker",
        contact_email="duty@example.org",
    )
    assert service.contacts.get().email == "duty@example.org"


def test_editing_replaces_needs_and_times_without_duplicates(directory_editor, organisation):
    service = make_service(directory_editor, organisation)
    services.service_save(
        acting_user=directory_editor,
        service=service,
        data=services.ServiceInput(
            name="Stay and play (term time)",
            organisation=organisation,
            phone="0300 555 0101",
            needs=[need("early_years"), need("send", "vulnerability")],
            opening_times="Tuesday 10:00 to 11:30",
        ),
    )
    service.refresh_from_db()
    assert service.name == "Stay and play (term time)"
    assert ServiceNeed.objects.filter(service=service).count() == 2
    assert list(Schedule.objects.values_list("byday", flat=True)) == ["TU"]


def test_search_by_need_age_district_hub_and_words(
    directory_editor, organisation, hub, district, other_district
):
    toddlers = make_service(directory_editor, organisation, family_hub=hub, districts=[district])
    debt = make_service(
        directory_editor,
        organisation,
        name="Money advice",
        minimum_age=None,
        maximum_age=None,
        needs=[need("financial_stability")],
        description="Debt and benefits",
    )
    teens = make_service(
        directory_editor,
        organisation,
        name="Youth club",
        minimum_age=11,
        maximum_age=18,
        districts=[other_district],
        needs=[need("crime")],
    )
    inactive = make_service(directory_editor, organisation, name="Closed group", status="inactive")

    def found(**kw):
        return list(selectors.service_search(selectors.DirectoryQuery(**kw)))

    assert found() == [debt, toddlers, teens]
    assert inactive in found(include_inactive=True)
    assert found(need_ids=(need("financial_stability").pk,)) == [debt]
    assert found(age=3) == [debt, toddlers]
    assert found(age=15) == [debt, teens]
    # County-wide services (no district) show in every district.
    assert found(district_id=district.pk) == [debt, toddlers]
    assert found(hub_id=hub.pk) == [toddlers]
    assert found(text="debt benefits") == [debt]
    assert found(text="home-start") == [debt, toddlers, teens]


def test_marking_reviewed_restarts_the_clock(directory_editor, organisation):
    from .conftest import age_review

    service = make_service(directory_editor, organisation)
    age_review(service, 400)
    service.refresh_from_db()
    services.service_mark_reviewed(service=service, acting_user=directory_editor)
    service.refresh_from_db()
    assert selectors.review_due_on(service.last_reviewed_on, service.last_reviewed_on) > (
        service.last_reviewed_on
    )
    assert not list(selectors.services_due_for_review(service.last_reviewed_on))


# --- Hubs ---


def test_register_records_registered_people_and_refuses_anyone_else_saving_nothing(
    hub, hub_worker, session, district
):
    registered = factories.family_with_children(district=district, children=2)
    elsewhere = factories.family_with_children(district=district)
    services.hub_family_register(hub=hub, family=registered, acting_user=hub_worker)
    people = [m.person_id for m in registered.memberships.all()]
    stranger = elsewhere.memberships.first().person

    with pytest.raises(services.InvalidEntry) as error:
        services.session_register_take(
            session=session, acting_user=hub_worker, person_ids=people + [stranger.pk]
        )
    assert stranger.full_name in error.value.errors["people"]
    assert "not registered at Amberford Family Hub" in error.value.errors["people"]
    assert not SessionAttendance.objects.exists()

    services.session_register_take(session=session, acting_user=hub_worker, person_ids=people)
    assert set(session.attendances.values_list("person_id", flat=True)) == set(people)
    # Taking it again with one fewer replaces the register.
    services.session_register_take(session=session, acting_user=hub_worker, person_ids=people[:1])
    assert list(session.attendances.values_list("person_id", flat=True)) == people[:1]


def test_a_family_is_registered_once_per_hub(hub, hub_worker, district):
    family = factories.family_with_children(district=district)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    with pytest.raises(services.DomainError, match="already registered"):
        services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)


def test_a_session_must_end_after_it_starts(hub, hub_worker):
    import datetime

    with pytest.raises(services.InvalidEntry) as error:
        services.hub_session_create(
            hub=hub,
            acting_user=hub_worker,
            kind="youth",
            title="Youth club",
            held_on=datetime.date(2026, 11, 2),
            starts_at=datetime.time(19),
            ends_at=datetime.time(18),
        )
    assert "end after it starts" in error.value.errors["ends_at"]


def test_reach_counts_children_parents_group_parenting_and_deprived_families(
    hub, hub_worker, district
):
    import datetime

    poor = factories.family_with_children(district=district, children=2, deprivation_decile=1)
    well_off = factories.family_with_children(district=district, deprivation_decile=9)
    for family in (poor, well_off):
        services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    day = datetime.date(2026, 10, 1)

    def held(kind, people):
        s = services.hub_session_create(
            hub=hub,
            acting_user=hub_worker,
            kind=kind,
            title=kind,
            held_on=day,
            starts_at=datetime.time(10),
            ends_at=datetime.time(11),
        )
        services.session_register_take(session=s, acting_user=hub_worker, person_ids=people)

    poor_people = [m.person_id for m in poor.memberships.all()]  # a parent and two children
    held("stay_and_play", poor_people)
    held("parenting", poor_people[:1])
    held("drop_in", [well_off.memberships.first().person_id])  # the parent, one to one

    [reach] = selectors.hub_reach(
        [hub], start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    assert reach.families_registered == 2
    assert reach.families_reached == 2
    assert reach.families_reached_deprived == 1
    assert reach.children_reached == 2
    assert reach.adults_reached == 2
    assert reach.sessions == 3
    assert reach.group_sessions == 2
    assert reach.group_people == 3
    assert reach.parenting_sessions == 1
    assert reach.parenting_people == 1


def test_no_attendance_is_recorded_before_the_session_s_day(hub, hub_worker, district):
    import datetime

    from django.utils import timezone

    family = factories.family_with_children(district=district)
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future = services.hub_session_create(
        hub=hub,
        acting_user=hub_worker,
        kind="stay_and_play",
        title="Stay and play",
        held_on=tomorrow,
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )
    people = [m.person_id for m in family.memberships.all()]
    with pytest.raises(services.InvalidEntry) as error:
        services.session_register_take(session=future, acting_user=hub_worker, person_ids=people)
    assert error.value.errors["people"] == (
        f"This session is on {tomorrow:%A %-d %B %Y}. Record who came on the day of the "
        "session or after it"
    )
    assert not SessionAttendance.objects.exists()
