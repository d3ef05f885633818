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
    client, strategic_viewer, twelve_children
):
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


def _rebuildable(shown: dict, values: dict, sums) -> list:
    """The sums on a page from which a hidden count can be worked out: one hidden cell in
    the sum, or hidden members adding up to under 5 beside a shown total."""
    hidden = {k for k, v in shown.items() if v in (SUPPRESSED, SECONDARY_SUPPRESSED)}
    found = []
    for total, members in sums:
        unknown = [k for k in (*members, total) if k in hidden]
        if not unknown:
            continue
        if len(unknown) == 1 or (
            total not in hidden and sum(values[k] for k in members if k in hidden) < 5
        ):
            found.append(total)
    return found


@pytest.mark.parametrize("seed", range(25))
def test_a_table_suppressed_across_rows_and_columns_leaves_nothing_to_rebuild(seed):
    """Rows and columns of a table with their totals and a grand total, as the outcomes
    dashboard shows them: no hidden count follows from the others."""
    import random

    from earlyhelp.small_numbers import suppress_linked

    rng = random.Random(seed)
    rows, cols = rng.randint(1, 5), rng.randint(1, 5)
    values = {
        (r, c): rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for r in range(rows) for c in range(cols)
    }
    sums = []
    for r in range(rows):
        values[(r, "t")] = sum(values[(r, c)] for c in range(cols))
        sums.append(((r, "t"), [(r, c) for c in range(cols)]))
    for c in [*range(cols), "t"]:
        values[("t", c)] = sum(values[(r, c)] for r in range(rows))
        sums.append((("t", c), [(r, c) for r in range(rows)]))
    sums.append((("t", "t"), [("t", c) for c in range(cols)]))
    shown = suppress_linked(values, sums)
    assert all(shown[k] == SUPPRESSED for k, v in values.items() if v < 5)
    assert all(shown[k] == v for k, v in values.items() if isinstance(shown[k], int))
    assert _rebuildable(shown, values, sums) == []


def test_the_outcomes_dashboard_cannot_be_rebuilt_by_district_hub_or_state():
    """Issue 17, point 8 on the outcomes cohort dashboard: before, each cell was '<5' on its
    own, and a district's families minus its other states (or the county total minus the
    other districts) gave it back."""
    from outcomes import selectors

    states = selectors.ProgrammeState.ORDER
    district_states = {
        ("Amberford",): dict.fromkeys(states, 0) | {states[0]: 3, states[1]: 20},
        ("Brackenmoor",): dict.fromkeys(states, 0) | {states[0]: 30, states[1]: 40},
    }
    hub_states = {
        ("Amberford", "Mill Lane"): dict.fromkeys(states, 0) | {states[0]: 3, states[1]: 12},
        ("Amberford", None): dict.fromkeys(states, 0) | {states[1]: 8},
        ("Brackenmoor", "Brook"): district_states[("Brackenmoor",)],
    }
    made, passed, network = {"Amberford": 2, "Brackenmoor": 30}, {"Brackenmoor": 7}, {}
    needs = {"edu": {"label": "Education", "total": 9, "not_started": 2, "improving": 7}}
    needs["edu"] |= {"significant": 0, "sustained": 0}
    args = (district_states, hub_states, made, passed, network, needs)
    values = selectors._shown_cells(False, *args)
    shown = selectors._shown_cells(True, *args)
    assert shown[("d", "Amberford", states[0])] == SUPPRESSED
    assert shown[("d", "Amberford", "claims_made")] == SUPPRESSED
    assert shown[("n", "edu", "not_started")] == SUPPRESSED
    # Rebuild every sum the page shows: rows, columns, hubs within districts, totals.
    sums = []
    for (district,) in district_states:
        sums.append((("d", district, "families"), [("d", district, s) for s in states]))
        for column in ("families", *states):
            hubs = [("h", *k, column) for k in hub_states if k[0] == district]
            sums.append((("d", district, column), hubs))
    for column in ("families", *states, "claims_made", "claims_passed", "network"):
        sums.append((("t", column), [("d", d, column) for (d,) in district_states]))
    sums.append((("n", "edu", "total"), [("n", "edu", k) for k in selectors.NEED_COLUMNS[1:]]))
    assert _rebuildable(shown, values, sums) == []


@pytest.fixture
def twelve_children(practitioner):
    """12 children worked with: 3 boys ('<5') and 9 girls (rebuilt as 12 - 3 without
    secondary suppression)."""
    cases = [build.case(lead=practitioner, opened_on=datetime.date(2026, 1, 1)) for _ in range(12)]
    children = Person.objects.filter(
        memberships__relationship=Relationship.CHILD, cases__in=cases
    ).order_by("pk")
    for index, child in enumerate(children):
        child.gender = Gender.MALE if index < 3 else Gender.FEMALE
        child.save()
    return cases


def test_the_indicators_page_and_board_report_hide_the_rebuildable_cell(
    client, strategic_viewer, twelve_children, settings, tmp_path
):
    """The same breakdown on the strategic viewer's indicators page and in the board report
    PDF (read back): the girls are '[c]' beside the boys' '<5' and the total of 12."""
    from pypdf import PdfReader

    from reporting import exports
    from reporting.models import ExportKind, ExportStatus

    period = {"start": "2026-07-01", "end": "2026-09-30"}
    page = signed_in(client, strategic_viewer).get(reverse("indicators"), period)
    text = " ".join(page.content.decode().split())
    gender = text.lower().split("by gender", 1)[1].split("by ethnicity", 1)[0]
    assert "&lt;5" in gender and "[c]" in gender and ">9<" not in gender

    settings.MEDIA_ROOT = tmp_path
    job = exports.export_request(
        acting_user=strategic_viewer, kind=ExportKind.BOARD_REPORT, params=period
    )
    job = exports.export_build(job.pk)
    assert job.status == ExportStatus.READY, job.error
    reader = PdfReader(tmp_path / job.file_path)
    pdf = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "[c]" in pdf
