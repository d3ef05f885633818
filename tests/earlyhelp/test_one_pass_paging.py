"""The one-pass paginator (earlyhelp.pages.OnePassPaginator): the same pages and the same
true count as Django's paginator, in one query instead of two."""

import datetime

import pytest
from django.core.paginator import Paginator

from cases.models import Person
from earlyhelp.pages import OnePassPaginator

pytestmark = pytest.mark.django_db
BORN = datetime.date(2015, 5, 1)


@pytest.fixture
def people():
    Person.objects.bulk_create(
        Person(first_name=f"Ava{n:02d}", last_name="Pickering", date_of_birth=BORN)
        for n in range(23)
    )
    return Person.objects.filter(last_name="Pickering").order_by("first_name")


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "x", 99])
def test_pages_and_count_are_django_s(people, number):
    ours = OnePassPaginator(people, 10).get_page(number)
    django = Paginator(people, 10).get_page(number)
    assert ours.number == django.number
    assert ours.paginator.count == 23
    assert [p.pk for p in ours] == [p.pk for p in django]
    assert (ours.start_index(), ours.end_index()) == (django.start_index(), django.end_index())


def test_a_page_of_a_search_is_one_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = OnePassPaginator(people, 10).get_page("2")
        assert (page.paginator.count, page.paginator.num_pages, len(page)) == (23, 3, 10)


def test_no_matches_is_a_first_page_of_none_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = OnePassPaginator(Person.objects.filter(last_name="Nobody"), 10).get_page("1")
        assert (page.paginator.count, list(page)) == (0, [])


def test_a_distinct_queryset_keeps_django_s_count(people, django_assert_num_queries):
    with django_assert_num_queries(2):  # COUNT(*) OVER () would count before DISTINCT
        page = OnePassPaginator(people.distinct(), 10).get_page("1")
        assert (page.paginator.count, len(page)) == (23, 10)
