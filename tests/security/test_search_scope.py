"""Issue 17, point 2: identity search is scoped to each searcher's reach.

On today's code every team manager (a school's included) searched the whole authority and
consultants could not search at all: the school manager and consultant cells fail there."""

import datetime

import pytest
from django.urls import reverse

from cases.models import FamilyMembership
from partners.models import Role
from tests import factories
from tests.conftest import searched, signed_in

pytestmark = pytest.mark.django_db

DOB = datetime.date(2014, 11, 12)


def _person_in(family, first_name):
    person = factories.PersonFactory(
        first_name=first_name, last_name="Tamsworth", date_of_birth=DOB
    )
    FamilyMembership.objects.create(family=family, person=person, relationship="child")
    return person


@pytest.fixture
def households(district, other_district, school, practitioner):
    """Three households with a child each, all born the same day: one in the searcher's
    district with a case led by the school, one in the same district led by the council
    team, one in another district."""
    school_lead = factories.UserFactory(agency=school, districts=[district])
    led_by_school = factories.family_with_children(district=district, children=0)
    _person_in(led_by_school, "Saffron")
    factories.open_case(lead=school_lead, family=led_by_school)
    council = factories.family_with_children(district=district, children=0)
    _person_in(council, "Cosmo")
    factories.open_case(lead=practitioner, family=council)
    far = factories.family_with_children(district=other_district, children=0)
    _person_in(far, "Farrah")


def _found(client, user) -> set[str]:
    response = searched(
        signed_in(client, user), reverse("person_search"), {"date_of_birth": DOB.isoformat()}
    )
    assert response.status_code == 200
    text = response.content.decode()
    return {name for name in ("Saffron", "Cosmo", "Farrah") if name in text}


def test_front_door_officer_searches_their_districts(households, client, front_door_officer):
    assert _found(client, front_door_officer) == {"Saffron", "Cosmo"}


def test_council_early_help_manager_searches_their_districts(households, client, district_manager):
    assert _found(client, district_manager) == {"Saffron", "Cosmo"}


def test_school_manager_searches_only_families_of_their_agency(
    households, client, school, district
):
    school_manager = factories.UserFactory(
        role=Role.TEAM_MANAGER, agency=school, districts=[district]
    )
    assert _found(client, school_manager) == {"Saffron"}


def test_consultant_searches_their_districts(households, client, consultant):
    assert _found(client, consultant) == {"Saffron", "Cosmo"}


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.STRATEGIC])
def test_other_roles_cannot_search(households, client, eh_team, district, role):
    user = factories.UserFactory(role=role, agency=eh_team, districts=[district])
    assert signed_in(client, user).get(reverse("person_search")).status_code == 403
