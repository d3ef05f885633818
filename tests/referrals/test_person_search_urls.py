"""Find a person keeps names, dates of birth and postcodes out of the URL (GOV.UK: no personal
data in URLs): the search is sent by POST and shown at a key that says nothing
(earlyhelp/searches.py)."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from cases.codes import Relationship
from cases.models import FamilyMembership, Person
from earlyhelp.searches import KEPT
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
BORN = datetime.date(2015, 6, 9)
EXPIRED = "That search has expired. Search again."


@pytest.fixture
def hargreaves(district):
    family = factories.FamilyFactory(district=district, postcode="AB1 2CD")
    for n in range(30):
        person = Person.objects.create(
            first_name=f"Sam{n:02d}", last_name="Hargreaves", date_of_birth=BORN
        )
        FamilyMembership.objects.create(
            family=family, person=person, relationship=Relationship.CHILD
        )
    return family


CRITERIA = {"name": "Hargreaves", "date_of_birth": "09/06/2015", "postcode": "AB1 2CD"}


def test_a_search_goes_to_a_url_without_the_name_date_of_birth_or_postcode(
    client, front_door_officer, hargreaves
):
    signed_in(client, front_door_officer)
    sent = client.post(reverse("person_search"), CRITERIA)
    assert sent.status_code == 302
    url = sent["Location"]
    path, query = url.split("?")
    assert path == reverse("person_search") and list(parse_qs(query)) == ["search"]
    for typed in ("hargreaves", "09/06/2015", "09%2f06%2f2015", "2015-06-09", "ab1", "2cd"):
        assert typed not in url.lower()
    page = client.get(url)
    html = page.content.decode()
    assert "30 results" in html and "Showing 1 to 25 of 30" in html
    assert 'value="Hargreaves"' in html and 'value="09/06/2015"' in html  # the form as sent
    again = client.get(url)  # Refresh (and Back) show the same people
    assert [p.pk for p in again.context["results"]] == [p.pk for p in page.context["results"]]


def test_the_next_page_goes_through_the_key(client, front_door_officer, hargreaves):
    signed_in(client, front_door_officer)
    url = client.post(reverse("person_search"), {"name": "Hargreaves"})["Location"]
    first = client.get(url)
    key = url.split("?")[1]
    assert f"?{key}&amp;page=2" in first.content.decode()
    second = client.get(f"{url}&page=2")
    assert "Showing 26 to 30 of 30" in second.content.decode()
    assert not {p.pk for p in first.context["results"]} & {p.pk for p in second.context["results"]}


def test_an_invalid_search_shows_the_errors_and_keeps_what_was_typed(
    client, front_door_officer, hargreaves
):
    response = signed_in(client, front_door_officer).post(
        reverse("person_search"), {"name": "K", "date_of_birth": "31/02/2015"}
    )
    assert response.status_code == 200  # shown again, never redirected with errors
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter at least 2 letters of the name" in html
    assert "Date of birth must be a real date, like 27/03/2026" in html
    assert 'value="K"' in html and 'value="31/02/2015"' in html
    assert response.context["results"] is None


def test_another_users_key_or_an_unknown_one_has_expired(
    client, front_door_officer, consultant, hargreaves
):
    signed_in(client, front_door_officer)
    url = client.post(reverse("person_search"), {"name": "Hargreaves"})["Location"]
    client.logout()
    for attempt in (url, reverse("person_search") + "?search=not-a-key"):
        page = signed_in(client, consultant).get(attempt)
        html = page.content.decode()
        assert page.status_code == 200
        assert EXPIRED in html
        assert page.context["results"] is None and "Hargreaves" not in html


def test_an_old_bookmark_with_the_criteria_in_it_searches_nothing(
    client, front_door_officer, hargreaves
):
    page = signed_in(client, front_door_officer).get(
        reverse("person_search"), {"name": "Hargreaves", "postcode": "AB1 2CD"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["results"] is None
    assert "Hargreaves" not in html and "AB1 2CD" not in html  # not echoed back either


def test_only_the_latest_searches_are_kept(client, front_door_officer, hargreaves):
    signed_in(client, front_door_officer)
    first = client.post(reverse("person_search"), {"name": "Hargreaves"})["Location"]
    for n in range(KEPT):
        client.post(reverse("person_search"), {"name": f"Sam{n:02d}"})
    assert EXPIRED in client.get(first).content.decode()
    latest = client.post(reverse("person_search"), {"name": "Hargreaves"})["Location"]
    assert "30 results" in client.get(latest).content.decode()
