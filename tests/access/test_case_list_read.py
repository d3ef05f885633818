"""cases.selectors.CaseListRead (the case list's count and first page through compiled
reads, once per kind of scope, filters chosen, sort and page size) gives exactly what
case_list_for gives, for every role, filter and sort: the same count, and the same cases
with the same related records, `named` and `next_due`, on the first page and after it."""

import pytest

from cases import selectors
from cases.models import CaseStatus
from partners.models import District
from tests.access.conftest import ROLES

COMPILED = ["practitioner", "front_door", "team_manager", "partner_manager", "consultant"]
PER_PAGE = 2  # fewer than a district manager's cases: the first page and the next differ


def _columns(record):
    return tuple(getattr(record, f.attname) for f in record._meta.concrete_fields)


def _rows(cases) -> list:
    """Each case's columns, its related records' columns and its annotations."""
    return [
        (
            _columns(case),
            _columns(case.family),
            _columns(case.district),
            case.lead_professional and _columns(case.lead_professional),
            case.lead_agency and _columns(case.lead_agency),
            case.named,
            case.next_due,
        )
        for case in cases
    ]


def _choices(world) -> list[dict]:
    case = world.cases["in_scope"]
    return [
        {},
        {"status": CaseStatus.OPEN},
        {"status": CaseStatus.CLOSED},
        {"level": case.level_of_need},
        {"district": case.district_id},
        {"status": "open", "level": case.level_of_need, "district": case.district_id},
        {"sort": "next_due"},
        {"sort": "-next_due", "status": CaseStatus.OPEN},
        {"sort": "not a sort"},
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_compiled_case_list_gives_what_case_list_for_gives(world, role):
    user = world.actors[role]
    read = selectors.CaseListRead()
    seen = 0
    for choice in _choices(world):
        filters = {"status": "", "level": None, "district": None, "sort": "opened", **choice}
        items = read.items(user, PER_PAGE, **filters)
        assert isinstance(items, selectors._CompiledCaseList) == (role in COMPILED)
        expected = selectors.case_list_for(user, **filters)
        count = items.count()
        assert count == expected.count(), choice
        assert _rows(items[0:PER_PAGE]) == _rows(expected[0:PER_PAGE]), choice
        assert _rows(items[0:1]) == _rows(expected[0:1]), choice
        assert list(items[0:0]) == []
        assert _rows(items[PER_PAGE : 2 * PER_PAGE]) == _rows(expected[PER_PAGE : 2 * PER_PAGE]), (
            choice
        )
        seen += count
    # Not vacuous: the lead's manager lists the district's cases, the restricted one masked.
    if role == "team_manager":
        listed = read.items(user, 10, status="", level=None, district=None, sort="opened")
        rows = {case.pk: case for case in listed[0:10]}
        assert world.cases["in_scope"].pk in rows
        restricted = rows[world.cases["restricted"].pk]
        assert restricted.family.restricted and not restricted.named
        assert restricted.next_due is not None
    if role in ("practitioner", "team_manager", "consultant"):
        assert seen > 0


@pytest.mark.parametrize("role", ROLES)
def test_the_district_filter_offers_the_users_districts(world, role):
    user = world.actors[role]
    expected = list(District.objects.filter(pk__in=user.districts.values("pk")))
    assert [(d.pk, d.name) for d in selectors.districts_of(user)] == [
        (d.pk, d.name) for d in expected
    ]
