"""The early help indicators, in one module, as set-based aggregate queries.

Sources (the strategies in /shared/seeds):
- Lancashire Multi-Agency Early Help Strategy 2024-2028, "Performance Management": families
  supported through multi-agency plans; needs met after support; low re-referral within 12
  months; responses at Universal Plus level; plans in place at a request for an EHC needs
  assessment; engagement ceased by the family; good/outstanding practice found in evaluation.
- Blackpool Early Help Strategy, "Outcome and indicators of success": families supported by
  an assessment and plan; early help plan before an EHCP request or an exclusion; families
  closing with all needs met; families reporting improved family life; good quality
  assessments, plans and reviews; families who do not re-enter the system.

Every function takes querysets already scoped by reporting/selectors.py and a Period, and
returns plain numbers. Each is a constant number of queries (COUNT ... FILTER, GROUP BY),
never a Python loop over cases, so a district and the county cost the same number of
round trips. "Counts in the period" means the event's date falls in the period, both ends
inclusive.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from assessments.deadlines import (
    overdue_assessments,
    overdue_first_taf_meetings,
    overdue_reviews,
    reviews_due_soon,
)
from assessments.models import Assessment, AssessmentVersion, FamilyPlan, TafMeeting
from cases.codes import Ethnicity, Gender, SenStatus
from cases.models import (
    CaseOrigin,
    CaseStatus,
    ClosureReason,
    EarlyHelpCase,
    FamilyView,
    LevelOfNeed,
    LevelOfNeedChange,
    Person,
    StepDirection,
    StepEvent,
)
from earlyhelp.small_numbers import (  # noqa: F401  (re-exported)
    HIDDEN_VALUES,
    SECONDARY_SUPPRESSED,
    SUPPRESSED,
    SUPPRESSION_THRESHOLD,
    suppress_linked,
)
from earlyhelp.wording import term
from earlyhelp.working_days import add_working_days
from reporting.models import GOOD_OR_BETTER, EducationEventKind, Grade, QualityAudit
from reporting.selectors import Period, Scope

RE_REFERRAL_DAYS = 365  # "within 12 months of closure": day 365 counts, day 366 does not
DUE_SOON_WORKING_DAYS = 10
# Figures that add up to another figure shown beside them: (total key, member keys or a
# prefix ending in "_"). Members of a group are suppressed together (suppress_group).
ADDITIVE_GROUPS = (
    ("requests_received", ("outcome_", "requests_undecided", "requests_closed")),
    ("cases_worked_with", ("universal_plus_cases", "targeted_cases")),
    ("episodes_started", ("episodes_front_door", "episodes_partner")),
)


# --- Results -------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int
    denominator: int | None = None
    note: str = ""

    @property
    def percentage(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.value / self.denominator, 1)


@dataclass
class Section:
    key: str
    title: str
    source: str
    figures: list[Figure] = field(default_factory=list)
    breakdowns: list["Breakdown"] = field(default_factory=list)


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)


def suppress(value: int | None) -> int | str | None:
    """Small-number suppression for aggregate-only viewers: fewer than 5 is shown as '<5'."""
    if value is None:
        return None
    return SUPPRESSED if value < SUPPRESSION_THRESHOLD else value


def suppress_group(values: list[int]) -> list[int | str]:
    """Small-number suppression for cells that add up to a total shown beside them.

    Primary: each count under 5 is '<5'. Secondary: while the hidden cells could be worked
    out from the total (only one hidden), or add up to less than 5 (their sum, total minus
    the rest, would itself be a small number), the smallest shown cell is hidden too, as
    '[c]'. Issue 17, point 8: before this, subtracting the other rows from the total rebuilt
    the '<5' cell."""
    shown: list[int | str] = [SUPPRESSED if v < SUPPRESSION_THRESHOLD else v for v in values]
    hidden = [i for i, v in enumerate(shown) if v == SUPPRESSED]
    if not hidden:
        return shown
    while True:
        hidden_sum = sum(values[i] for i in hidden)
        if len(hidden) >= 2 and hidden_sum >= SUPPRESSION_THRESHOLD:
            return shown
        rest = [i for i, v in enumerate(shown) if v not in HIDDEN_VALUES]
        if not rest:
            return shown
        smallest = min(rest, key=lambda i: (values[i], i))
        shown[smallest] = SECONDARY_SUPPRESSED
        hidden.append(smallest)


def suppress_rows(rows: list[tuple], *, suppressed: bool) -> list[tuple]:
    """(label, count, ...) rows of one breakdown, whose counts add up to a total on the same
    page: the counts with primary and secondary suppression when `suppressed`."""
    if not suppressed:
        return list(rows)
    values = suppress_group([row[1] for row in rows])
    return [(row[0], value, *row[2:]) for row, value in zip(rows, values, strict=True)]


def _in_group(key: str, members: tuple[str, ...]) -> bool:
    return any(key.startswith(m) if m.endswith("_") else key == m for m in members)


def present_figures(figures: list[Figure], *, suppressed: bool) -> list[dict]:
    """The figures of one section as shown, with secondary suppression across the figures
    that add up to another (ADDITIVE_GROUPS)."""
    shown = [present_figure(f, suppressed=suppressed) for f in figures]
    if not suppressed:
        return shown
    for _total, members in ADDITIVE_GROUPS:
        indexes = [i for i, f in enumerate(figures) if _in_group(f.key, members)]
        if not indexes:
            continue
        values = suppress_group([figures[i].value for i in indexes])
        for i, value in zip(indexes, values, strict=True):
            if value == SECONDARY_SUPPRESSED:
                shown[i]["value"] = SECONDARY_SUPPRESSED
                shown[i]["percentage"] = None
    return shown


def present_figure(figure: Figure, *, suppressed: bool) -> dict:
    """A figure as shown: suppressed counts hide their rate too (a rate reveals the count)."""
    if not suppressed:
        return {
            "key": figure.key,
            "label": figure.label,
            "value": figure.value,
            "denominator": figure.denominator,
            "percentage": figure.percentage,
            "note": figure.note,
        }
    value = suppress(figure.value)
    denominator = suppress(figure.denominator)
    hidden = value == SUPPRESSED or denominator == SUPPRESSED
    return {
        "key": figure.key,
        "label": figure.label,
        "value": value,
        "denominator": denominator,
        "percentage": None if hidden else figure.percentage,
        "note": figure.note,
    }


# --- Shared filters --------------------------------------------------------------------


def active_in(cases: QuerySet, period: Period) -> QuerySet:
    """Cases worked at some time in the period: opened by its end, not closed before its
    start (a case open across either boundary counts), and allocated."""
    return (
        cases.filter(opened_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .exclude(status=CaseStatus.AWAITING_ALLOCATION)
    )


def _case_ids(cases: QuerySet):
    return cases.values("pk")


def _received_in(referrals: QuerySet, period: Period) -> QuerySet:
    return referrals.annotate(received_date=TruncDate("received_at")).filter(
        received_date__gte=period.start, received_date__lte=period.end
    )


# --- Requests for support (front door) -------------------------------------------------


def requests_received(referrals: QuerySet, period: Period) -> dict:
    """Requests received in the period and what was decided (Lancashire: 'reduction of
    contacts to the front door'; 'responding at Universal+ level')."""
    return count_requests(
        _received_in(referrals, period), undecided="decision__isnull", outcome="decision__outcome"
    )


def count_requests(received: QuerySet, *, undecided: str, outcome: str) -> dict:
    """The requests-received figures over `received`: `undecided` is the lookup true of a
    request not yet decided, `outcome` the field holding the decision's outcome."""
    from referrals.models import Outcome

    row = received.aggregate(
        total=Count("pk"),
        undecided=Count("pk", filter=Q(**{undecided: True}, status__in=["submitted", "in_triage"])),
        closed_without_decision=Count("pk", filter=Q(**{undecided: True}, status="closed")),
        step_down=Count("pk", filter=Q(channel="step_down")),
        **{o.value: Count("pk", filter=Q(**{outcome: o.value})) for o in Outcome},
    )
    return {
        "total": row["total"],
        "undecided": row["undecided"],
        "closed_without_decision": row["closed_without_decision"],
        "step_down": row["step_down"],
        "outcomes": [(o.label, row[o.value]) for o in Outcome],
    }


def decision_timeliness(referrals: QuerySet, period: Period) -> dict:
    """Triage decisions made in the period, and how many by their target date (the request's
    due date, set in working days from receipt by the front door)."""
    decided = referrals.annotate(decided_date=TruncDate("decision__decided_at")).filter(
        decided_date__gte=period.start, decided_date__lte=period.end
    )
    return decided.aggregate(
        decided=Count("pk"),
        on_time=Count("pk", filter=Q(due_on__isnull=False, decided_date__lte=F("due_on"))),
    )


def awaiting_triage(referrals: QuerySet, today: datetime.date) -> dict:
    """Requests received and not yet decided, and those already past their target date."""
    return referrals.filter(status__in=["submitted", "in_triage"]).aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        urgent=Count("pk", filter=Q(urgency="urgent")),
    )


