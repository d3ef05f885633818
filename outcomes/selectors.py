"""Reads for the family outcomes pages, API, dashboard and return. Every read starts from
the user's scope (outcomes/access.py). Eligibility and state are computed in SQL as
annotations, so lists and figures cost a constant number of queries at county scale."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from assessments.models import (
    AssessmentVersion,
    FamilyPlan,
    MeetingStatus,
)
from cases.access import case_columns_visible_to, cases_visible_to, get_in_scope
from cases.models import EarlyHelpCase
from earlyhelp.small_numbers import suppress_linked
from outcomes import access
from outcomes.models import (
    Claim,
    ClaimStatus,
    FamilyNeed,
    FamilyNetworkMeeting,
    HeadlineOutcome,
    NeedFact,
    NeedProgress,
    NetworkFact,
    ProgrammeEpisode,
    ProgrammeFact,
    ProgressStatus,
)
from partners.models import District, FamilyHub
from reporting.indicators import summaries_as_at
from reporting.summaries.models import PlanOutcomeFact


class ProgrammeState:
    NOT_ELIGIBLE = "not_eligible"
    WORKING = "working"
    READY = "ready"
    CLAIMED = "claimed"
    AUDIT_FAILED = "audit_failed"
    NOT_CLAIMED = "not_claimed"

    LABELS = {
        NOT_ELIGIBLE: "Not eligible",
        WORKING: "Working towards outcomes",
        READY: "Ready to claim",
        CLAIMED: "Claimed",
        AUDIT_FAILED: "Audit failed",
        NOT_CLAIMED: "Not claimed (reason recorded)",
    }
    ORDER = [NOT_ELIGIBLE, WORKING, READY, CLAIMED, AUDIT_FAILED, NOT_CLAIMED]


PASSED = [ClaimStatus.AUDIT_PASSED, ClaimStatus.NOT_SAMPLED, ClaimStatus.BATCHED]
MADE = [
    ClaimStatus.PREPARED,
    ClaimStatus.IN_SAMPLE,
    ClaimStatus.NOT_SAMPLED,
    ClaimStatus.AUDIT_PASSED,
    ClaimStatus.AUDIT_FAILED,
    ClaimStatus.BATCHED,
]


def _counts_whole_authority(user) -> bool:
    """The programme team and aggregate-only viewers count every family in the programme."""
    return access.is_programme_team(user) or access.figures_suppressed(user)


def _scope_cases(user) -> QuerySet | None:
    """The cases whose programme figures the user may count: None (the whole authority) for
    the programme team and aggregate-only viewers, otherwise the cases the user may read."""
    return None if _counts_whole_authority(user) else cases_visible_to(user)


def _within(queryset: QuerySet, path: str, cases: QuerySet | None) -> QuerySet:
    return queryset if cases is None else queryset.filter(**{f"{path}__in": cases})


@contextmanager
def without_jit():
    """PostgreSQL's JIT compiles these aggregate plans for longer than they run (their cost
    estimate passes jit_above_cost); switch it off for this transaction only."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def with_state(episodes: QuerySet, today: datetime.date) -> QuerySet:
    """Annotate eligibility (the programme's conditions) and the family's state. Needs and
    claims are read from columns the services keep; the assessment and the plan, written by
    other apps, are read live (two index probes per episode, evaluated once)."""
    conditions = (
        Q(needs_count__gte=F("plan__min_needs"))
        & Q(case__lead_professional__isnull=False)
        & Exists(AssessmentVersion.objects.filter(assessment__case_id=OuterRef("case_id")))
        & Exists(FamilyPlan.objects.filter(case_id=OuterRef("case_id")))
    )
    return episodes.annotate(
        eligible=ExpressionWrapper(conditions, output_field=BooleanField()),
        state=state_expression(conditions, today),
    )


