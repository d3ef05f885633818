"""The quarterly family-level data return: one row per programme episode active in the
quarter, columns chosen by the programme team (ReturnLayout), every row validated before
anything is exported. A return with a failing row is not exported: the page lists the rows
and how to fix each."""

import datetime
import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, EarlyHelpCase
from earlyhelp.wording import term
from outcomes.framework import HEADLINES_2022
from outcomes.models import Claim, ClaimStatus, FamilyNeed, NeedProgress, ProgrammeEpisode
from outcomes.selectors import ProgrammeState, distance_by_case, with_state


def _date(day):
    return f"{day:%d/%m/%Y}" if day else ""


def _yes(value) -> str:
    return "Yes" if value else "No"


def _sustained(need, today) -> bool:
    return (
        need.status == "significant"
        and need.significant_since + datetime.timedelta(days=need.headline.sustain_days) <= today
    )


# The return names each need by its headline outcome in the guidance's words (STANDARDS.md
# defines no codes for them): a later plan version may relabel a national headline locally,
# and a headline of the authority's own is named as its plan names it.
NATIONAL_NAMES = {code: name for code, name, *_ in HEADLINES_2022}


def _national_name(headline) -> str:
    return NATIONAL_NAMES.get(headline.code, headline.label)


# key -> (header, value). Headers that name a role use the authority's words.
COLUMNS = {
    "case_reference": (lambda: "Case reference", lambda r: r.episode.reference),
    "family_id": (lambda: "Family ID", lambda r: r.episode.family_id),
    "district": (lambda: "District", lambda r: r.episode.district),
    "family_hub": (
        lambda: "Family hub",
        lambda r: r.episode.family_hub,
    ),
    "episode_start": (lambda: "Episode start", lambda r: _date(r.episode.opened_on)),
    "episode_end": (lambda: "Episode end", lambda r: _date(r.episode.closed_on)),
    "lead": (
        lambda: term("Lead professional"),
        lambda r: r.episode.lead,
    ),
    "plan_version": (lambda: "Outcomes plan version", lambda r: r.programme.plan_number),
    "needs_count": (lambda: "Number of needs", lambda r: len(r.needs)),
    "needs": (
        lambda: "Headline outcomes with a need",
        lambda r: "; ".join(_national_name(n.headline) for n in r.needs),
    ),
    "needs_sustained": (
        lambda: "Needs with sustained progress",
        lambda r: sum(1 for n in r.needs if _sustained(n, r.today)),
    ),
    "eligible": (lambda: "Meets programme conditions", lambda r: _yes(r.programme.eligible)),
    "state": (
        lambda: "Programme status",
        lambda r: ProgrammeState.LABELS[r.programme.state],
    ),
    "claim_period": (lambda: "Claim period", lambda r: r.claim.period if r.claim else ""),
    "claim_status": (
        lambda: "Claim status",
        lambda r: r.claim.get_status_display() if r.claim else "",
    ),
    "network_meeting": (
        lambda: "Family network meeting held",
        lambda r: _yes(r.programme.has_network_meeting),
    ),
    "distance_travelled": (
        lambda: "Distance travelled (scaling points)",
        lambda r: "" if r.distance is None else r.distance,
    ),
}
DEFAULT_COLUMNS = list(COLUMNS)


def column_choices() -> list[tuple[str, str]]:
    return [(key, header()) for key, (header, _) in COLUMNS.items()]


def layout_columns() -> list[str]:
    from outcomes.models import ReturnLayout

    layout = ReturnLayout.objects.filter(pk=1).first()
    columns = [c for c in (layout.columns if layout else []) if c in COLUMNS]
    return columns or DEFAULT_COLUMNS


@dataclass
class Row:
    episode: "EpisodeRow"
    programme: "ProgrammeFacts | None"  # None on the check page, which does not show them
    needs: list
    claim: Claim | None
    distance: int | None
    today: datetime.date


@dataclass
class RowProblem:
    reference: str
    message: str
    fix_url: str


def _active(start: datetime.date, end: datetime.date) -> Q:
    return Q(case__opened_on__lte=end) & (
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=start)
    )


class EpisodeRow(NamedTuple):
    """What the return reads of a programme episode's case: plain tuples, because a county's
    return has thousands and a model instance per episode, case, district, lead and hub
    (or even a frozen dataclass) took most of its time."""

    pk: int
    case_id: int
    family_id: int
    status: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    district: str
    lead_professional_id: int | None
    lead_name: str
    lead_email: str
    family_hub_id: int | None
    family_hub: str

    @property
    def reference(self) -> str:
        return EarlyHelpCase.reference_for(self.case_id)

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def lead(self) -> str:
        return self.lead_name or self.lead_email