def re_referrals(referrals: QuerySet, period: Period) -> dict:
    """Requests received in the period for a family whose early help episode closed within
    the 12 months (365 days) before: day 365 counts, day 366 does not (Lancashire: 'low
    re-referral rates within 12 months of receiving early help support')."""
    closed_before = EarlyHelpCase.objects.filter(
        family_id=OuterRef("family_id"),
        status=CaseStatus.CLOSED,
        closed_on__lte=OuterRef("received_date"),
        closed_on__gte=OuterRef("window_start"),
    )
    received = (
        _received_in(referrals, period)
        .annotate(
            window_start=ExpressionWrapper(
                F("received_date") - datetime.timedelta(days=RE_REFERRAL_DAYS),
                output_field=DateField(),
            )
        )
        .annotate(after_closure=Exists(closed_before))
    )
    return received.aggregate(
        received=Count("pk"),
        re_referrals=Count("pk", filter=Q(family_id__isnull=False, after_closure=True)),
    )


# --- Casework ----------------------------------------------------------------------------


def worked_with(cases: QuerySet, period: Period) -> dict:
    """Children and families worked with in the period, and families with a multi-agency
    plan (Lancashire: 'families supported through a multi-agency early help plan')."""
    active = active_in(cases, period)
    return active.aggregate(
        cases=Count("pk", distinct=True),
        children=Count("children", distinct=True),
        families=Count("family", distinct=True),
        families_with_plan=Count("family", distinct=True, filter=Q(family_plan__isnull=False)),
        universal_plus=Count(
            "pk", distinct=True, filter=Q(level_of_need=LevelOfNeed.UNIVERSAL_PLUS)
        ),
        targeted=Count("pk", distinct=True, filter=Q(level_of_need=LevelOfNeed.TARGETED)),
    )