def state_expression(eligible: Q, today: datetime.date) -> Case:
    """A family's state from its claim, whether it meets the conditions (`eligible`) and the
    day every need is sustained: for the episodes themselves and their summary facts."""
    return Case(
        When(claim_status=ClaimStatus.AUDIT_FAILED, then=Value(ProgrammeState.AUDIT_FAILED)),
        When(claim_status=ClaimStatus.DECLINED, then=Value(ProgrammeState.NOT_CLAIMED)),
        When(~Q(claim_status=""), then=Value(ProgrammeState.CLAIMED)),
        When(
            eligible,
            then=Case(
                When(ready_on__lte=today, then=Value(ProgrammeState.READY)),
                default=Value(ProgrammeState.WORKING),
                output_field=CharField(),
            ),
        ),
        default=Value(ProgrammeState.NOT_ELIGIBLE),
        output_field=CharField(),
    )


def in_state(episodes: QuerySet, state: str, today: datetime.date) -> QuerySet:
    """Episodes (annotated by with_state) in `state`. Each state's cheap column tests, which
    follow from the CASE above, go first: they spare PostgreSQL working out eligibility (two
    EXISTS) for every episode in the county when only a few can be in the state."""
    unclaimed = Q(claim_status="")
    narrowing = {
        ProgrammeState.NOT_ELIGIBLE: unclaimed,
        ProgrammeState.WORKING: unclaimed & Q(case__lead_professional__isnull=False),
        ProgrammeState.READY: unclaimed
        & Q(case__lead_professional__isnull=False, ready_on__lte=today),
        ProgrammeState.CLAIMED: ~Q(
            claim_status__in=["", ClaimStatus.AUDIT_FAILED, ClaimStatus.DECLINED]
        ),
        ProgrammeState.AUDIT_FAILED: Q(claim_status=ClaimStatus.AUDIT_FAILED),
        ProgrammeState.NOT_CLAIMED: Q(claim_status=ClaimStatus.DECLINED),
    }
    return episodes.filter(narrowing[state], state=state)


