"""earlyhelp.api.FirstPage (a list's first page through a compiled read, once per kind of
user) gives exactly the rows the list's own queryset gives, for every role: the cases,
families and requests lists, with their related records and prefetched lists."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases import api as cases_api
from earlyhelp.api import CursorPagination
from referrals import api as referrals_api
from tests.access.conftest import ROLES
from tests.referrals.factories import submitted

LISTS = {
    "cases": (cases_api.CaseViewSet, cases_api._cases, cases_api.CHILDREN),
    "families": (cases_api.FamilyViewSet, cases_api._families, cases_api.MEMBERS),
    "requests": (referrals_api.ReferralViewSet, referrals_api._requests, referrals_api.PEOPLE),
}
COMPILED = ["practitioner", "front_door", "team_manager", "partner_manager", "consultant"]


def _rows(records, prefetched: str) -> list:
    """Each record's columns, its related records' columns and its prefetched list."""

    def columns(record):
        return tuple(getattr(record, f.attname) for f in record._meta.concrete_fields)

    return [
        (
            columns(record),
            [
                columns(getattr(record, f.name))
                for f in record._meta.concrete_fields
                if f.is_relation
                and f.name in record._state.fields_cache
                and getattr(record, f.name) is not None
            ],
            [columns(related) for related in getattr(record, prefetched)],
        )
        for record in records
    ]


def _request(user, query: str = "") -> Request:
    request = Request(APIRequestFactory().get(f"/{query}"))
    request.user = user
    return request


@pytest.fixture
def requests(world):
    district = world.actors["team_manager"].districts.get()
    return [submitted(by=world.actors["practitioner"], district=district) for _ in range(2)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", LISTS)
def test_the_first_page_is_the_lists_own_first_page(world, requests, role, name):
    view, scoped, prefetched = LISTS[name]
    user = world.actors[role]
    paginator = CursorPagination()
    paginator.page_size = 2  # a page and one more row: the next page's link comes from it
    compiled = view.first_page.rows(_request(user), paginator)
    if role not in COMPILED:  # no agency, or a break glass: through the ORM
        assert compiled is None
        return
    expected = list(scoped(user).prefetch_related(*view.first_page._prefetch()).order_by("-id")[:3])
    assert _rows(compiled, prefetched) == _rows(expected, prefetched)
    if role == "team_manager":  # not vacuous: their district's records, with their lists
        assert len(compiled) == 2
        assert all(getattr(record, prefetched) for record in compiled)
    if role == "team_manager" and name == "cases":
        in_district = {world.cases["in_scope"].pk, world.cases["no_consent"].pk}
        assert {case.pk for case in compiled} == in_district


def test_a_filtered_or_later_page_reads_through_the_orm(world):
    manager = world.actors["team_manager"]
    first_page = cases_api.CaseViewSet.first_page
    assert first_page.rows(_request(manager, "?status=open"), CursorPagination()) is None
    assert first_page.rows(_request(manager, "?cursor=cD0x"), CursorPagination()) is None
    assert first_page.rows(_request(manager), CursorPagination()) is not None
