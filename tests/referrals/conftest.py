import pytest

from partners.models import AgencyKind, Role
from tests import factories


@pytest.fixture
def referrer(school, district):
    """A teacher: a partner-agency professional who asks for support."""
    return factories.UserFactory(
        full_name="Tom Barnes", agency=school, districts=[district], job_title="DSL"
    )


@pytest.fixture
def other_front_door_officer(front_door_officer, district):
    return factories.UserFactory(
        full_name="Second Officer",
        role=Role.FRONT_DOOR,
        agency=front_door_officer.agency,
        districts=[district],
    )


@pytest.fixture
def far_front_door_officer(front_door_officer, other_district):
    return factories.UserFactory(
        role=Role.FRONT_DOOR, agency=front_door_officer.agency, districts=[other_district]
    )


@pytest.fixture
def school_manager(school, district):
    return factories.UserFactory(role=Role.TEAM_MANAGER, agency=school, districts=[district])


@pytest.fixture
def social_worker(district):
    agency = factories.AgencyFactory(name="Children's Social Care", kind=AgencyKind.SOCIAL_CARE)
    agency.districts.add(district)
    return factories.UserFactory(agency=agency, districts=[district], full_name="Sian Pryce")