class ProgrammeFacts(NamedTuple):
    """The episode's place in the programme: only the download's columns read these, and
    working out eligibility is most of the episodes query's time."""

    plan_number: int
    eligible: bool
    state: str
    has_network_meeting: bool


EPISODE_VALUES = (
    "pk",
    "case_id",
    "case__family_id",
    "case__status",
    "case__opened_on",
    "case__closed_on",
    "case__district__name",
    "case__lead_professional_id",
    "case__lead_professional__full_name",
    "case__lead_professional__email",
    "family_hub_id",
    "family_hub__name",
)
PROGRAMME_VALUES = ("plan__number", "eligible", "state", "has_network_meeting")


def _episodes(start: datetime.date, end: datetime.date) -> list[EpisodeRow]:
    """The quarter's episodes, in the return's order: what the check reads."""
    rows = (
        ProgrammeEpisode.objects.filter(_active(start, end))
        .order_by("case__district__name", "case_id")
        .values_list(*EPISODE_VALUES)
    )
    return [_episode_row(row) for row in rows]


def _episodes_in_programme(
    start: datetime.date, end: datetime.date, today: datetime.date
) -> list[tuple[EpisodeRow, ProgrammeFacts]]:
    """The same episodes with their programme facts, for the download."""
    from outcomes.models import FamilyNetworkMeeting

    rows = (
        with_state(ProgrammeEpisode.objects.filter(_active(start, end)), today)
        .annotate(
            has_network_meeting=Exists(
                FamilyNetworkMeeting.objects.filter(case_id=OuterRef("case_id"), held_on__lte=end)
            )
        )
        .order_by("case__district__name", "case_id")
        .values_list(*EPISODE_VALUES, *PROGRAMME_VALUES)
    )
    split = len(EPISODE_VALUES)
    return [(_episode_row(row[:split]), ProgrammeFacts._make(_flags(row[split:]))) for row in rows]


# What values_list gives as NULL (no district, lead or hub) and what the return shows instead.
_BLANK_AT = [
    EpisodeRow._fields.index(name) for name in ("district", "lead_name", "lead_email", "family_hub")
]


def _episode_row(row) -> EpisodeRow:
    values = list(row)
    for at in _BLANK_AT:
        values[at] = values[at] or ""
    return EpisodeRow._make(values)


def _flags(row) -> tuple:
    """Eligibility is NULL where the episode has no plan: not eligible."""
    plan_number, eligible, state, has_network_meeting = row
    return plan_number, bool(eligible), state, bool(has_network_meeting)


def _claims_by_episode(episodes) -> dict[int, Claim]:
    """Each episode's latest claim that was not withdrawn."""
    claims: dict[int, Claim] = {}
    for claim in (
        Claim.objects.filter(episode_id__in=episodes)
        .exclude(status=ClaimStatus.WITHDRAWN)
        .order_by("-pk")
    ):
        claims.setdefault(claim.episode_id, claim)
    return claims


@dataclass(frozen=True)
class _Headline:
    code: str
    label: str
    sustain_days: int


@dataclass(frozen=True)
class _Need:
    """What the return reads of a family need: plain rows, because a county's return holds
    tens of thousands of needs and building a model instance for each took most of its time."""

    status: str
    significant_since: datetime.date | None
    closure_recorded: bool
    headline: _Headline


def _needs_by_episode(episodes) -> dict[int, list[_Need]]:
    closure_progress = NeedProgress.objects.filter(need=OuterRef("pk"), at_closure=True)
    rows = (
        FamilyNeed.objects.filter(episode_id__in=episodes)
        .annotate(closure_recorded=Exists(closure_progress))
        .order_by("episode_id", "headline__order", "pk")
        .values_list(
            "episode_id",
            "status",
            "significant_since",
            "closure_recorded",
            "headline__code",
            "headline__label",
            "headline__sustain_days",
        )
    )
    headlines: dict[str, _Headline] = {}
    needs: dict[int, list[_Need]] = {}
    for episode_id, status, since, recorded, code, label, days in rows:
        headline = headlines.setdefault(code, _Headline(code, label, days))
        needs.setdefault(episode_id, []).append(_Need(status, since, recorded, headline))
    return needs


def build_return(start: datetime.date, end: datetime.date, *, today=None):
    """(header, rows, problems) for the quarter. Rows are only meant to be written when
    there are no problems."""
    from outcomes.selectors import without_jit

    with without_jit():
        return _build_return(start, end, today=today)


