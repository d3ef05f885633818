"""The indicator and dashboard figures, counted from the summary tables.

Each function returns exactly what its live twin in reporting/indicators.py returns, for the
same scope and period, as of the last refresh (tests/reporting/summaries proves it). The scope is
applied as everywhere else: aggregate-only viewers (strategic, administrator) filter the
facts by district and agency columns; everyone else by `case_id IN cases_visible_to(user)`
(and the same for requests), so a manager's figures never count a record they cannot see.
"""

import datetime
import functools
import hashlib
import logging
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from cases.access import case_columns_visible_to
from cases.models import CaseOrigin, CaseStatus, LevelOfNeed
from earlyhelp.working_days import add_working_days
from referrals.access import referral_columns_visible_to
from reporting import indicators
from reporting.indicators import (
    age_band,
    children_breakdowns,
    count_closures,
    count_requests,
    open_case_breakdowns,
)
from reporting.selectors import Period
from reporting.summaries import scope_reads
from reporting.summaries.models import (
    AssessmentFact,
    CaseChildFact,
    CaseFact,
    ChildFact,
    DeadlineFact,
    DeadlineKind,
    EducationFact,
    ReferralFact,
    ReviewFact,
    SummaryRefresh,
)

logger = logging.getLogger(__name__)

OPEN_STATUSES = [CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION]


def _resolved(q: Q) -> Q:
    """`q` with each subquery replaced by the values it gives now: the user's districts, own
    cases and named families are a handful of ids, and as values PostgreSQL can count the
    rows they select from its statistics (over `IN (SELECT ...)` it guesses, and plans a
    district's figures as if for the county) and Django compiles them once, not per figure."""
    resolved = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            child = _resolved(child)
        elif isinstance(child, tuple) and isinstance(child[1], QuerySet):
            child = (child[0], _sorted([_value(row) for row in child[1]]))
        resolved.children.append(child)
    return resolved


def _sorted(values: list) -> list:
    """In order, so the same scope always reads the same (and has the same cache key)."""
    try:
        return sorted(values)
    except TypeError:  # a NULL among them: the order does not change what IN selects
        return values


def _value(row):
    """One row of a subquery as the value it selects (values(), values_list(), models)."""
    if isinstance(row, dict):
        (value,) = row.values()
        return value
    if isinstance(row, tuple):
        (value,) = row
        return value
    return getattr(row, "pk", row)


# What one set of figures works out once (the scope's filters, the rebuild, the children):
# kept for the length of one call of a function marked @_one_count, never longer, so a scope
# used again after a rebuild or a change to the user's access is worked out afresh.
_MEMO: ContextVar[dict | None] = ContextVar("summaries_memo", default=None)


def _one_count(function):
    @functools.wraps(function)
    def counted(scope, *args, **kwargs):
        if _MEMO.get() is not None:
            return function(scope, *args, **kwargs)
        token = _MEMO.set({})
        try:
            return function(scope, *args, **kwargs)
        finally:
            _MEMO.reset(token)

    return counted


def _memo(scope, key, build):
    """build() once per scope within one @_one_count call (a page asks ten times)."""
    memo = _MEMO.get()
    if memo is None:
        return build()
    key = (id(scope), key)
    if key not in memo:
        memo[key] = build()
    return memo[key]


def _case_ids(scope) -> Q:
    """The scope as a filter on any case-based fact: the access rules of cases/access.py
    applied to the fact's copies of the case columns, narrowed by the filters."""
    return _memo(scope, "cases", lambda: _case_filter(scope))


def _user_filter(scope, which: int, build) -> Q | None:
    """The user's case (0) or request (1) filter, resolved: through compiled reads, each read
    once for both filters (scope_reads), or build() resolved where the user reads through
    the ORM. None: no such records."""
    reads = _memo(scope, "reads", dict)
    compiled = _memo(scope, "user filters", lambda: scope_reads.filters_for(scope.user, reads))
    if compiled is not None:
        return compiled[which]
    q = build()
    return None if q is None else _resolved(q)


def _case_filter(scope) -> Q:
    if scope.aggregate_only:
        q = Q()
    elif scope.user is None:
        q = Q(case_id__in=scope.cases.values("pk"))
    else:
        q = _user_filter(scope, 0, lambda: case_columns_visible_to(scope.user, case_id="case_id"))
        if q is None:
            return Q(pk__in=[])
    if scope.district is not None:
        q &= Q(district_id=scope.district.pk)
    if scope.agency is not None:
        q &= Q(lead_agency_id=scope.agency.pk)
    return q


def _referrals(scope):
    return ReferralFact.objects.filter(_memo(scope, "referrals", lambda: _referral_filter(scope)))