def assessments_completed(cases: QuerySet, period: Period) -> dict:
    """Assessments first signed off in the period, and those signed off by their due date:
    20 working days from the case's start (its due_on), English bank holidays excluded
    (Blackpool Appendix 1)."""
    versions = AssessmentVersion.objects.filter(
        number=1, assessment__case__in=_case_ids(cases)
    ).annotate(signed_date=TruncDate("signed_off_at"))
    return versions.filter(signed_date__gte=period.start, signed_date__lte=period.end).aggregate(
        completed=Count("pk"),
        within_20_working_days=Count("pk", filter=Q(signed_date__lte=F("assessment__due_on"))),
    )


def closures(cases: QuerySet, period: Period) -> dict:
    """Cases closed in the period, by reason; needs met; consent withdrawn or disengaged;
    families reporting improved family life (Blackpool Outcomes; Lancashire 'needs met',
    'engagement ceased by family')."""
    closed = cases.filter(
        status=CaseStatus.CLOSED, closed_on__gte=period.start, closed_on__lte=period.end
    )
    return count_closures(closed, family_view="closure__family_view", no_view="closure__isnull")


def count_closures(closed: QuerySet, *, family_view: str, no_view: str) -> dict:
    """The closures figures over `closed`: `family_view` is the field holding the family's
    view of the help, `no_view` the lookup true where no closure record holds one."""
    row = closed.aggregate(
        closed=Count("pk"),
        improved_family_life=Count("pk", filter=Q(**{family_view: FamilyView.IMPROVED})),
        families_asked=Count(
            "pk", filter=Q(**{no_view: False}) & ~Q(**{family_view: FamilyView.NOT_ASKED})
        ),
        **{r.value: Count("pk", filter=Q(closure_reason=r.value)) for r in ClosureReason},
    )
    row["by_reason"] = [(r.label, row[r.value]) for r in ClosureReason]
    return row


def steps(cases: QuerySet, period: Period) -> dict:
    """Step ups to and step downs from children's social care recorded in the period."""
    return StepEvent.objects.filter(
        case__in=_case_ids(cases), occurred_on__gte=period.start, occurred_on__lte=period.end
    ).aggregate(
        step_up=Count("pk", filter=Q(direction=StepDirection.UP)),
        step_down=Count("pk", filter=Q(direction=StepDirection.DOWN)),
    )


def episodes_started(cases: QuerySet, period: Period) -> dict:
    """Early help episodes started in the period, by the front door's decision or by a
    partner who knows the family (Lancashire: 'reduction of contacts to the front door' as
    families are helped by those who know them; issue 12, point 2)."""
    return cases.filter(opened_on__gte=period.start, opened_on__lte=period.end).aggregate(
        started=Count("pk"),
        front_door=Count("pk", filter=Q(origin=CaseOrigin.FRONT_DOOR)),
        partner=Count("pk", filter=Q(origin=CaseOrigin.PARTNER)),
    )


LEVEL_MOVES = (
    (LevelOfNeed.UNIVERSAL_PLUS, LevelOfNeed.TARGETED),
    (LevelOfNeed.TARGETED, LevelOfNeed.UNIVERSAL_PLUS),
)