def programme_families_for(
    user,
    *,
    state: str = "",
    district_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[ProgrammeEpisode]:
    """Programme episodes the user may read, with state; restricted families excluded."""
    today = today or timezone.localdate()
    cases = access.outcome_cases_visible_to(user).filter(family__restricted=False)
    episodes = ProgrammeEpisode.objects.filter(case__in=cases)
    if district_id:
        episodes = episodes.filter(case__district_id=district_id)
    episodes = with_state(episodes, today).select_related(
        "case__family", "case__district", "case__lead_professional", "family_hub", "plan"
    )
    if state:
        episodes = in_state(episodes, state, today)
    return episodes.order_by("case__district__name", "case_id")


def ready_families_for(user, *, today: datetime.date | None = None) -> QuerySet:
    """Families ready to claim, with their needs, for the list page and the API."""
    return programme_families_for(user, state=ProgrammeState.READY, today=today).prefetch_related(
        Prefetch("needs", queryset=FamilyNeed.objects.select_related("headline"))
    )


@dataclass
class CaseOutcomes:
    episode: ProgrammeEpisode | None
    needs: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    network_meetings: list = field(default_factory=list)
    held_meetings: list = field(default_factory=list)


def case_outcomes(case: EarlyHelpCase) -> CaseOutcomes:
    """One family's outcomes record: needs with their progress history, claims, network
    meetings, and the held reviews progress can be recorded at."""
    from assessments.models import TafMeeting

    episode = (
        ProgrammeEpisode.objects.select_related("plan", "family_hub").filter(case=case).first()
    )
    meetings = list(FamilyNetworkMeeting.objects.filter(case=case))
    held = list(
        TafMeeting.objects.filter(case=case, status=MeetingStatus.HELD).order_by("-held_on")
    )
    if episode is None:
        return CaseOutcomes(None, network_meetings=meetings, held_meetings=held)
    needs = list(
        episode.needs.select_related("headline").prefetch_related(
            Prefetch(
                "progress",
                queryset=NeedProgress.objects.select_related("meeting", "recorded_by"),
            )
        )
    )
    claims = list(
        episode.claims.select_related("prepared_by", "audited_by", "batch").prefetch_related(
            "events__by"
        )
    )
    return CaseOutcomes(episode, needs, claims, meetings, held)


def claims_for(user, *, period: str = "", status: str = "") -> QuerySet[Claim]:
    """Claims for the programme team and internal audit (restricted families excluded)."""
    if not (access.is_programme_team(user) or access.is_internal_auditor(user)):
        return Claim.objects.none()
    claims = Claim.objects.filter(family__restricted=False).select_related(
        "episode__case__district", "family", "prepared_by", "audited_by", "batch"
    )
    if period:
        claims = claims.filter(period=period)
    if status:
        claims = claims.filter(status=status)
    return claims.order_by("-prepared_on", "-pk")


def get_claim_for(user, pk) -> Claim:
    return get_in_scope(claims_for(user), pk)


def claim_periods() -> list[str]:
    return list(Claim.objects.order_by("-period").values_list("period", flat=True).distinct())


# --- The cohort dashboard -----------------------------------------------------------------


SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"


def suppress(value: int, on: bool):
    """Small-number suppression for aggregate-only viewers (counts from 1 to 4 hidden)."""
    return SUPPRESSED if on and 0 < value < SUPPRESSION_THRESHOLD else value


@dataclass
class Dashboard:
    suppressed: bool
    states: list
    by_district: list
    by_hub: list
    needs: list
    distance: list
    totals: dict
    # When the figures were counted (the summaries' last rebuild); None: counted live.
    as_at: object = None


def _sustained_expression():
    return ExpressionWrapper(
        F("significant_since") + F("headline__sustain_days"), output_field=DateField()
    )


NEED_COLUMNS = ("total", "not_started", "improving", "significant", "sustained")
DISTRICT_EXTRA = ("claims_made", "claims_passed", "network")


def need_rows(needs: QuerySet, today):
    """Needs (with the day each is sustained from, `sustained_from`) by headline outcome and
    progress: one grouped query by headline id (joining the headlines to every need for
    their code and label cost more than the count), the names looked up after."""
    rows = list(
        needs.order_by()
        .values("headline_id")
        .annotate(
            total=Count("pk"),
            not_started=Count("pk", filter=Q(status=ProgressStatus.NOT_STARTED)),
            improving=Count("pk", filter=Q(status=ProgressStatus.IMPROVING)),
            significant=Count(
                "pk",
                filter=Q(status=ProgressStatus.SIGNIFICANT, sustained_from__gt=today),
            ),
            sustained=Count(
                "pk",
                filter=Q(status=ProgressStatus.SIGNIFICANT, sustained_from__lte=today),
            ),
        )
    )
    headlines = {
        pk: (code, label)
        for pk, code, label in HeadlineOutcome.objects.filter(
            pk__in=[r["headline_id"] for r in rows]
        ).values_list("pk", "code", "label")
    }
    for r in rows:
        r["headline__code"], r["headline__label"] = headlines[r["headline_id"]]
    return sorted(rows, key=lambda r: (r["headline__code"], r["headline__label"]))


def _shown_cells(on, district_states, hub_states, made, passed, network, by_code) -> dict:
    """Every count of the dashboard by cell key, with the sums that link them (each district's
    states to its families, each column to its total, each district's hubs to the district,
    each headline's progress to its needs): suppressed for aggregate-only viewers so that no
    hidden count can be worked out from the others (issue 17, point 8)."""
    states = ProgrammeState.ORDER
    values, sums = {}, []
    extra = {"claims_made": made, "claims_passed": passed, "network": network}
    for (district,), counts in district_states.items():
        values[("d", district, "families")] = sum(counts.values())
        for s in states:
            values[("d", district, s)] = counts[s]
        for name, table in extra.items():
            values[("d", district, name)] = table.get(district, 0)
        sums.append((("d", district, "families"), [("d", district, s) for s in states]))
    for (district, hub), counts in hub_states.items():
        values[("h", district, hub, "families")] = sum(counts.values())
        for s in states:
            values[("h", district, hub, s)] = counts[s]
        sums.append((("h", district, hub, "families"), [("h", district, hub, s) for s in states]))
    for column in ("families", *states):
        for (district,) in district_states:
            hubs = [("h", *key, column) for key in hub_states if key[0] == district]
            sums.append((("d", district, column), hubs))
        districts = [("d", district, column) for (district,) in district_states]
        values[("t", column)] = sum(values[k] for k in districts)
        sums.append((("t", column), districts))
    sums.append((("t", "families"), [("t", s) for s in states]))
    for name, table in extra.items():
        values[("t", name)] = sum(table.values())
        sums.append((("t", name), [("d", district, name) for (district,) in district_states]))
    for code, entry in by_code.items():
        for k in NEED_COLUMNS:
            values[("n", code, k)] = entry[k]
        sums.append((("n", code, "total"), [("n", code, k) for k in NEED_COLUMNS[1:]]))
    if not on:
        return values
    return suppress_linked(values, sums, zero_is_small=False)


def cohort_dashboard(
    user, *, district_id: int | None = None, today=None, live: bool | None = None
) -> Dashboard:
    """Families worked with, needs by headline outcome, progress, claims made and passed, by
    district and family hub; distance travelled (latest review scaling against the start).
    Counted from the summary tables once they have been built (as of their last rebuild),
    unless `live`: then from the records."""
    with without_jit():
        return _cohort_dashboard(user, district_id=district_id, today=today, live=live)


@dataclass
class _Counts:
    """The dashboard's counts before they are laid out: episodes by (district,) and
    (district, hub) and state; claims made and passed and network meetings by district;
    needs by headline code."""

    district_states: dict = field(default_factory=dict)
    hub_states: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)
    passed: dict = field(default_factory=dict)
    network: dict = field(default_factory=dict)
    by_code: dict = field(default_factory=dict)

    def add_states(self, district, hub, state, n):
        for table, key in ((self.district_states, (district,)), (self.hub_states, (district, hub))):
            table.setdefault(key, dict.fromkeys(ProgrammeState.ORDER, 0))[state] += n

    def add_claims(self, district, made, passed):
        if made:
            self.made[district] = self.made.get(district, 0) + made
        if passed:
            self.passed[district] = self.passed.get(district, 0) + passed

    def add_needs(self, row):
        entry = self.by_code.setdefault(
            row["headline__code"],
            {"label": row["headline__label"], **dict.fromkeys(NEED_COLUMNS, 0)},
        )
        for k in NEED_COLUMNS:
            entry[k] += row[k]


