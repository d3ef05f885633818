"""What the reviews API says it sends is what it sends."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_review_not_yet_recorded_may_have_no_recorder_in_the_schema(practitioner):
    """A scheduled review has recorded_by null, which the schema did not allow."""
    api = signed_in(APIClient(), practitioner)
    schema = api.get(reverse("api_schema") + "?format=json").json()
    recorded_by = schema["components"]["schemas"]["ReviewOutput"]["properties"]["recorded_by"]
    assert recorded_by["nullable"] is True
