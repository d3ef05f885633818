"""Lists stay a constant number of SQL queries however much data there is."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Role
from tests import factories
from tests.conftest import signed_in


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def manager_with_cases(eh_team, district):
    manager = factories.UserFactory(role=Role.TEAM_MANAGER, agency=eh_team, districts=[district])
    workers = [factories.UserFactory(agency=eh_team, districts=[district]) for _ in range(3)]

    def add_cases(n):
        for i in range(n):
            factories.open_case(lead=workers[i % 3], consent_agencies=[eh_team])

    return manager, add_cases


@pytest.mark.parametrize(
    "url", [reverse("case_list"), "/api/v1/cases/", "/api/v1/families/", "/api/v1/people/"]
)
def test_listing_50_cases_for_a_district_manager_is_a_constant_number_of_queries(
    client, manager_with_cases, url
):
    manager, add_cases = manager_with_cases
    signed_in(client, manager)
    add_cases(5)
    few = _queries(client, url)
    add_cases(55)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with 5 cases, {many} with 60"


@pytest.mark.parametrize(
    "url", [f"{reverse('dashboard_cases')}?figure=open", reverse("dashboard_referrals")]
)
def test_a_dashboard_drill_down_reads_no_filter_options_however_many_cases(
    client, manager_with_cases, url
):
    """A drill-down applies the dashboard's filters but shows no filter form: it reads none
    of the drop-downs' districts and agencies, and its queries do not grow with the cases."""
    manager, add_cases = manager_with_cases
    signed_in(client, manager)
    add_cases(5)
    few = _queries(client, url)
    add_cases(30)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == few
    options = re.compile(r'SELECT (DISTINCT )?"partners_(district|agency)"\.')
    assert not any(options.match(q["sql"]) for q in captured)
