"""Every new page and endpoint × every role → the exact status expected (deny by default).

Directory pages hold no personal data (any signed-in user); keeping it needs the
edit_directory permission (or an administrator); hub registers need run_hub on a role that
sees case data; hub figures are for managers, consultants, strategic viewers,
administrators and hub staff; the Open Referral UK API is open to anyone."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser  # noqa: F401
from django.urls import reverse

from directory import services
from directory.models import DirectoryImport, Location
from partners.models import Organisation, Role
from tests import factories
from tests.conftest import signed_in

from .conftest import grant, make_service

pytestmark = pytest.mark.django_db
OK, REDIRECT, DENIED = 200, 302, 403
ROLES = [
    "anonymous",
    "practitioner",
    "front_door",
    "team_manager",
    "consultant",
    "strategic",
    "administrator",
    "directory_editor",
    "hub_staff",
]
EVERYONE_SIGNED_IN = {r: OK for r in ROLES} | {"anonymous": REDIRECT}
EDITORS = {r: DENIED for r in ROLES} | {
    "anonymous": REDIRECT,
    "directory_editor": OK,
    "administrator": OK,
}
HUB = {r: DENIED for r in ROLES} | {"anonymous": REDIRECT, "hub_staff": OK}
FIGURES = {r: DENIED for r in ROLES} | {
    "anonymous": REDIRECT,
    "team_manager": OK,
    "consultant": OK,
    "strategic": OK,
    "administrator": OK,
    "hub_staff": OK,
}
PUBLIC = {r: OK for r in ROLES}


@pytest.fixture
def world(district, eh_team):
    from partners.models import FamilyHub

    hub = FamilyHub.objects.create(district=district, name="Matrix Hub")

    def user(role, **extra):
        agency = None if role == Role.ADMINISTRATOR else eh_team
        return factories.UserFactory(role=role, agency=agency, districts=[district], **extra)

    actors = {
        "practitioner": user(Role.PRACTITIONER),
        "front_door": user(Role.FRONT_DOOR),
        "team_manager": user(Role.TEAM_MANAGER),
        "consultant": user(Role.CONSULTANT),
        "strategic": user(Role.STRATEGIC),
        "administrator": user(Role.ADMINISTRATOR, is_staff=True),
        "directory_editor": grant(user(Role.PRACTITIONER), "edit_directory"),
        "hub_staff": grant(user(Role.PRACTITIONER), "run_hub"),
    }
    organisation = Organisation.objects.create(name="Matrix organisation")
    service = make_service(actors["directory_editor"], organisation)
    place = Location.objects.create(name="Matrix place", location_type="virtual")
    run = DirectoryImport.objects.create(source="file:x.json", started_by=actors["administrator"])
    session = services.hub_session_create(
        hub=hub,
        acting_user=actors["hub_staff"],
        kind="group",
        title="Group",
        held_on=datetime.date(2026, 11, 2),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    sal = service.service_at_locations.create(location=place)
    from cases.models import Need
    from directory.openreferral import taxonomy_id, term_id

    term = Need.objects.first()
    pages = {
        "directory_search": (reverse("directory_search"), EVERYONE_SIGNED_IN),
        "directory_service": (reverse("directory_service", args=[service.pk]), EVERYONE_SIGNED_IN),
        "directory_service_new": (reverse("directory_service_new"), EDITORS),
        "directory_service_edit": (reverse("directory_service_edit", args=[service.pk]), EDITORS),
        "directory_service_reviewed": (
            reverse("directory_service_reviewed", args=[service.pk]),
            EDITORS | {"directory_editor": REDIRECT, "administrator": REDIRECT},
        ),
        "directory_reviews": (reverse("directory_reviews"), EDITORS),
        "directory_organisations": (reverse("directory_organisations"), EDITORS),
        "directory_organisation_new": (reverse("directory_organisation_new"), EDITORS),
        "directory_organisation_edit": (
            reverse("directory_organisation_edit", args=[organisation.pk]),
            EDITORS,
        ),
        "directory_locations": (reverse("directory_locations"), EDITORS),
        "directory_location_new": (reverse("directory_location_new"), EDITORS),
        "directory_location_edit": (reverse("directory_location_edit", args=[place.pk]), EDITORS),
        "directory_import": (reverse("directory_import"), EDITORS),
        "directory_import_result": (reverse("directory_import_result", args=[run.pk]), EDITORS),
        "hub_list": (reverse("hub_list"), HUB),
        "hub_detail": (reverse("hub_detail", args=[hub.pk]), HUB),
        "hub_register_family": (reverse("hub_register_family", args=[hub.pk]), HUB),
        "hub_session_new": (reverse("hub_session_new", args=[hub.pk]), HUB),
        "hub_session_register": (reverse("hub_session_register", args=[session.pk]), HUB),
        "hub_dashboard": (reverse("hub_dashboard"), FIGURES),
        "openreferral_index": ("/openreferral/", PUBLIC),
        "openreferral_services": ("/openreferral/services", PUBLIC),
        "openreferral_service": (f"/openreferral/services/{service.uuid}", PUBLIC),
        "openreferral_service_at_locations": ("/openreferral/service_at_locations", PUBLIC),
        "openreferral_service_at_location": (
            f"/openreferral/service_at_locations/{sal.uuid}",
            PUBLIC,
        ),
        "openreferral_taxonomies": ("/openreferral/taxonomies", PUBLIC),
        "openreferral_taxonomy": (
            f"/openreferral/taxonomies/{taxonomy_id(term.framework)}",
            PUBLIC,
        ),
        "openreferral_taxonomy_terms": ("/openreferral/taxonomy_terms", PUBLIC),
        "openreferral_taxonomy_term": (f"/openreferral/taxonomy_terms/{term_id(term)}", PUBLIC),
    }
    return actors, pages, hub


PAGE_NAMES = [
    "directory_search",
    "directory_service",
    "directory_service_new",
    "directory_service_edit",
    "directory_service_reviewed",
    "directory_reviews",
    "directory_organisations",
    "directory_organisation_new",
    "directory_organisation_edit",
    "directory_locations",
    "directory_location_new",
    "directory_location_edit",
    "directory_import",
    "directory_import_result",
    "hub_list",
    "hub_detail",
    "hub_register_family",
    "hub_session_new",
    "hub_session_register",
    "hub_dashboard",
    "openreferral_index",
    "openreferral_services",
    "openreferral_service",
    "openreferral_service_at_locations",
    "openreferral_service_at_location",
    "openreferral_taxonomies",
    "openreferral_taxonomy",
    "openreferral_taxonomy_terms",
    "openreferral_taxonomy_term",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_page_access_matrix(client, world, role, page):
    actors, pages, _ = world
    url, expected = pages[page]
    if role != "anonymous":
        signed_in(client, actors[role])
    assert client.get(url).status_code == expected[role], f"{role} {page}"


def test_the_matrix_covers_every_new_url(world):
    from django.urls import get_resolver

    _, pages, _ = world
    names = {
        p.name
        for p in get_resolver().url_patterns
        for p in getattr(p, "url_patterns", [p])
        if getattr(p, "callback", None) and p.callback.__module__.startswith("directory.")
    }
    assert names == set(PAGE_NAMES) == set(pages)


def test_hub_staff_of_another_district_get_404_for_a_hub_or_session(client, world, other_district):
    _, pages, hub = world
    stranger = grant(
        factories.UserFactory(role=Role.PRACTITIONER, districts=[other_district]), "run_hub"
    )
    signed_in(client, stranger)
    for name in ("hub_detail", "hub_register_family", "hub_session_new", "hub_session_register"):
        assert client.get(pages[name][0]).status_code == 404, name