def level_changes(cases: QuerySet, period: Period) -> dict:
    """Moves along the continuum within early help recorded in the period, whatever caused
    them (a judgement, a front door decision on a request added to the case): {(from, to): n}
    for 2 to 3 and 3 to 2. Steps to and from social care are counted by steps()."""
    row = LevelOfNeedChange.objects.filter(
        case__in=_case_ids(cases), changed_on__gte=period.start, changed_on__lte=period.end
    ).aggregate(
        **{f"{a}_{b}": Count("pk", filter=Q(level_before=a, level_after=b)) for a, b in LEVEL_MOVES}
    )
    return {(a, b): row[f"{a}_{b}"] for a, b in LEVEL_MOVES}


def reviews_on_time(cases: QuerySet, period: Period) -> dict:
    """Reviews held in the period, and those held by the date set at the meeting before
    (6 weeks on when none was set): Blackpool Appendix 1, 'reviews every 4-6 weeks'."""
    previous = (
        TafMeeting.objects.filter(
            case_id=OuterRef("case_id"), status="held", held_on__lt=OuterRef("held_on")
        )
        .annotate(
            due=Coalesce(
                "next_review_on",
                ExpressionWrapper(
                    F("held_on") + datetime.timedelta(weeks=6), output_field=DateField()
                ),
            )
        )
        .order_by("-held_on", "-pk")
        .values("due")[:1]
    )
    held = TafMeeting.objects.filter(
        case__in=_case_ids(cases),
        kind="review",
        status="held",
        held_on__gte=period.start,
        held_on__lte=period.end,
    ).annotate(due=Subquery(previous, output_field=DateField()))
    return held.aggregate(
        held=Count("pk"),
        with_due_date=Count("pk", filter=Q(due__isnull=False)),
        on_time=Count("pk", filter=Q(due__isnull=False, held_on__lte=F("due"))),
    )


def _education_people(scope: Scope) -> QuerySet:
    if scope.aggregate_only and scope.district is None and scope.agency is None:
        return Person.objects.all()
    if scope.aggregate_only and scope.district is not None:
        return Person.objects.filter(memberships__family__district=scope.district)
    return Person.objects.filter(pk__in=scope.cases.values("children"))


def plan_before_education_event(scope: Scope, period: Period, kind: str) -> dict:
    """Requests for an EHC needs assessment (or exclusions) in the period, where recorded,
    and those for a child who had an early help plan in place on that day (Lancashire;
    Blackpool). A plan is in place when its case includes the child, the plan was drawn up
    on or before the day, and the case was not closed before it."""
    from reporting.models import EducationEvent

    plan_in_place = FamilyPlan.objects.filter(
        case__children=OuterRef("person_id"), created_on__lte=OuterRef("occurred_on")
    ).filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=OuterRef("occurred_on")))
    return EducationEvent.objects.filter(
        kind=kind,
        occurred_on__gte=period.start,
        occurred_on__lte=period.end,
        person__in=_education_people(scope).values("pk"),
    ).aggregate(events=Count("pk"), with_plan=Count("pk", filter=Q(Exists(plan_in_place))))


def quality_audits(cases: QuerySet, period: Period) -> dict:
    """Quality audits in the period and the share graded good or outstanding overall
    (Lancashire: 'increased prevalence of good/outstanding'; Blackpool: 'consistently good
    quality assessments, plans and reviews')."""
    audits = QualityAudit.objects.filter(
        case__in=_case_ids(cases), audited_on__gte=period.start, audited_on__lte=period.end
    )
    grades = {g.value: Count("pk", filter=Q(overall_grade=g.value)) for g in Grade}
    row = audits.aggregate(
        audits=Count("pk"),
        good_or_better=Count("pk", filter=Q(overall_grade__in=GOOD_OR_BETTER)),
        assessment_good=Count("pk", filter=Q(assessment_grade__in=GOOD_OR_BETTER)),
        plan_good=Count("pk", filter=Q(plan_grade__in=GOOD_OR_BETTER)),
        review_good=Count("pk", filter=Q(review_grade__in=GOOD_OR_BETTER)),
        **grades,
    )
    row["by_grade"] = [(g.label, row[g.value]) for g in Grade]
    return row


