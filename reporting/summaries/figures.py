"""The indicator and dashboard figures, counted from the summary tables.

Each function returns exactly what its live twin in reporting/indicators.py returns, for the
same scope and period, as of the last refresh (tests/reporting/summaries proves it). The scope is
applied as everywhere else: aggregate-only viewers (strategic, administrator) filter the
facts by district and agency columns; everyone else by `case_id IN cases_visible_to(user)`
(and the same for requests), so a manager's figures never count a record they cannot see.
"""

import datetime

from django.db.models import (
    Count,
    F,
    Func,
    PositiveSmallIntegerField,
    Q,
)

from cases.access import case_columns_visible_to
from cases.models import CaseOrigin, CaseStatus, LevelOfNeed
from earlyhelp.working_days import add_working_days
from referrals.access import referral_columns_visible_to
from reporting.indicators import (
    age_band,
    children_breakdowns,
    count_closures,
    count_requests,
    open_case_breakdowns,
)
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
)

OPEN_STATUSES = [CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION]


def _case_ids(scope) -> Q:
    """The scope as a filter on any case-based fact: the access rules of cases/access.py
    applied to the fact's copies of the case columns, narrowed by the filters."""
    if scope.aggregate_only:
        q = Q()
    elif scope.user is None:
        q = Q(case_id__in=scope.cases.values("pk"))
    else:
        q = case_columns_visible_to(scope.user, case_id="case_id")
        if q is None:
            return Q(pk__in=[])
    if scope.district is not None:
        q &= Q(district_id=scope.district.pk)
    if scope.agency is not None:
        q &= Q(lead_agency_id=scope.agency.pk)
    return q


def _referrals(scope):
    facts = ReferralFact.objects.all()
    if not scope.aggregate_only:
        if scope.user is None:
            return facts.filter(referral_id__in=scope.referrals.values("pk"))
        q = referral_columns_visible_to(scope.user)
        facts = facts.filter(q) if q is not None else facts.none()
    else:
        facts = facts.exclude(status="draft")
    if scope.district is not None:
        facts = facts.filter(district_id=scope.district.pk)
    if scope.agency is not None:
        facts = facts.filter(allocated_agency_id=scope.agency.pk)
    return facts


def _in(period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def requests_received(scope, period) -> dict:
    received = _referrals(scope).filter(_in(period, "received_date"))
    return count_requests(received, undecided="outcome__isnull", outcome="outcome")


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


def worked_with(scope, period) -> dict:
    active = _active(scope, period)
    row = active.aggregate(
        cases=Count("pk"),
        families=Count("family_id", distinct=True),
        families_with_plan=Count("family_id", distinct=True, filter=Q(has_plan=True)),
        universal_plus=Count("pk", filter=Q(level_of_need=LevelOfNeed.UNIVERSAL_PLUS)),
        targeted=Count("pk", filter=Q(level_of_need=LevelOfNeed.TARGETED)),
    )
    row["children"] = _active_children(scope, period).aggregate(
        n=Count("person_id", distinct=True)
    )["n"]
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


def breakdowns(scope, period):
    children = ChildFact.objects.filter(
        person_id__in=_active_children(scope, period).values("person_id")
    )
    band, age_labels = age_band(period.end)
    rows = (
        {**row, "send": "send" if row["send"] else "none"}
        for row in children.annotate(band=band)
        .values("band", "gender", "ethnicity", "send")
        .annotate(n=Count("pk"))
    )
    decile_rows = {
        row["decile"] or None: row["n"]
        for row in children.annotate(
            decile=Func(F("deciles"), function="unnest", output_field=PositiveSmallIntegerField())
        )
        .values("decile")
        .annotate(n=Count("pk"))
    }
    return children_breakdowns(rows, age_labels, decile_rows)


def caseload(scope, today: datetime.date, due_soon_working_days: int) -> dict:
    open_cases = CaseFact.objects.filter(_case_ids(scope), status__in=OPEN_STATUSES)
    soon = add_working_days(today, due_soon_working_days)
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