def check_return(start: datetime.date, end: datetime.date, *, today=None):
    """(row count, problems) for the quarter: what the check page shows. It reads only what
    validate_row needs, not the claims, distances and columns of the download."""
    from outcomes.selectors import without_jit

    today = today or timezone.localdate()
    with without_jit():
        episodes = _episodes(start, end)
        needs_of = _needs_by_episode(_active_episodes(start, end))
    problems = []
    for episode in episodes:
        row = Row(episode, None, needs_of.get(episode.pk, []), None, None, today)
        problems.extend(validate_row(row))
    return len(episodes), problems


def _active_episodes(start: datetime.date, end: datetime.date):
    """The quarter's episodes as a subquery: a county's return has thousands, and a list of
    their ids took Django longer to build into SQL than PostgreSQL took to run it."""
    return ProgrammeEpisode.objects.filter(_active(start, end)).values("pk")


def _build_return(start: datetime.date, end: datetime.date, *, today=None):
    today = today or timezone.localdate()
    columns = layout_columns()
    episodes = _episodes_in_programme(start, end, today)
    active = _active_episodes(start, end)
    distances = distance_by_case([episode.case_id for episode, _ in episodes])
    needs_of = _needs_by_episode(active)
    claims = _claims_by_episode(active)
    rows, problems = [], []
    for episode, programme in episodes:
        # Plain lists (to_attr), not a related manager per episode: a county's return has
        # thousands of rows and .all() on a prefetched relation builds a queryset each time.
        row = Row(
            episode,
            programme,
            needs_of.get(episode.pk, []),
            claims.get(episode.pk),
            distances.get(episode.case_id),
            today,
        )
        problems.extend(validate_row(row))
        rows.append([COLUMNS[c][1](row) for c in columns])
    header = [COLUMNS[c][0]() for c in columns]
    return header, rows, problems


@functools.cache
def _url_pattern(name: str) -> str:
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _url(name: str, pk: int) -> str:
    """reverse() once per URL name, not once per row of a county's return."""
    return _url_pattern(name).format(pk)


def validate_row(row: Row) -> list[RowProblem]:
    """What a national return would reject, said so the team can fix it."""
    case = row.episode
    outcomes_url = _url("case_outcomes", case.case_id)
    found = []
    if case.is_open and case.lead_professional_id is None:
        found.append(
            RowProblem(
                case.reference,
                f"No {term('lead professional')}: allocate one on the case page.",
                _url("case_detail", case.case_id),
            )
        )
    if case.family_hub_id is None:
        found.append(
            RowProblem(
                case.reference,
                "No family hub recorded: choose the hub on the family's outcomes page.",
                outcomes_url,
            )
        )
    if not row.needs:
        found.append(
            RowProblem(
                case.reference,
                "No needs recorded against the headline outcomes: record them, or the family "
                "is not in the programme.",
                outcomes_url,
            )
        )
    if not case.is_open:
        missing = [n.headline.label for n in row.needs if not n.closure_recorded]
        if missing:
            found.append(
                RowProblem(
                    case.reference,
                    f"Closed on {case.closed_on:%-d %B %Y} without progress at closure for: "
                    f"{', '.join(missing)}. Record it on the family's outcomes page.",
                    outcomes_url,
                )
            )
    return found


def write_csv(header: list[str], rows: list[list]) -> bytes:
    """The return as the product's other CSV files are written (reporting.exports): UTF-8
    with a BOM, so Excel shows a lead's name such as "Łucja" as typed, and every cell
    that could run as a formula (= + - @, a tab or a carriage return first) neutralised."""
    from reporting.exports import csv_bytes

    return csv_bytes(header, rows)


def quarter_bounds(label_start: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((label_start.month - 1) // 3) + 1
    start = datetime.date(label_start.year, first_month, 1)
    index = start.year * 12 + start.month - 1 + 3
    end = datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def quarter_choices(today: datetime.date, count: int = 6) -> list[tuple[str, str]]:
    """Financial-year quarters, this one first: value is the first day (ISO)."""
    choices = []
    start, _ = quarter_bounds(today)
    for _ in range(count):
        fy = start.year if start.month >= 4 else start.year - 1
        q = ((start.month - 4) % 12) // 3 + 1
        choices.append((start.isoformat(), f"Q{q} {fy}-{str(fy + 1)[2:]}"))
        index = start.year * 12 + start.month - 1 - 3
        start = datetime.date(index // 12, index % 12 + 1, 1)
    return choices
