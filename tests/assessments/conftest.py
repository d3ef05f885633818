import datetime

import pytest

from assessments import services
from cases import services as case_services
from tests import factories


@pytest.fixture
def case(practitioner, school):
    return factories.open_case(
        lead=practitioner, opened_on=datetime.date(2026, 11, 2), consent_agencies=[school]
    )


@pytest.fixture
def colleague(eh_team, district, case):
    user = factories.UserFactory(full_name="Tom Reed", agency=eh_team, districts=[district])
    case_services.taf_member_add(
        case=case, user=user, agency=eh_team, acting_user=case.lead_professional
    )
    return user


@pytest.fixture
def assessment(case):
    return services.assessment_start(
        case=case, acting_user=case.lead_professional, started_on=datetime.date(2026, 11, 2)
    )
