"""Find a person that tells the truth: real paging and counts, first-name-only and partial
searches, filters by district and age, the same scope rules as before."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.codes import Relationship
from cases.models import FamilyMembership, Person
from tests import factories
from tests.conftest import searched, signed_in

pytestmark = pytest.mark.django_db


def person(first, last, born, family):
    p = Person.objects.create(first_name=first, last_name=last, date_of_birth=born)
    FamilyMembership.objects.create(family=family, person=p, relationship=Relationship.CHILD)
    return p


@pytest.fixture
def front_door_officer(front_door_officer, other_district):
    """A front door officer covering both districts: searches reach only the households in
    the searcher's districts (cases.access.people_searchable_by)."""
    front_door_officer.districts.add(other_district)
    return front_door_officer


@pytest.fixture
def people(district, other_district):
    here = factories.FamilyFactory(district=district)
    there = factories.FamilyFactory(district=other_district)
    today = datetime.date.today()
    found = {
        "kian": person("Kian", "Ormerod", today.replace(year=today.year - 7), here),
        "kiana": person("Kiana", "Whitworth", today.replace(year=today.year - 15), there),
        "orm": person("Lily", "Ormerod", today.replace(year=today.year - 3), there),
    }
    for n in range(30):
        person(f"Sam{n:02d}", "Hargreaves", today.replace(year=today.year - 10), here)
    return found


def search(client, user, page=None, **criteria):
    return searched(signed_in(client, user), reverse("person_search"), criteria, page=page)


def test_a_first_name_alone_finds_people(client, front_door_officer, people):
    response = search(client, front_door_officer, name="Kian")
    names = [p.full_name for p in response.context["results"]]
    assert names[0] == "Kian Ormerod"  # the exact match first
    assert "Kiana Whitworth" in names  # a name that starts with it


def test_part_of_a_surname_finds_people(client, front_door_officer, people):
    response = search(client, front_door_officer, name="Orme")
    assert {p.full_name for p in response.context["results"]} >= {"Kian Ormerod", "Lily Ormerod"}


def test_results_are_paged_with_a_true_count(client, front_door_officer, people):
    first = search(client, front_door_officer, name="Hargreaves")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["results"]) == 25
    html = first.content.decode()
    assert "30 results" in html and "Showing 1 to 25 of 30" in html
    second = search(client, front_door_officer, name="Hargreaves", page=2)
    assert len(second.context["results"]) == 5
    assert not {p.pk for p in first.context["results"]} & {p.pk for p in second.context["results"]}


def test_district_and_age_filters(client, front_door_officer, people, other_district):
    response = search(client, front_door_officer, name="Ormerod", district=other_district.pk)
    assert [p.full_name for p in response.context["results"]] == ["Lily Ormerod"]
    aged = search(client, front_door_officer, age_from=6, age_to=8)
    assert [p.full_name for p in aged.context["results"]] == ["Kian Ormerod"]


def test_bad_ages_and_one_letter_names_say_what_to_fix_and_keep_the_input(
    client, front_door_officer, people
):
    response = search(client, front_door_officer, name="K", age_from=9, age_to=4)
    html = response.content.decode()
    assert "Enter at least 2 letters of the name" in html
    assert "Aged to must be the same as or more than aged from" in html
    assert 'value="K"' in html


def test_who_may_search_and_whom_they_find(client, practitioner, consultant, people):
    assert search(client, practitioner, name="Kian").status_code == 403
    # a consultant may search, but only among the households in their own districts
    response = search(client, consultant, name="Kian")
    assert response.status_code == 200
    assert [p.full_name for p in response.context["results"]] == ["Kian Ormerod"]
    response = search(client, consultant, name="Ormerod")
    assert [p.full_name for p in response.context["results"]] == ["Kian Ormerod"]


def test_search_queries_do_not_grow_with_the_results(
    client, front_door_officer, people, django_assert_max_num_queries
):
    signed_in(client, front_door_officer)
    url = reverse("person_search")
    few = client.post(url, {"name": "Kian"})["Location"]
    many_found = client.post(url, {"name": "Hargreaves"})["Location"]
    client.get(few)  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(few)
    # 16: the page's constant cost includes the navigation's permission look-ups (the
    # outcomes and directory doors ask has_perm once a request) and the tray's unread count.
    with django_assert_max_num_queries(16) as many:
        client.get(many_found)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_page_past_the_end_shows_the_last_page(client, front_door_officer, people):
    response = search(client, front_door_officer, name="Hargreaves", page=9)
    assert response.context["page"].number == 2
    assert len(response.context["results"]) == 5
    assert "Showing 26 to 30 of 30" in response.content.decode()


def test_no_one_found_says_so(client, front_door_officer, people):
    response = search(client, front_door_officer, name="Zebedee")
    assert response.context["page"].paginator.count == 0
    assert "0 results" in response.content.decode()


def test_the_search_runs_once_for_the_page_and_its_count(client, front_door_officer, people):
    signed_in(client, front_door_officer)
    url = client.post(reverse("person_search"), {"name": "Hargreaves"})["Location"]
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    searches = [q["sql"] for q in queries.captured_queries if "SIMILARITY" in q["sql"].upper()]
    assert len(searches) == 1  # the true count comes with the page (COUNT(*) OVER ())
