import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from cases.models import Need
from directory import services
from directory.models import Location
from partners.models import FamilyHub, Organisation, Role, ServiceStatus
from tests import factories


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
    )
    # has_perm caches per user object: give tests a fresh one
    return type(user).objects.get(pk=user.pk)


def need(code, framework="supporting_families"):
    return Need.objects.get(code=code, framework=framework)


@pytest.fixture
def session(hub, hub_worker):
    """A stay and play session at the hub, its register still to take."""
    return services.hub_session_create(
        hub=hub,
        acting_user=hub_worker,
        kind="stay_and_play",
        title="Stay and play",
        held_on=datetime.date(2026, 11, 2),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )


@pytest.fixture
def hub(district):
    return FamilyHub.objects.create(district=district, name="Amberford Family Hub")


@pytest.fixture
def other_hub(other_district):
    return FamilyHub.objects.create(district=other_district, name="Brackenmoor Family Hub")


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Home-Start Amberford", description="Volunteers")


@pytest.fixture
def place(hub):
    return Location.objects.create(
        name="Amberford Family Hub",
        address_1="1 Mill Lane",
        city="Amberford",
        postcode="ZZ1 1AB",
        family_hub=hub,
    )


@pytest.fixture
def directory_editor(eh_team, district):
    user = factories.UserFactory(
        full_name="Dev Mistry", role=Role.PRACTITIONER, agency=eh_team, districts=[district]
    )
    return grant(user, "edit_directory")


@pytest.fixture
def hub_worker(eh_team, district):
    user = factories.UserFactory(
        full_name="Lucy Brennan", role=Role.PRACTITIONER, agency=eh_team, districts=[district]
    )
    return grant(user, "run_hub")


def make_service(editor, organisation, **overrides):
    data = dict(
        name="Stay and play",
        organisation=organisation,
        description="Play sessions for under-fives",
        phone="0300 555 0101",
        minimum_age=0,
        maximum_age=4,
        needs=[need("early_years")],
        opening_times="Monday 10:00 to 12:00",
    )
    data.update(overrides)
    return services.service_save(acting_user=editor, data=services.ServiceInput(**data))


def age_review(service, days):
    """Make the entry last reviewed `days` ago."""
    type(service).objects.filter(pk=service.pk).update(
        last_reviewed_on=timezone.localdate() - datetime.timedelta(days=days),
        status=ServiceStatus.ACTIVE,
    )


@pytest.fixture
def referrer(school, district):
    return factories.UserFactory(full_name="Tom Barnes", agency=school, districts=[district])


@pytest.fixture
def listed(directory_editor, organisation, district, other_district):
    here = make_service(
        directory_editor, organisation, name="Amberford stay and play", districts=[district]
    )
    county = make_service(directory_editor, organisation, name="Money advice line")
    there = make_service(
        directory_editor, organisation, name="Brackenmoor youth club", districts=[other_district]
    )
    closed = make_service(
        directory_editor, organisation, name="Closed group", districts=[district], status="inactive"
    )
    return here, county, there, closed
