"""A date typed into a request for support outside 1900-2099 is refused in the words of the
front door's form, naming the person's field, and no request is stored."""

import pytest
from rest_framework.test import APIClient

from referrals.models import Referral
from tests.conftest import signed_in
from tests.referrals.test_api import payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    "field, label",
    [("date_of_birth", "Date of birth"), ("expected_date", "Expected date of delivery")],
)
def test_a_date_outside_the_calendar_is_refused(referrer, district, day, field, label):
    body = payload(district)
    body["people"][0] |= {"date_of_birth": None, field: day}
    response = signed_in(APIClient(), referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"people": {"0": {field: [f"{label} must be between 1900 and 2099"]}}}
    assert not Referral.objects.exists()
