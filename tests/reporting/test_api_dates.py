"""The figures' period through the API is held to the years the pages allow (1900-2099): a
year-1 or year-9999 start or end is a 400 naming it, not figures for a period no one means."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ["indicators", "caseload"])
@pytest.mark.parametrize(
    "start, end, field",
    [("0001-01-01", "2026-03-31", "start"), ("2026-01-01", "9999-12-31", "end")],
)
def test_a_period_outside_the_calendar_is_refused(district_manager, endpoint, start, end, field):
    response = signed_in(APIClient(), district_manager).get(
        f"/api/v1/reporting/{endpoint}/", {"start": start, "end": end}
    )
    assert response.status_code == 400
    label = {"start": "Start date", "end": "End date"}[field]
    assert response.json() == {field: [f"{label} must be between 1900 and 2099"]}