def supervised_within_interval(
    cases: QuerySet, period: Period, today: datetime.date, *, case: str = "pk"
) -> dict:
    """Cases open at the end of the period (or today, for a period still running), and
    those with case supervision or management oversight recorded in the authority's
    interval before that day (settings.SUPERVISION_INTERVAL_DAYS): issue 14, point 4.
    `cases` are the cases themselves or their summary rows, `case` the field naming the case."""
    from oversight.conf import supervision_interval_days
    from oversight.models import Supervision

    days = supervision_interval_days()
    as_at = min(period.end, today)
    supervised = Supervision.objects.filter(
        case_id=OuterRef(case),
        held_on__gte=as_at - datetime.timedelta(days=days),
        held_on__lte=as_at,
    )
    row = (
        cases.filter(opened_on__lte=as_at)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_at))
        .exclude(status=CaseStatus.AWAITING_ALLOCATION)
        .aggregate(open=Count("pk"), supervised=Count("pk", filter=Q(Exists(supervised))))
    )
    return {**row, "days": days, "as_at": as_at}


# --- Breakdowns of children worked with ------------------------------------------------

AGE_BANDS = [(0, 4, "0 to 4"), (5, 10, "5 to 10"), (11, 15, "11 to 15"), (16, 17, "16 to 17")]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _children(cases: QuerySet, period: Period) -> QuerySet:
    return Person.objects.filter(pk__in=active_in(cases, period).values("children"))


def age_band(end: datetime.date) -> tuple:
    """A child's age band on `end`, as a CASE over date_of_birth, and the bands' labels
    in the order they are listed."""
    from django.db.models import Case, CharField, When

    whens = [When(date_of_birth__isnull=True, then=Value("unborn"))]
    for low, high, label in AGE_BANDS:
        whens.append(
            When(
                date_of_birth__gt=_years_before(end, high + 1),
                date_of_birth__lte=_years_before(end, low),
                then=Value(label),
            )
        )
    band = Case(*whens, default=Value("18 and over"), output_field=CharField())
    labels = {
        "unborn": "Unborn",
        **{b[2]: b[2] for b in AGE_BANDS},
        "18 and over": "18 and over",
    }
    return band, labels


def children_breakdowns(
    rows, age_labels: dict[str, str], decile_rows: dict[int | None, int]
) -> list[Breakdown]:
    """The five breakdowns of children worked with, from `rows` (band, gender, ethnicity,
    send "send"/"none", and the count n of children with those four) and the children
    per deprivation decile (None: not known)."""
    counts = {"band": {}, "gender": {}, "ethnicity": {}, "send": {}}
    for row in rows:
        for key in counts:
            counts[key][row[key]] = counts[key].get(row[key], 0) + row["n"]

    def labelled(key: str, labels: dict) -> list[tuple[str, int]]:
        return [(label, counts[key][k]) for k, label in labels.items() if counts[key].get(k)]

    decile_list = [(f"Decile {d}", decile_rows[d]) for d in range(1, 11) if decile_rows.get(d)]
    if decile_rows.get(None):
        decile_list.append(("Not known", decile_rows[None]))
    return [
        Breakdown("age_band", "Age band", labelled("band", age_labels)),
        Breakdown("gender", "Gender", labelled("gender", dict(Gender.choices))),
        Breakdown("ethnicity", "Ethnicity", labelled("ethnicity", dict(Ethnicity.choices))),
        Breakdown(
            "send",
            "Special educational needs or disability",
            labelled("send", {"send": "SEND recorded", "none": "None recorded"}),
        ),
        Breakdown("deprivation", "Deprivation decile (1 most deprived)", decile_list),
    ]


def breakdowns(cases: QuerySet, period: Period) -> list[Breakdown]:
    """Children worked with in the period by age band (at the period's end), gender,
    ethnicity, SEND and the family's deprivation decile: one GROUP BY query each."""
    from django.db.models import Case, CharField, When

    children = _children(cases, period)
    band, age_labels = age_band(period.end)
    send = Case(
        When(~Q(sen_status=SenStatus.NONE), then=Value("send")),
        When(Q(disabilities__len__gt=0) & ~Q(disabilities=["NONE"]), then=Value("send")),
        default=Value("none"),
        output_field=CharField(),
    )
    deciles = children.values("memberships__family__deprivation_decile").annotate(
        n=Count("pk", distinct=True)
    )
    decile_rows = {row["memberships__family__deprivation_decile"]: row["n"] for row in deciles}
    # One GROUP BY over all four person attributes (a few hundred rows at most), summed
    # here, rather than scanning the children in scope once per breakdown.
    rows = (
        children.annotate(band=band, send=send)
        .values("band", "gender", "ethnicity", "send")
        .annotate(n=Count("pk"))
    )
    return children_breakdowns(rows, age_labels, decile_rows)


# --- All indicators for a period and scope ---------------------------------------------


def summaries_as_at():
    """When the summary tables were last rebuilt, or None if they never have been (a new
    installation before beat's first run: figures are then counted live)."""
    from reporting.summaries.refresh import last_refresh

    return last_refresh()


