"""Issue 17, point 8: no suppressed figure can be worked out from the others shown with it.

On today's code a breakdown showed one '<5' cell beside the other cells and the total, so
total minus the rest rebuilt it: the API test fails there (the other gender is shown)."""

import datetime

import pytest
from django.urls import reverse

from cases.codes import Gender, Relationship
from cases.models import Person
from reporting.indicators import (
    SECONDARY_SUPPRESSED,
    SUPPRESSED,
    Figure,
    present_figures,
    suppress_group,
)
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db


def _derivable(total: int, shown: list) -> bool:
    """Whether a hidden cell is pinned down by the total and the shown cells."""
    hidden = [v for v in shown if v in (SUPPRESSED, SECONDARY_SUPPRESSED)]
    return len(hidden) == 1 or (
        bool(hidden) and total - sum(v for v in shown if isinstance(v, int)) < 5
    )


@pytest.mark.parametrize(
    "values",
    [[3, 20], [3, 20, 40], [0, 1, 30, 40], [2, 5, 6, 50], [4, 4], [1], [7, 8, 9]],
)
def test_suppressed_cells_cannot_be_rebuilt_from_the_total(values):
    shown = suppress_group(values)
    assert all(s == v for s, v in zip(shown, values, strict=True) if isinstance(s, int))
    assert all(shown[i] == SUPPRESSED for i, v in enumerate(values) if v < 5)
    if any(v < 5 for v in values):
        assert not _derivable(sum(values), shown) or all(isinstance(s, str) for s in shown)
    else:
        assert shown == values


def test_request_outcomes_are_suppressed_together():
    figures = [
        Figure("requests_received", "Requests received", 40),
        Figure("outcome_0", "Decided: A", 3, 40),
        Figure("outcome_1", "Decided: B", 30, 40),
        Figure("requests_undecided", "Not yet decided", 7, 40),
        Figure("requests_closed", "Withdrawn or duplicate", 0, 40),
    ]
    shown = {f["key"]: f for f in present_figures(figures, suppressed=True)}
    assert shown["outcome_0"]["value"] == SUPPRESSED
    assert shown["requests_closed"]["value"] == SUPPRESSED
    assert shown["requests_undecided"]["value"] == SECONDARY_SUPPRESSED
    assert shown["requests_undecided"]["percentage"] is None
    assert shown["outcome_1"]["value"] == 30
    # Managers, who may read the records, see every figure.
    plain = {f["key"]: f for f in present_figures(figures, suppressed=False)}
    assert plain["requests_undecided"]["value"] == 7


def test_a_strategic_viewer_cannot_rebuild_a_suppressed_breakdown_cell(
    client, strategic_viewer, practitioner
):
    cases = [build.case(lead=practitioner, opened_on=datetime.date(2026, 1, 1)) for _ in range(12)]
    children = Person.objects.filter(
        memberships__relationship=Relationship.CHILD, cases__in=cases
    ).order_by("pk")
    for index, child in enumerate(children):
        child.gender = Gender.MALE if index < 3 else Gender.FEMALE
        child.save()

    payload = (
        signed_in(client, strategic_viewer)
        .get(reverse("api_indicators"), {"start": "2026-07-01", "end": "2026-09-30"})
        .json()
    )
    figures = {f["key"]: f for s in payload["sections"] for f in s["figures"]}
    assert figures["children_worked_with"]["value"] == 12
    gender = {
        r["group"]: r["children"]
        for b in payload["breakdowns"]
        if b["key"] == "gender"
        for r in b["rows"]
    }
    assert gender == {"Male": SUPPRESSED, "Female": SECONDARY_SUPPRESSED}
    for breakdown in payload["breakdowns"]:
        cells = [r["children"] for r in breakdown["rows"]]
        assert not _derivable(12, cells) or all(isinstance(c, str) for c in cells), breakdown
