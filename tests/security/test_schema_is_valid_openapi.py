"""The API's OpenAPI document is valid OpenAPI 3, as an outside system's tools check it
(openapi-spec-validator): a referrer's email documented with the default "" (not an email)
made the whole document invalid, and code generators refuse such a document."""

import pytest
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_api_schema_is_valid_openapi(practitioner):
    schema = signed_in(APIClient(), practitioner).get("/api/schema/?format=json").json()

    validate(schema)  # raises, naming the place, on any fault
    assert schema["openapi"].startswith("3.")