def _use_summaries(live: bool | None) -> bool:
    """live=None: from the summaries if they have been built; False: from the summaries
    (the caller has checked); True: counted from the records."""
    if live is None:
        return summaries_as_at() is not None
    return not live


def indicators_for(scope: Scope, period: Period, *, live: bool | None = None) -> list[Section]:
    """Every strategy indicator for (period, scope): from the summary tables (as of their
    last refresh) unless `live`, counted from the records."""
    cases, referrals = scope.cases, scope.referrals
    if _use_summaries(live):
        from reporting.summaries import figures

        counted = figures.indicator_figures(scope, period, timezone.localdate())
        req, timely, rerefs = counted["req"], counted["timely"], counted["rerefs"]
        worked, eha, closed = counted["worked"], counted["eha"], counted["closed"]
        reviews, started = counted["reviews"], counted["started"]
        ehc, excl, supervision = counted["ehc"], counted["excl"], counted["supervision"]
    else:
        req = requests_received(referrals, period)
        timely = decision_timeliness(referrals, period)
        rerefs = re_referrals(referrals, period)
        worked = worked_with(cases, period)
        eha = assessments_completed(cases, period)
        closed = closures(cases, period)
        reviews = reviews_on_time(cases, period)
        ehc = plan_before_education_event(scope, period, EducationEventKind.EHC_REQUEST)
        excl = plan_before_education_event(scope, period, EducationEventKind.EXCLUSION)
        started = episodes_started(cases, period)
        supervision = supervised_within_interval(cases, period, timezone.localdate())
    step = steps(cases, period)  # a few rows a year, indexed: always live
    moves = level_changes(cases, period)  # likewise
    qa = quality_audits(cases, period)
    return [
        Section(
            "requests",
            "Requests for support",
            "Lancashire Performance Management; Blackpool Outcomes",
            [
                Figure("requests_received", "Requests received", req["total"]),
                *[
                    Figure(f"outcome_{i}", f"Decided: {label}", n, req["total"])
                    for i, (label, n) in enumerate(req["outcomes"])
                ],
                Figure("requests_undecided", "Not yet decided", req["undecided"], req["total"]),
                Figure(
                    "requests_closed",
                    "Withdrawn or duplicate",
                    req["closed_without_decision"],
                    req["total"],
                ),
                Figure(
                    "decisions_on_time",
                    "Triage decisions made by their target date",
                    timely["on_time"],
                    timely["decided"],
                ),
                Figure(
                    "re_referrals",
                    "Re-referrals within 12 months of an episode closing",
                    rerefs["re_referrals"],
                    rerefs["received"],
                ),
                Figure(
                    "episodes_started",
                    f"{term('Early help')} episodes started",
                    started["started"],
                ),
                Figure(
                    "episodes_front_door",
                    "Episodes started by a front door decision",
                    started["front_door"],
                    started["started"],
                ),
                Figure(
                    "episodes_partner",
                    "Episodes started by a partner agency who knows the family",
                    started["partner"],
                    started["started"],
                ),
            ],
        ),
        Section(
            "casework",
            "Assessments, plans and reviews",
            "Blackpool Appendix 1; Lancashire Performance Management",
            [
                Figure("children_worked_with", "Children worked with", worked["children"]),
                Figure("families_worked_with", "Families worked with", worked["families"]),
                Figure(
                    "families_with_plan",
                    f"Families with a multi-agency {term('early help')} plan",
                    worked["families_with_plan"],
                    worked["families"],
                ),
                Figure(
                    "universal_plus_cases",
                    f"Cases at {LevelOfNeed.label_for(LevelOfNeed.UNIVERSAL_PLUS)} level",
                    worked["universal_plus"],
                    worked["cases"],
                ),
                Figure(
                    "targeted_cases",
                    f"Cases at {LevelOfNeed.label_for(LevelOfNeed.TARGETED)} level",
                    worked["targeted"],
                    worked["cases"],
                ),
                *[
                    Figure(
                        f"level_change_{a}_{b}",
                        f"Level of need changed from {LevelOfNeed.label_for(a)} to "
                        f"{LevelOfNeed.label_for(b)}",
                        n,
                    )
                    for (a, b), n in moves.items()
                ],
                Figure("assessments_completed", "Assessments completed", eha["completed"]),
                Figure(
                    "assessments_on_time",
                    "Assessments completed within 20 working days",
                    eha["within_20_working_days"],
                    eha["completed"],
                ),
                Figure("reviews_held", "Reviews held", reviews["held"]),
                Figure(
                    "reviews_on_time",
                    "Reviews held on time (by the date set at the meeting before)",
                    reviews["on_time"],
                    reviews["with_due_date"],
                ),
            ],
        ),
        Section(
            "outcomes",
            "Closures and outcomes",
            "Blackpool Outcomes; Lancashire Performance Management",
            [
                Figure("cases_closed", "Cases closed", closed["closed"]),
                Figure(
                    "closed_needs_met",
                    "Closed with all needs met",
                    closed[ClosureReason.NEEDS_MET],
                    closed["closed"],
                ),
                Figure(
                    "closed_consent_withdrawn",
                    "Consent withdrawn or family disengaged before completion",
                    closed[ClosureReason.CONSENT_WITHDRAWN],
                    closed["closed"],
                ),
                Figure(
                    "improved_family_life",
                    "Families reporting improved family life at closure",
                    closed["improved_family_life"],
                    closed["families_asked"],
                ),
                Figure("step_up", "Step ups to children's social care", step["step_up"]),
                Figure("step_down", "Step downs from children's social care", step["step_down"]),
                Figure(
                    "step_down_requests",
                    "Requests received as a step down from social care",
                    req["step_down"],
                ),
                Figure(
                    "plan_before_ehc",
                    f"{term('Early help')} plan in place before a request for an EHC needs "
                    "assessment",
                    ehc["with_plan"],
                    ehc["events"],
                    note="Where requests are recorded",
                ),
                Figure(
                    "plan_before_exclusion",
                    f"{term('Early help')} plan in place before an exclusion",
                    excl["with_plan"],
                    excl["events"],
                    note="Where exclusions are recorded",
                ),
            ],
        ),
        Section(
            "quality",
            "Quality of practice",
            "Lancashire Performance Management; Blackpool Outcomes",
            [
                Figure("qa_audits", "Cases audited", qa["audits"]),
                Figure(
                    "qa_good_or_better",
                    "Audits graded good or outstanding overall",
                    qa["good_or_better"],
                    qa["audits"],
                ),
                Figure(
                    "qa_assessment_good",
                    "Assessments graded good or outstanding",
                    qa["assessment_good"],
                    qa["audits"],
                ),
                Figure(
                    "qa_plan_good",
                    "Plans graded good or outstanding",
                    qa["plan_good"],
                    qa["audits"],
                ),
                Figure(
                    "qa_review_good",
                    "Reviews graded good or outstanding",
                    qa["review_good"],
                    qa["audits"],
                ),
                Figure(
                    "supervised_within_interval",
                    "Open cases supervised within the authority's interval",
                    supervision["supervised"],
                    supervision["open"],
                    note=f"Cases open on {supervision['as_at']:%-d %B %Y} with case supervision "
                    f"or management oversight recorded in the {supervision['days']} days before",
                ),
            ],
        ),
    ]