def _counted_live(cases, today, districts, hubs) -> _Counts:
    counts = _Counts()
    episodes = with_state(_within(ProgrammeEpisode.objects.all(), "case", cases), today)
    # One grouped query by district, hub and state (grouped by ids: the names are looked up
    # once, not joined to every episode); district totals are summed from it.
    for r in (
        episodes.order_by()
        .values("case__district_id", "family_hub_id", "state")
        .annotate(n=Count("pk"))
    ):
        counts.add_states(
            districts.get(r["case__district_id"]), hubs.get(r["family_hub_id"]), r["state"], r["n"]
        )
    claim_rows = (
        _within(Claim.objects.all(), "episode__case", cases)
        .order_by()
        .values("episode__case__district_id", "status")
        .annotate(n=Count("pk"))
    )
    for r in claim_rows:
        district = districts.get(r["episode__case__district_id"])
        counts.add_claims(
            district, r["n"] if r["status"] in MADE else 0, r["n"] if r["status"] in PASSED else 0
        )
    counts.network = {
        districts.get(pk): n
        for pk, n in _within(FamilyNetworkMeeting.objects.all(), "case", cases)
        .order_by()
        .values("case__district_id")
        .annotate(n=Count("case", distinct=True))
        .values_list("case__district_id", "n")
    }
    needs = _within(FamilyNeed.objects.all(), "episode__case", cases)
    for r in need_rows(needs.annotate(sustained_from=_sustained_expression()), today):
        counts.add_needs(r)
    return counts


