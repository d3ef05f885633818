"""Editors are scoped to their hub (issue 18 point 1): a hub manager (and any hub-bound
directory editor) keeps only the services, places and sessions of their own hubs and their
agency; anything else is a 404, as if it did not exist. The council's directory team
(edit_whole_directory) keeps the whole directory and alone imports feeds."""

import datetime

import pytest
from django.urls import reverse

from directory import services
from directory.models import Location
from partners.models import Role, Service
from tests import factories
from tests.conftest import signed_in

from .conftest import grant, make_service
from .test_views import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(district, other_district, hub, other_hub, organisation):
    hub_team = factories.EarlyHelpTeamFactory(name="Amberford Hub Team", family_hub=hub)
    hub_team.districts.add(district)
    manager = grant(
        factories.UserFactory(
            full_name="Hana Okafor", role=Role.TEAM_MANAGER, agency=hub_team, districts=[district]
        ),
        "edit_directory",
        "run_hub",
    )
    county_editor = grant(
        factories.UserFactory(
            full_name="Dev Mistry", role=Role.PRACTITIONER, agency=hub_team, districts=[district]
        ),
        "edit_directory",
        "edit_whole_directory",
    )
    mine = make_service(county_editor, organisation, name="Amberford stay and play", family_hub=hub)
    theirs = make_service(
        county_editor, organisation, name="Brackenmoor stay and play", family_hub=other_hub
    )
    county = make_service(county_editor, organisation, name="Money advice line")
    here = Location.objects.create(name="Amberford hub", location_type="virtual", family_hub=hub)
    there = Location.objects.create(
        name="Brackenmoor hub", location_type="virtual", family_hub=other_hub
    )
    session = services.hub_session_create(
        hub=other_hub,
        acting_user=county_editor,
        kind="group",
        title="Brackenmoor group",
        held_on=datetime.date(2026, 11, 2),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    return manager, county_editor, mine, theirs, county, here, there, session


def test_a_hub_manager_keeps_their_own_hubs_entries_only(client, scoped, hub, other_hub):
    manager, _, mine, theirs, county, here, there, session = scoped
    c = signed_in(client, manager)
    assert c.get(reverse("directory_service_edit", args=[mine.pk])).status_code == 200
    assert c.get(reverse("directory_location_edit", args=[here.pk])).status_code == 200
    for url in (
        reverse("directory_service_edit", args=[theirs.pk]),
        reverse("directory_service_edit", args=[county.pk]),
        reverse("directory_location_edit", args=[there.pk]),
        reverse("hub_session_register", args=[session.pk]),
        reverse("hub_session_new", args=[other_hub.pk]),
    ):
        assert c.get(url).status_code == 404, url
    before = theirs.last_reviewed_on
    assert c.post(reverse("directory_service_reviewed", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.last_reviewed_on == before
    # Lists show only what they keep.
    places = c.get(reverse("directory_locations")).content.decode()
    assert "Amberford hub" in places and "Brackenmoor hub" not in places
    # Importing may update any entry: the whole directory's editors only.
    assert c.get(reverse("directory_import")).status_code == 403


def test_a_hub_manager_cannot_put_a_service_or_place_in_another_hub(
    client, scoped, organisation, hub, other_hub
):
    manager, _, mine, *_ = scoped
    c = signed_in(client, manager)
    response = c.post(
        reverse("directory_service_new"), _form(organisation, family_hub=other_hub.pk)
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Service.objects.filter(name="Dads' group").exists()
    with pytest.raises(services.InvalidEntry) as error:
        services.service_save(
            acting_user=manager,
            service=mine,
            data=services.ServiceInput(
                name=mine.name, organisation=organisation, phone="0300", family_hub=other_hub
            ),
        )
    assert "your own hubs" in error.value.errors["family_hub"]
    mine.refresh_from_db()
    assert mine.family_hub == hub
    response = c.post(
        reverse("directory_location_new"),
        {"name": "Brackenmoor library", "location_type": "virtual", "family_hub": other_hub.pk},
    )
    assert "you keep the places of your own hubs only" in response.content.decode()
    assert not Location.objects.filter(name="Brackenmoor library").exists()

    response = c.post(reverse("directory_service_new"), _form(organisation, family_hub=hub.pk))
    assert response.status_code == 302
    assert Service.objects.get(name="Dads' group").family_hub == hub


def test_the_directory_team_keeps_every_hubs_entries(client, scoped, other_hub):
    _, county_editor, mine, theirs, county, here, there, _ = scoped
    c = signed_in(client, county_editor)
    for url in (
        reverse("directory_service_edit", args=[theirs.pk]),
        reverse("directory_service_edit", args=[county.pk]),
        reverse("directory_location_edit", args=[there.pk]),
        reverse("directory_import"),
    ):
        assert c.get(url).status_code == 200, url
    response = c.post(reverse("directory_service_reviewed", args=[theirs.pk]), follow=False)
    assert response.status_code == 302