def breakdowns_for(scope: Scope, period: Period, *, live: bool | None = None) -> list[Breakdown]:
    if _use_summaries(live):
        from reporting.summaries import figures

        return figures.cached_breakdowns(scope, period)
    return breakdowns(scope.cases, period)


def decision_timeliness_for(scope: Scope, period: Period, *, live: bool | None = None) -> dict:
    if _use_summaries(live):
        from reporting.summaries import figures

        return figures.decision_timeliness(scope, period)
    return decision_timeliness(scope.referrals, period)


def caseload_for(scope: Scope, today: datetime.date, *, live: bool | None = None) -> dict:
    """The caseload dashboard's figures: from the summaries unless `live`. The drill-down
    lists behind them (cases_behind) are always live and scoped."""
    return caseload_and_key_for(scope, today, live=live)[0]


def caseload_and_key_for(
    scope: Scope, today: datetime.date, *, live: bool | None = None
) -> tuple[dict, str | None]:
    """caseload_for, with the cache key of the figures (None when counted live or not kept):
    what the dashboard keys its drawn charts by (summaries.figures.caseload_and_key)."""
    if _use_summaries(live):
        from reporting.summaries import figures

        return figures.caseload_and_key(scope, today, DUE_SOON_WORKING_DAYS)
    return caseload(scope.cases, scope.referrals, today), None


def dashboard_for(
    scope: Scope, period: Period, today: datetime.date, *, live: bool | None = None
) -> tuple[dict, str | None, dict]:
    """The caseload dashboard's figures: caseload_and_key_for and decision_timeliness_for,
    as (caseload, key, timeliness)."""
    if _use_summaries(live):
        from reporting.summaries import figures

        return figures.dashboard(scope, period, today, DUE_SOON_WORKING_DAYS)
    return (
        caseload(scope.cases, scope.referrals, today),
        None,
        decision_timeliness(scope.referrals, period),
    )


# --- The caseload dashboard -------------------------------------------------------------


