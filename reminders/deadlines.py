"""Every deadline the reminders chase, gathered in one place from the apps that own the
rules (DESIGN.md: "drift and delay").

- Early Help Assessment: 20 working days from the case's start (assessments/deadlines.py).
- First TAF meeting: 10 working days after the family plan (assessments/deadlines.py).
- Reviews: on the date set at the last held meeting, 4 to 6 weeks on (assessments/deadlines.py).
- Triage decisions: the front door targets, stored on the referral when it is received
  (referrals/services.py triage_due_on, from referrals/rules.py triage_target_days).
- Family plan actions: on the date set for each action, chasing its owner when the owner is
  a TAF member with an account (assessments.PlanAction.due_on).
- Case drift: an open case with no recorded activity for REMINDER_DRIFT_DAYS (default 30)
  days, counted from EarlyHelpCase.last_activity_at (or the day it opened).

Each kind is one set-based query returning plain rows (no per-row queries), so a sweep over
a county is a handful of indexed scans. The "still outstanding" rule is the owning app's
own overdue filter, asked with a later cut-off, so pages, reports and reminders agree.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from assessments import deadlines as casework
from assessments.models import ActionStatus, Assessment, FamilyPlan, PlanAction, TafMeeting
from cases.models import CaseStatus, EarlyHelpCase
from directory.selectors import services_due_for_review
from earlyhelp.working_days import add_working_days, is_working_day
from referrals.models import Referral, ReferralStatus
from reminders import conf
from reminders.models import DeadlineKind

RECORD_TYPES = {
    DeadlineKind.ASSESSMENT: "assessments.assessment",
    DeadlineKind.FIRST_TAF: "assessments.familyplan",
    DeadlineKind.REVIEW: "assessments.tafmeeting",
    DeadlineKind.TRIAGE: "referrals.referral",
    DeadlineKind.DRIFT: "cases.earlyhelpcase",
    DeadlineKind.ALLOCATION: "cases.earlyhelpcase",
    DeadlineKind.ACTION: "assessments.planaction",
    DeadlineKind.SERVICE_REVIEW: "partners.service",
}
CASE_KINDS = (
    DeadlineKind.ASSESSMENT,
    DeadlineKind.FIRST_TAF,
    DeadlineKind.REVIEW,
    DeadlineKind.DRIFT,
    DeadlineKind.ALLOCATION,
    DeadlineKind.ACTION,
)
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
OPEN_REFERRAL_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_TRIAGE)


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: str
    record_type: str
    record_id: int
    case_id: int | None
    due_on: datetime.date
    responsible_id: int | None
    district_id: int | None
    lead_agency_id: int | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.record_type, self.record_id, self.due_on)


def drift_due_on(last_activity_at: datetime.datetime | None, opened_on: datetime.date):
    """The day a case starts drifting: REMINDER_DRIFT_DAYS after its last recorded activity
    (or after it opened, if nothing has been recorded)."""
    start = timezone.localdate(last_activity_at) if last_activity_at else opened_on
    return start + datetime.timedelta(days=conf.drift_days())


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _case_queryset(kind: str, due_by: datetime.date) -> QuerySet:
    """Outstanding records of one case-based kind, due on or before `due_by`."""
    after = due_by + datetime.timedelta(days=1)  # the owning filters take "due before"
    if kind == DeadlineKind.ASSESSMENT:
        return casework.overdue_assessments(Assessment.objects.all(), after).annotate(
            deadline=F("due_on")
        )
    if kind == DeadlineKind.FIRST_TAF:
        return casework.overdue_first_taf_meetings(FamilyPlan.objects.all(), after).annotate(
            deadline=F("first_taf_due_on")
        )
    if kind == DeadlineKind.REVIEW:
        return casework.overdue_reviews(TafMeeting.objects.all(), after).annotate(
            deadline=F("next_review_on")
        )
    raise ValueError(kind)


def _drift_queryset(due_by: datetime.date) -> QuerySet:
    """Open cases whose drift date (last activity + N days) is on or before `due_by`."""
    quiet_since = due_by - datetime.timedelta(days=conf.drift_days())
    return EarlyHelpCase.objects.filter(status=CaseStatus.OPEN).filter(
        Q(last_activity_at__lt=_start_of_day(quiet_since + datetime.timedelta(days=1)))
        | Q(last_activity_at__isnull=True, opened_on__lte=quiet_since)
    )


def _action_queryset(due_by: datetime.date) -> QuerySet:
    """Open plan actions owned by a current TAF member with an account, due by `due_by`."""
    return PlanAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES,
        due_on__lte=due_by,
        owner_member__user__isnull=False,
        owner_member__left_on__isnull=True,
        outcome__removed_on__isnull=True,
        outcome__plan__case__status=CaseStatus.OPEN,
    )


def _triage_queryset(due_by: datetime.date) -> QuerySet:
    return Referral.objects.filter(
        status__in=OPEN_REFERRAL_STATUSES, due_on__isnull=False, due_on__lte=due_by
    )


def _narrowed(qs: QuerySet, kind: str, case_field: str, case_ids, record_ids) -> QuerySet:
    """`qs` narrowed to the cases (or referrals) in `case_ids`, found through `case_field`,
    and to the records of `kind` in `record_ids`; None leaves it as it is."""
    if case_ids is not None:
        qs = qs.filter(**{f"{case_field}__in": case_ids})
    if record_ids is not None:
        qs = qs.filter(pk__in=record_ids.get(kind, ()))
    return qs


def _rows(qs: QuerySet, *columns: str) -> Iterator[tuple]:
    return qs.values_list(*columns).iterator(chunk_size=5000)


def _case_columns(kind: str) -> tuple[str, ...]:
    """A case-based kind's columns: record, case, due date, the user chased, the case's
    district and lead agency."""
    if kind == DeadlineKind.ACTION:
        case, due, chased = "outcome__plan__case", "due_on", "owner_member__user_id"
    else:
        case, due, chased = "case", "deadline", "case__lead_professional_id"
    return ("pk", f"{case}_id", due, chased, f"{case}__district_id", f"{case}__lead_agency_id")


def _allocation_deadlines(due_by: datetime.date, case_ids, record_ids) -> Iterator[Deadline]:
    """Cases waiting for a lead professional: due ALLOCATION_ESCALATION_WORKING_DAYS (5)
    working days after they joined the team's queue. No one leads them yet, so every stage
    goes to the team's managers (reminders/services.py); allocating ends the deadline."""
    margin = conf.allocation_working_days()
    latest_start = due_by
    counted = 0
    while counted < margin:  # the latest queue date whose due date is on or before due_by
        if is_working_day(latest_start):
            counted += 1
        latest_start -= datetime.timedelta(days=1)
    qs = EarlyHelpCase.objects.filter(
        status=CaseStatus.AWAITING_ALLOCATION, queued_on__isnull=False, queued_on__lte=latest_start
    )
    qs = _narrowed(qs, DeadlineKind.ALLOCATION, "pk", case_ids, record_ids)
    record_type = RECORD_TYPES[DeadlineKind.ALLOCATION]
    for pk, queued_on, district, agency in _rows(
        qs, "pk", "queued_on", "district_id", "lead_agency_id"
    ):
        due_on = add_working_days(queued_on, margin)
        yield Deadline(DeadlineKind.ALLOCATION, record_type, pk, pk, due_on, None, district, agency)