def _referral_filter(scope) -> Q:
    if not scope.aggregate_only:
        if scope.user is None:
            return Q(referral_id__in=scope.referrals.values("pk"))
        q = _user_filter(scope, 1, lambda: referral_columns_visible_to(scope.user))
        q = q if q is not None else Q(pk__in=[])
    else:
        q = ~Q(status="draft")
    if scope.district is not None:
        q &= Q(district_id=scope.district.pk)
    if scope.agency is not None:
        q &= Q(allocated_agency_id=scope.agency.pk)
    return q


# --- Figures kept until the next rebuild -------------------------------------------------

CACHE_SECONDS = 15 * 60  # a rebuild every 10 minutes makes new keys before this runs out


def _rebuild_stamp() -> str | None:
    """Which rebuild the summaries are: this database (its oid: a database made again with
    the same ids, in tests or a new bench county, shares nothing) and the refresh row's
    version (xmin changes with every rebuild, even two in the same second)."""
    from reporting.summaries.refresh import NAME

    table = connection.ops.quote_name(SummaryRefresh._meta.db_table)
    database = "(SELECT oid FROM pg_database WHERE datname = current_database())"
    sql = f"SELECT {database}, refreshed_at, xmin FROM {table} WHERE name = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [NAME])
        row = cursor.fetchone()
    return None if row is None else "|".join(str(v) for v in row)


def _cache_key(scope, period, name: str) -> str | None:
    """The key of a set of figures: what they are, the period, the scope's filters with their
    values (a change to the user's districts, cases or named families is a new key) and the
    rebuild. None (not kept) for a scope given as querysets, not as a user's rules."""
    scope_part = _memo(scope, "key", lambda: _scope_key(scope))
    if scope_part is None:
        return None
    stamp = _memo(scope, "rebuild", _rebuild_stamp)
    if stamp is None:
        return None
    parts = "|".join(repr(p) for p in (name, stamp, period.start, period.end))
    digest = hashlib.sha256(f"{parts}|{scope_part}".encode()).hexdigest()
    return f"summaries:{name}:{digest}"


def _scope_key(scope) -> str | None:
    """The scope's part of its figures' keys (written once for the several sets of figures
    a page keeps): its filters, with their values. None: not plain values."""
    filters = (_case_ids(scope), _memo(scope, "referrals", lambda: _referral_filter(scope)))
    if not all(_literal(q) for q in filters):
        return None
    parts = (
        scope.aggregate_only,
        scope.district.pk if scope.district else None,
        scope.agency.pk if scope.agency else None,
        *filters,
    )
    return "|".join(repr(p) for p in parts)


LITERALS = (int, str, bool, float, datetime.date, type(None))


def _literal(q: Q) -> bool:
    """Whether `q` is plain values all through, so that its repr says exactly what it
    selects (a queryset or expression left in it could select something else tomorrow)."""
    for child in q.children:
        if isinstance(child, Q):
            if not _literal(child):
                return False
        elif not isinstance(child, tuple) or not (
            isinstance(child[1], LITERALS)
            or (isinstance(child[1], list) and all(isinstance(v, LITERALS) for v in child[1]))
        ):
            return False
    return True


def _cached(scope, period, name: str, compute):
    """compute(), kept in the cache until the next rebuild. The figures read nothing but
    the summary tables, so between rebuilds they cannot change; when the cache is
    unreachable they are counted anyway."""
    return _kept(_cache_key(scope, period, name), compute)


