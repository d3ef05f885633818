"""The directory's and hubs' search and filter forms say a limit in words with the field's
label, as the GOV.UK forms do, where Django's "Ensure this value has at most 100
characters" showed (or nothing did); what was typed stays and the page never fails. The hub
dashboard's dates are held to the calendar's years as every date is."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
LONG = "a" * 101


def test_the_directory_search_says_how_long_the_words_may_be(client, practitioner):
    response = signed_in(client, practitioner).get(reverse("directory_search"), {"q": LONG})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Words must be 100 characters or fewer; you entered 101" in page
    assert "Ensure this value" not in page
    assert f'value="{LONG}"' in page


def test_the_hub_register_search_says_how_long_the_search_may_be(client, hub_worker, hub):
    url = reverse("hub_register_family", args=[hub.pk])
    response = signed_in(client, hub_worker).post(url, {"q": LONG})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Family name or postcode must be 100 characters or fewer; you entered 101" in page
    assert f'value="{LONG}"' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ({"end": "2100-01-01"}, "End date must be between 1900 and 2099"),
        ({"start": "2999-12-31", "end": "2026-01-01"}, "Start date must be between 1900 and 2099"),
        ({"start": "1-2-3"}, "Enter the start date as a real date, like 27/03/2026"),
    ],
)
def test_a_dashboard_date_outside_the_calendar_is_said_and_kept(
    client, district_manager, query, message
):
    response = signed_in(client, district_manager).get(reverse("hub_dashboard"), query)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in page
    for typed in query.values():
        assert f'value="{typed}"' in page
    assert response.context["end"] == timezone.localdate()  # the last 12 months meanwhile
