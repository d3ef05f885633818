"""referrals.selectors.TriageQueueFirstPage (the triage queue's first page through compiled
reads, once per kind of user and shape of filters) gives exactly the page, the count and
the children triage_queue_for gives, for every role and every filter."""

import datetime

import pytest
from django.core.paginator import Paginator

from referrals.models import Referral, Urgency
from referrals.selectors import TriageQueueFirstPage, triage_queue_for
from tests.access.conftest import ROLES
from tests.referrals.factories import picked_up, submitted

PER_PAGE = 2  # a page shorter than the queue: the count is more than the rows
FILTERS = [
    {},
    {"district_id": "in"},
    {"district_id": "out"},
    {"urgency": Urgency.URGENT},
    {"urgency": "not an urgency"},
    {"state": "new"},
    {"state": "mine"},
    {"state": "picked_up"},
    {"step_down": True},
    {"overdue": True},
    {"district_id": "in", "urgency": Urgency.ROUTINE, "overdue": True},
]
# Roles whose queue is read through the compiled reads (the others have no agency or no
# requests at all, and read through the ORM).
COMPILED = ["practitioner", "front_door", "team_manager", "partner_manager", "consultant"]


def _columns(record):
    return tuple(getattr(record, f.attname) for f in record._meta.concrete_fields)


def _page(page) -> tuple:
    """The page as the queue shows it: its count, and each request with its district,
    officer, agency and children."""
    rows = [
        (
            _columns(r),
            _columns(r.district),
            r.picked_up_by and _columns(r.picked_up_by),
            r.referrer_agency and _columns(r.referrer_agency),
            [_columns(child) for child in r.children],
        )
        for r in page.object_list
    ]
    return page.paginator.count, page.number, rows


@pytest.fixture
def queue(world):
    """Requests in both districts: urgent and routine, one picked up by the front door
    officer, one overdue."""
    referrer = world.actors["practitioner"]
    officer = world.actors["front_door"]
    district = referrer.districts.get()
    elsewhere = officer.districts.exclude(pk=district.pk).get()
    requests = [
        submitted(by=referrer, district=district, urgency=Urgency.URGENT),
        submitted(by=referrer, district=district),
        picked_up(by=referrer, officer=officer, district=district),
        submitted(by=world.actors["team_manager"], district=elsewhere),
    ]
    Referral.objects.filter(pk=requests[1].pk).update(due_on=datetime.date(2020, 1, 6))
    return {"in": district.pk, "out": elsewhere.pk}


def _filters(given: dict, districts: dict) -> dict:
    filters = {"district_id": 0, "urgency": "", "state": "", "step_down": False, "overdue": False}
    filters.update(given)
    if filters["district_id"]:
        filters["district_id"] = districts[filters["district_id"]]
    return filters


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("given", FILTERS, ids=str)
def test_the_first_page_is_the_queues_own_first_page(world, queue, role, given):
    user = world.actors[role]
    filters = _filters(given, queue)
    first_page = TriageQueueFirstPage(per_page=PER_PAGE)
    compiled = first_page.page(user, None, **filters)
    expected = Paginator(triage_queue_for(user, **filters), PER_PAGE).get_page(None)
    assert _page(compiled) == _page(expected)
    assert any(first_page._reads.values()) == (role in COMPILED)


def test_the_front_door_officers_queue_is_not_empty(world, queue):
    """Not vacuous: the officer's first page is two of their three requests, children
    and all, and the filters narrow it."""
    officer = world.actors["front_door"]
    first_page = TriageQueueFirstPage(per_page=PER_PAGE)
    page = first_page.page(officer, "1", **_filters({}, queue))
    count, _, rows = _page(page)
    assert (count, len(rows)) == (4, 2)
    assert all(children for *_, children in rows)
    mine = first_page.page(officer, "", **_filters({"state": "mine"}, queue))
    assert [r.picked_up_by_id for r in mine.object_list] == [officer.pk]
    overdue = first_page.page(officer, None, **_filters({"overdue": True}, queue))
    assert overdue.paginator.count == 1


@pytest.mark.parametrize("number", ["2", "3", "x", "0"])
def test_a_later_page_reads_through_the_orm(world, queue, number):
    officer = world.actors["front_door"]
    filters = _filters({}, queue)
    first_page = TriageQueueFirstPage(per_page=PER_PAGE)
    page = first_page.page(officer, number, **filters)
    expected = Paginator(triage_queue_for(officer, **filters), PER_PAGE).get_page(number)
    assert _page(page) == _page(expected)
    assert not first_page._reads