def open_case_breakdowns(open_cases: QuerySet) -> tuple[dict, list, list, list]:
    """Open cases by level of need, lead professional, lead agency and district: four
    grouped queries over the cases themselves or their summary rows (the same field names)."""
    by_level = {
        row["level_of_need"]: row["n"]
        for row in open_cases.values("level_of_need").annotate(n=Count("pk"))
    }
    by_worker = list(
        open_cases.values("lead_professional_id", "lead_professional__full_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_professional__full_name")
    )
    by_agency = list(
        open_cases.values("lead_agency_id", "lead_agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_agency__name")
    )
    by_district = list(
        open_cases.values("district_id", "district__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "district__name")
    )
    return by_level, by_worker, by_agency, by_district


def caseload(cases: QuerySet, referrals: QuerySet, today: datetime.date) -> dict:
    """A manager's caseload today: open cases by level of need, lead professional, lead agency
    and district; assessments, first TAF meetings and reviews due and overdue; requests
    waiting for triage. Eight queries whatever the number of cases."""
    open_cases = cases.filter(status__in=[CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION])
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)

    by_level, by_worker, by_agency, by_district = open_case_breakdowns(open_cases)
    assessments = Assessment.objects.filter(case__in=_case_ids(open_cases))
    eha = assessments.aggregate(
        due=Count(
            "pk", filter=Q(status="draft", version_number=1, due_on__gte=today, due_on__lte=soon)
        ),
        overdue=Count("pk", filter=Q(pk__in=overdue_assessments(assessments, today).values("pk"))),
    )
    plans = FamilyPlan.objects.filter(case__in=_case_ids(open_cases))
    first_taf_overdue = overdue_first_taf_meetings(plans, today).count()
    meetings = TafMeeting.objects.filter(case__in=_case_ids(open_cases))
    reviews = meetings.aggregate(
        due=Count("pk", filter=Q(pk__in=reviews_due_soon(meetings, today, soon).values("pk"))),
        overdue=Count("pk", filter=Q(pk__in=overdue_reviews(meetings, today).values("pk"))),
    )
    triage = awaiting_triage(referrals, today)
    total = sum(by_level.values())
    return {
        "total": total,
        "by_level": [
            (code, label, by_level.get(code, 0)) for code, label in LevelOfNeed.configured_choices()
        ],
        "by_worker": by_worker,
        "by_agency": by_agency,
        "by_district": by_district,
        "assessments_due": eha["due"],
        "assessments_overdue": eha["overdue"],
        "first_taf_overdue": first_taf_overdue,
        "reviews_due": reviews["due"],
        "reviews_overdue": reviews["overdue"],
        "triage_waiting": triage["waiting"],
        "triage_overdue": triage["overdue"],
        "triage_urgent": triage["urgent"],
        "due_soon_until": soon,
    }


# --- Drill-down: the cases behind a dashboard figure ------------------------------------

FIGURES = {
    "open": "Open cases",
    "assessments_due": "Assessments due in the next 10 working days",
    "assessments_overdue": "Assessments overdue",
    "first_taf_overdue": "First TAF meetings overdue",
    "reviews_due": "Reviews due in the next 10 working days",
    "reviews_overdue": "Reviews overdue",
}


def cases_behind(
    cases: QuerySet,
    figure: str,
    today: datetime.date,
    *,
    level: int | None = None,
    worker: int | None = None,
    agency: int | None = None,
    district: int | None = None,
) -> QuerySet:
    """The cases a dashboard figure counts, from the same scoped queryset, so a list never
    shows a case the number did not count (nor one the viewer may not read)."""
    open_cases = cases.filter(status__in=[CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION])
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    if figure == "assessments_due":
        open_cases = open_cases.filter(
            assessment__status="draft",
            assessment__version_number=1,
            assessment__due_on__gte=today,
            assessment__due_on__lte=soon,
        )
    elif figure == "assessments_overdue":
        open_cases = open_cases.filter(
            pk__in=overdue_assessments(Assessment.objects.all(), today).values("case_id")
        )
    elif figure == "first_taf_overdue":
        open_cases = open_cases.filter(
            pk__in=overdue_first_taf_meetings(FamilyPlan.objects.all(), today).values("case_id")
        )
    elif figure == "reviews_due":
        open_cases = open_cases.filter(
            pk__in=reviews_due_soon(TafMeeting.objects.all(), today, soon).values("case_id")
        )
    elif figure == "reviews_overdue":
        open_cases = open_cases.filter(
            pk__in=overdue_reviews(TafMeeting.objects.all(), today).values("case_id")
        )
    if level is not None:
        open_cases = open_cases.filter(level_of_need=level)
    if worker is not None:
        open_cases = open_cases.filter(lead_professional_id=worker)
    if agency is not None:
        open_cases = open_cases.filter(lead_agency_id=agency)
    if district is not None:
        open_cases = open_cases.filter(district_id=district)
    return open_cases