def deadlines_due_by(
    due_by: datetime.date,
    *,
    kinds: Iterable[str] = tuple(DeadlineKind.values),
    case_ids=None,
    referral_ids=None,
    record_ids: dict | None = None,
) -> Iterator[Deadline]:
    """Every outstanding deadline due on or before `due_by`, one query per kind.

    `case_ids` / `referral_ids` (a queryset or list) narrow the rows to a scope, e.g. the
    cases a manager may see; `record_ids` ({kind: ids}) narrows to given records (the
    sender's re-check before a reminder goes out)."""
    for kind in kinds:
        record_type = RECORD_TYPES[kind]
        if kind == DeadlineKind.SERVICE_REVIEW:
            # Directory entries (directory/selectors.py): the editor's, never a case's.
            if case_ids is not None or referral_ids is not None:
                continue
            ids = record_ids.get(kind, ()) if record_ids is not None else None
            for due in services_due_for_review(due_by, service_ids=ids):
                yield Deadline(
                    kind, record_type, due.service_id, None, due.due_on, due.editor_id, None
                )
            continue
        if kind == DeadlineKind.TRIAGE:
            qs = _narrowed(_triage_queryset(due_by), kind, "pk", referral_ids, record_ids)
            for pk, due_on, responsible, district in _rows(
                qs, "pk", "due_on", "picked_up_by_id", "district_id"
            ):
                yield Deadline(kind, record_type, pk, None, due_on, responsible, district)
            continue
        if kind == DeadlineKind.ALLOCATION:
            yield from _allocation_deadlines(due_by, case_ids, record_ids)
            continue
        if kind == DeadlineKind.DRIFT:
            qs = _narrowed(_drift_queryset(due_by), kind, "pk", case_ids, record_ids)
            for pk, last, opened, lead, district, agency in _rows(
                qs,
                "pk",
                "last_activity_at",
                "opened_on",
                "lead_professional_id",
                "district_id",
                "lead_agency_id",
            ):
                due_on = drift_due_on(last, opened)
                yield Deadline(kind, record_type, pk, pk, due_on, lead, district, agency)
            continue
        if kind == DeadlineKind.ACTION:
            qs = _action_queryset(due_by)
        else:
            qs = _case_queryset(kind, due_by)
        columns = _case_columns(kind)
        qs = _narrowed(qs, kind, columns[1], case_ids, record_ids)
        for pk, case_id, due_on, chased, district, agency in _rows(qs, *columns):
            yield Deadline(kind, record_type, pk, case_id, due_on, chased, district, agency)


def overdue_deadlines(today: datetime.date, **scope) -> Iterator[Deadline]:
    """Deadlines past due today (due before today), for the managers' overdue page."""
    return deadlines_due_by(today - datetime.timedelta(days=1), **scope)