def _kept(key: str | None, compute):
    if key is None:
        return compute()
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001  (a cache outage: count, never fail the page)
        logger.warning("summaries figures cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("summaries figures cache unavailable", exc_info=True)
    return value


@_one_count
def indicator_figures(scope, period, today: datetime.date) -> dict:
    """The indicators page's summary figures for (scope, period), by name, kept until the
    next rebuild; supervision is looked up live. A strategic viewer's district filter picks
    children by their family's district today (plan_before_education_event): those two
    figures are counted each time."""
    from reporting.models import EducationEventKind

    kinds = {"ehc": EducationEventKind.EHC_REQUEST, "excl": EducationEventKind.EXCLUSION}
    reads_records = scope.aggregate_only and scope.district is not None

    def compute() -> dict:
        counted = {
            "req": requests_received(scope, period),
            "timely": decision_timeliness(scope, period),
            "rerefs": re_referrals(scope, period),
            "worked": worked_with(scope, period),
            "eha": assessments_completed(scope, period),
            "closed": closures(scope, period),
            "reviews": reviews_on_time(scope, period),
            "started": episodes_started(scope, period),
        }
        if not reads_records:
            counted.update(
                {k: plan_before_education_event(scope, period, v) for k, v in kinds.items()}
            )
        return counted

    counted = _cached(scope, period, "indicators", compute)
    if reads_records:
        counted = {
            **counted,
            **{k: plan_before_education_event(scope, period, v) for k, v in kinds.items()},
        }
    # Supervision is looked up live: counted each time, with the same scope's filters.
    return {**counted, "supervision": supervised_within_interval(scope, period, today)}


@_one_count
def cached_breakdowns(scope, period) -> list:
    """breakdowns(), kept until the next rebuild."""
    return _cached(scope, period, "breakdowns", lambda: breakdowns(scope, period))


def _in(period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def requests_received(scope, period) -> dict:
    received = _referrals(scope).filter(_in(period, "received_date"))
    return count_requests(received, undecided="outcome__isnull", outcome="outcome")


@_one_count
def decision_timeliness(scope, period) -> dict:
    return (
        _referrals(scope)
        .filter(_in(period, "decided_date"))
        .aggregate(
            decided=Count("pk"),
            on_time=Count("pk", filter=Q(due_on__isnull=False, decided_date__lte=F("due_on"))),
        )
    )


def awaiting_triage(scope, today: datetime.date) -> dict:
    return (
        _referrals(scope)
        .filter(status__in=["submitted", "in_triage"])
        .aggregate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            urgent=Count("pk", filter=Q(urgency="urgent")),
        )
    )


def re_referrals(scope, period) -> dict:
    return (
        _referrals(scope)
        .filter(_in(period, "received_date"))
        .aggregate(received=Count("pk"), re_referrals=Count("pk", filter=Q(re_referral=True)))
    )


def _worked_in(period, facts, status: str = "status"):
    """The `facts` about cases worked at some time in the period (reporting.indicators.
    active_in): opened by its end, not closed before its start, and allocated; `status`
    names the fact's copy of the case's status."""
    return (
        facts.filter(opened_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .exclude(**{status: CaseStatus.AWAITING_ALLOCATION})
    )


def _active(scope, period):
    return _worked_in(period, CaseFact.objects.filter(_case_ids(scope)))


@_one_count
def worked_with(scope, period) -> dict:
    active = _active(scope, period)
    row = active.aggregate(
        cases=Count("pk"),
        families=Count("family_id", distinct=True),
        families_with_plan=Count("family_id", distinct=True, filter=Q(has_plan=True)),
        universal_plus=Count("pk", filter=Q(level_of_need=LevelOfNeed.UNIVERSAL_PLUS)),
        targeted=Count("pk", filter=Q(level_of_need=LevelOfNeed.TARGETED)),
    )
    # Every child on a case has a ChildFact (same rebuild): one group row per kind of child.
    row["children"] = sum(group["n"] for group in _children_groups(scope, period))
    return row


def _active_children(scope, period):
    """Children on cases worked at some time in the period, from the copies of the case's
    status and dates on CaseChildFact."""
    return _worked_in(period, CaseChildFact.objects.filter(_case_ids(scope)), "case_status")


def _dated_in(facts, scope, period, field: str):
    """The `facts` (a fact model) of cases in scope whose `field` falls in the period."""
    return facts.objects.filter(_case_ids(scope)).filter(_in(period, field))


def episodes_started(scope, period) -> dict:
    return _dated_in(CaseFact, scope, period, "opened_on").aggregate(
        started=Count("pk"),
        front_door=Count("pk", filter=Q(origin=CaseOrigin.FRONT_DOOR)),
        partner=Count("pk", filter=Q(origin=CaseOrigin.PARTNER)),
    )


def assessments_completed(scope, period) -> dict:
    return _dated_in(AssessmentFact, scope, period, "signed_date").aggregate(
        completed=Count("pk"),
        within_20_working_days=Count("pk", filter=Q(signed_date__lte=F("due_on"))),
    )


def closures(scope, period) -> dict:
    closed = _dated_in(CaseFact, scope, period, "closed_on").filter(status=CaseStatus.CLOSED)
    return count_closures(closed, family_view="family_view", no_view="family_view__isnull")


def reviews_on_time(scope, period) -> dict:
    return _dated_in(ReviewFact, scope, period, "held_on").aggregate(
        held=Count("pk"),
        with_due_date=Count("pk", filter=Q(due__isnull=False)),
        on_time=Count("pk", filter=Q(due__isnull=False, held_on__lte=F("due"))),
    )


@_one_count
def supervised_within_interval(scope, period, today: datetime.date) -> dict:
    """reporting.indicators.supervised_within_interval over the case summaries: which cases
    were open on the day as of the last refresh; their supervision is looked up live."""
    return indicators.supervised_within_interval(
        CaseFact.objects.filter(_case_ids(scope)), period, today, case="case_id"
    )


def plan_before_education_event(scope, period, kind: str) -> dict:
    from cases.models import FamilyMembership

    events = EducationFact.objects.filter(kind=kind).filter(_in(period, "occurred_on"))
    if scope.aggregate_only and scope.district is None and scope.agency is None:
        pass
    elif scope.aggregate_only and scope.district is not None:
        events = events.filter(
            person_id__in=FamilyMembership.objects.filter(family__district=scope.district).values(
                "person_id"
            )
        )
    else:
        events = events.filter(
            person_id__in=CaseChildFact.objects.filter(_case_ids(scope)).values("person_id")
        )
    return events.aggregate(events=Count("pk"), with_plan=Count("pk", filter=Q(with_plan=True)))


def _children_groups(scope, period) -> list[dict]:
    """The children worked with in the period, counted by age band (at its end), gender,
    ethnicity, SEND and deciles together: one GROUP BY (a few thousand rows at most) for
    the breakdowns and the number of children, which find the children once, not each."""

    def count() -> list[dict]:
        children = ChildFact.objects.filter(
            person_id__in=_active_children(scope, period).values("person_id")
        )
        band, _ = age_band(period.end)
        return list(
            children.annotate(band=band)
            .values("band", "gender", "ethnicity", "send", "deciles")
            .annotate(n=Count("pk"))
        )

    # Kept like the figures: the indicators and the breakdowns are counted in separate calls
    # (and cache entries), and both need these rows.
    return _memo(
        scope,
        ("children", period.start, period.end),
        lambda: _cached(scope, period, "children", count),
    )


@_one_count
def breakdowns(scope, period):
    groups = _children_groups(scope, period)
    decile_rows: dict[int | None, int] = {}
    for row in groups:
        for decile in row["deciles"]:  # distinct within a child: each child once a decile
            decile_rows[decile or None] = decile_rows.get(decile or None, 0) + row["n"]
    rows = [{**row, "send": "send" if row["send"] else "none"} for row in groups]
    return children_breakdowns(rows, age_band(period.end)[1], decile_rows)


def caseload(scope, today: datetime.date, due_soon_working_days: int) -> dict:
    """The caseload dashboard's figures, kept until the next rebuild or the next day (the
    deadlines are compared with today): a whole authority's chart of a thousand workers was
    counted again on every view."""
    return caseload_and_key(scope, today, due_soon_working_days)[0]


@_one_count
def caseload_and_key(
    scope, today: datetime.date, due_soon_working_days: int
) -> tuple[dict, str | None]:
    """caseload(), with the key it is kept under (None: not kept, counted each time). The
    dashboard keeps its drawn charts under the same key, so they change exactly when the
    figures do: a rebuild, a new day, a change to the user's districts, cases or filters."""
    soon = add_working_days(today, due_soon_working_days)
    key = _cache_key(scope, Period(today, soon), "caseload")
    return _kept(key, lambda: _caseload(scope, today, soon)), key


@_one_count
def dashboard(scope, period, today: datetime.date, due_soon_working_days: int) -> tuple:
    """The caseload dashboard's figures: (caseload, its key, decision timeliness), counted
    together so the scope's filters are worked out once for both, and each kept until the
    next rebuild."""
    load, key = caseload_and_key(scope, today, due_soon_working_days)
    timely = _cached(scope, period, "timeliness", lambda: decision_timeliness(scope, period))
    return load, key, timely


def _caseload(scope, today: datetime.date, soon: datetime.date) -> dict:
    open_cases = CaseFact.objects.filter(_case_ids(scope), status__in=OPEN_STATUSES)
    by_level, by_worker, by_agency, by_district = open_case_breakdowns(open_cases)
    window = Q(due_on__gte=today, due_on__lte=soon)
    overdue = Q(due_on__lt=today, case_status=CaseStatus.OPEN)
    row = DeadlineFact.objects.filter(_case_ids(scope)).aggregate(
        assessments_due=Count("pk", filter=Q(kind=DeadlineKind.ASSESSMENT) & window),
        assessments_overdue=Count("pk", filter=Q(kind=DeadlineKind.ASSESSMENT) & overdue),
        first_taf_overdue=Count("pk", filter=Q(kind=DeadlineKind.FIRST_TAF) & overdue),
        reviews_due=Count("pk", filter=Q(kind=DeadlineKind.REVIEW) & window),
        reviews_overdue=Count("pk", filter=Q(kind=DeadlineKind.REVIEW) & overdue),
    )
    triage = awaiting_triage(scope, today)
    return {
        "total": sum(by_level.values()),
        "by_level": [
            (code, label, by_level.get(code, 0)) for code, label in LevelOfNeed.configured_choices()
        ],
        "by_worker": by_worker,
        "by_agency": by_agency,
        "by_district": by_district,
        **row,
        "triage_waiting": triage["waiting"],
        "triage_overdue": triage["overdue"],
        "triage_urgent": triage["urgent"],
        "due_soon_until": soon,
    }
