import datetime

import pytest

from partners.models import Role
from reporting.selectors import Period
from tests import factories

Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


@pytest.fixture
def period():
    return Q3


@pytest.fixture
def other_manager(other_district):
    team = factories.EarlyHelpTeamFactory(name="Brackenmoor Early Help Team")
    team.districts.add(other_district)
    return factories.UserFactory(role=Role.TEAM_MANAGER, agency=team, districts=[other_district])


@pytest.fixture
def other_practitioner(other_district):
    team = factories.EarlyHelpTeamFactory(name="Brackenmoor Family Support")
    team.districts.add(other_district)
    return factories.UserFactory(agency=team, districts=[other_district])
