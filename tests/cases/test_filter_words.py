"""The audit trail's filter says a limit in words with the field's label, as the GOV.UK
forms do, where Django's "Ensure this value..." showed; what was typed stays and the page
never fails."""

import html

import pytest
from django.urls import reverse

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, message",
    [
        ({"record_type": "p" * 41}, "Record type must be 40 characters or fewer; you entered 41"),
        ({"record_id": "0"}, "Record number must be 1 or more"),
    ],
)
def test_the_audit_filter_says_its_limits_in_words(client, administrator, query, message):
    response = signed_in(client, administrator).get(reverse("audit_search"), query)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in page
    assert "Ensure this value" not in page
    assert f'value="{next(iter(query.values()))}"' in page