def _counted_from_summaries(scope: Q | None, today, districts, hubs) -> _Counts:
    """The same counts from the facts (outcomes/summaries.py): three grouped queries over
    narrow tables, with each episode's state worked out from its columns and today."""
    counts = _Counts()

    def scoped(facts):
        return facts.objects.filter(scope) if scope is not None else facts.objects.all()

    for r in (
        scoped(ProgrammeFact)
        .order_by()
        .annotate(state=state_expression(Q(eligible=True), today))
        .values("district_id", "family_hub_id", "state")
        .annotate(n=Count("pk"), made=Sum("claims_made"), passed=Sum("claims_passed"))
    ):
        district = districts.get(r["district_id"])
        counts.add_states(district, hubs.get(r["family_hub_id"]), r["state"], r["n"])
        counts.add_claims(district, r["made"], r["passed"])
    for pk, n in (
        scoped(NetworkFact).order_by().values("district_id").annotate(n=Count("pk"))
    ).values_list("district_id", "n"):
        counts.network[districts.get(pk)] = n
    for r in need_rows(scoped(NeedFact), today):
        counts.add_needs(r)
    return counts


def _fact_scope(user, district_id) -> Q | None:
    """_scope_cases(user) over the facts' copies of the case columns (None: every fact)."""
    scope = None
    if not _counts_whole_authority(user):
        scope = case_columns_visible_to(user, case_id="case_id") or Q(pk__in=[])
    if district_id:
        scope = Q(district_id=district_id) if scope is None else scope & Q(district_id=district_id)
    return scope


def _cohort_dashboard(user, *, district_id, today, live) -> Dashboard:
    today = today or timezone.localdate()
    on = access.figures_suppressed(user)
    districts = dict(District.objects.values_list("pk", "name"))
    hubs = dict(FamilyHub.objects.values_list("pk", "name"))
    cases = _scope_cases(user)
    if district_id:
        cases = (cases if cases is not None else EarlyHelpCase.objects.all()).filter(
            district_id=district_id
        )
    as_at = None if live else summaries_as_at()
    if as_at is not None:
        counts = _counted_from_summaries(_fact_scope(user, district_id), today, districts, hubs)
    else:
        counts = _counted_live(cases, today, districts, hubs)
    district_states, hub_states = counts.district_states, counts.hub_states
    made, passed, network, by_code = counts.made, counts.passed, counts.network, counts.by_code
    distance = _distance_travelled(cases, districts, from_summaries=as_at is not None)
    shown = _shown_cells(on, district_states, hub_states, made, passed, network, by_code)
    state_keys = ProgrammeState.ORDER

    def row(*key, extra=()):
        return {
            "families": shown[(*key, "families")],
            "states": [shown[(*key, s)] for s in state_keys],
            **{name: shown[(*key, name)] for name in extra},
        }

    by_district = [
        {"name": key[0] or "No family hub recorded", **row("d", key[0], extra=DISTRICT_EXTRA)}
        for key in sorted(district_states, key=lambda k: k[0] or "")
    ]
    by_hub = [
        {"name": key[1] or "No family hub recorded", **row("h", *key), "district": key[0]}
        for key in sorted(hub_states, key=lambda k: (k[0] or "", k[1] or ""))
    ]
    needs = [
        {"label": e["label"], **{k: shown[("n", code, k)] for k in NEED_COLUMNS}}
        for code, e in sorted(by_code.items(), key=lambda kv: kv[1]["label"])
    ]
    totals = {k: shown[("t", k)] for k in ("families", *DISTRICT_EXTRA)}
    states = [
        {"key": s, "label": ProgrammeState.LABELS[s], "value": shown[("t", s)]} for s in state_keys
    ]
    return Dashboard(
        on,
        states,
        by_district,
        by_hub,
        needs,
        distance_rows(distance, on),
        totals,
        as_at.refreshed_at if as_at else None,
    )


_DISTANCE_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (op.outcome_id) op.outcome_id, op.scaling
    FROM assessments_outcomeprogress op
    JOIN assessments_tafmeeting m ON m.id = op.meeting_id AND m.status = 'held'
    {latest_scope}
    ORDER BY op.outcome_id, m.held_on DESC, op.id DESC
)
SELECT {key}, COUNT(*), SUM(l.scaling - o.baseline_scaling),
       COUNT(*) FILTER (WHERE l.scaling > o.baseline_scaling)
FROM latest l
JOIN assessments_planoutcome o ON o.id = l.outcome_id
JOIN assessments_familyplan p ON p.id = o.plan_id
JOIN cases_earlyhelpcase c ON c.id = p.case_id
WHERE o.baseline_scaling IS NOT NULL AND o.removed_on IS NULL {scope}
GROUP BY {key} ORDER BY {key}
"""
_DISTANCE_SCOPE = """
    WHERE m.case_id IN ({cases})
"""


def _distance(key: str, cases: QuerySet | list[int] | None) -> list[tuple]:
    """Per `key` (district id or case id): plan outcomes with a baseline and a held review's
    scaling, the points moved from the start to the latest review, and how many moved up.
    A scoped read (a quarter's return, one district) finds the latest scaling (DISTINCT ON)
    only among its own cases' meetings, not the county's; grouped by id, with no join to
    the district (its name is looked up once)."""
    scope, latest_scope, params = "", "", []
    if isinstance(cases, list):  # case ids: probes of the held meetings' (case, date) index
        latest_scope = _DISTANCE_SCOPE.format(cases="SELECT unnest(%s::bigint[])")
        scope = "AND c.id = ANY(%s::bigint[])"
        params = [cases, cases]
    elif cases is not None:
        inner, inner_params = cases.order_by().values("pk").query.sql_with_params()
        latest_scope = _DISTANCE_SCOPE.format(cases=inner)
        scope = f"AND c.id IN ({inner})"
        params = [*inner_params, *inner_params]
    with connection.cursor() as cursor:
        sql = _DISTANCE_SQL.format(key=key, scope=scope, latest_scope=latest_scope)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _distance_travelled(
    cases: QuerySet | None, names: dict[int, str], *, from_summaries: bool
) -> list[dict]:
    """Per district. From the summary tables once they have been built (reporting/summaries:
    the latest scaling of every plan outcome is worked out at each rebuild, not sorted out of
    every review in the county on each view); counted live before the first rebuild."""
    if from_summaries:
        facts = _within(PlanOutcomeFact.objects.all(), "case", cases)
        grouped = (
            facts.order_by()
            .values("district_id")
            .annotate(
                n=Count("pk"),
                points=Sum(F("latest") - F("baseline")),
                up=Count("pk", filter=Q(latest__gt=F("baseline"))),
            )
            .values_list("district_id", "n", "points", "up")
        )
    else:
        grouped = _distance("c.district_id", cases)
    rows = [
        {
            "plan__case__district__name": names.get(pk),
            "outcomes": n,
            "points": points,
            "improved": up,
        }
        for pk, n, points, up in grouped
    ]
    return sorted(rows, key=lambda r: r["plan__case__district__name"] or "")


def distance_rows(rows: list[dict], suppressed: bool) -> list[dict]:
    shown = []
    for r in rows:
        hidden = suppressed and r["outcomes"] < SUPPRESSION_THRESHOLD
        shown.append(
            {
                "name": r["plan__case__district__name"],
                "outcomes": suppress(r["outcomes"], suppressed),
                "points": None if hidden else r["points"],
                "average": None if hidden else round(r["points"] / r["outcomes"], 1),
                "improved": suppress(r["improved"], suppressed),
            }
        )
    return shown


def distance_by_case(cases: QuerySet | list[int]) -> dict[int, int]:
    """Points moved from the start to the latest review, per case (for the return)."""
    return {case_id: points for case_id, _, points, _ in _distance("c.id", cases)}
