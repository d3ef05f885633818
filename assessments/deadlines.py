"""Every casework deadline, in one module (Blackpool strategy, Appendix 1).

- The Early Help Assessment is due 20 working days after the case starts (opens or is
  allocated), however late the assessment itself is started: the clock does not restart.
- The first Team Around the Family meeting, which agrees the plan, is due within 10 working
  days of the plan being drawn up.
- Reviews happen every 4 to 6 weeks: the next one on the date set at the last meeting,
  6 weeks by default.

Working days exclude weekends and English bank holidays (earlyhelp/working_days.py). These
are pure functions (dates in, dates out) plus queryset filters, so the reminders engine,
reports and pages all count the same way. Due dates are stored on the rows when they are
set, so "overdue" is an indexed filter at county scale.
"""

import datetime

from django.db.models import QuerySet

from earlyhelp.working_days import (
    add_working_days,
    working_day_on_or_after,
    working_day_on_or_before,
    working_days_between,
)

ASSESSMENT_WORKING_DAYS = 20
FIRST_TAF_WORKING_DAYS = 10
REVIEW_MIN_WEEKS = 4
REVIEW_MAX_WEEKS = 6
REVIEW_DEFAULT_WEEKS = 6


def assessment_due_on(case_opened_on: datetime.date) -> datetime.date:
    """The EHA is due 20 working days after the case starts (the start day not counted), as
    the work tray counts it before the assessment is started. Starting it late keeps this
    date, so the drift stays in sight of the lead and the managers."""
    return add_working_days(case_opened_on, ASSESSMENT_WORKING_DAYS)


def first_taf_meeting_due_on(plan_created_on: datetime.date) -> datetime.date:
    """The first TAF meeting is due 10 working days after the plan is drawn up."""
    return add_working_days(plan_created_on, FIRST_TAF_WORKING_DAYS)


def default_next_review_on(held_on: datetime.date) -> datetime.date:
    """The next review, if the meeting sets no date: by 6 weeks on, brought back to a
    working day (never a weekend or bank holiday such as Boxing Day)."""
    return working_day_on_or_before(held_on + datetime.timedelta(weeks=REVIEW_DEFAULT_WEEKS))


def review_window(held_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest dates for the next review, 4 to 6 weeks after a meeting: from
    the first working day on or after 4 weeks, by the last working day on or before 6."""
    return (
        working_day_on_or_after(held_on + datetime.timedelta(weeks=REVIEW_MIN_WEEKS)),
        working_day_on_or_before(held_on + datetime.timedelta(weeks=REVIEW_MAX_WEEKS)),
    )


def review_date_error(held_on: datetime.date, next_review_on: datetime.date) -> str | None:
    """A message if the next review is outside the 4-to-6-week window, else None."""
    earliest, latest = review_window(held_on)
    if earliest <= next_review_on <= latest:
        return None
    return (
        f"The next review must be 4 to 6 weeks after the meeting: between "
        f"{earliest:%-d %B %Y} and {latest:%-d %B %Y}"
    )


PAUSED = "Deadline paused"  # while a case's deadlines are (EarlyHelpCase.deadlines_paused)


def working_days_left(due_on: datetime.date, today: datetime.date) -> int:
    """Working days from today until due_on: 0 on the day, negative when overdue."""
    return working_days_between(today, due_on)


def countdown_text(due_on: datetime.date, today: datetime.date, *, paused: bool = False) -> str:
    if paused:
        return PAUSED
    left = working_days_left(due_on, today)
    if left > 1:
        return f"{left} working days left"
    if left == 1:
        return "1 working day left"
    if left == 0 and due_on == today:
        return "Due today"
    if due_on >= today:
        return "Due next working day"
    late = -left
    return f"Overdue by {late} working day{'s' if late != 1 else ''}"


# --- Queryset filters (used by pages, reminders and reports) ---


def overdue_assessments(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Assessments (a queryset of assessments.Assessment) past due and not yet submitted
    or signed off, on open cases."""
    return queryset.filter(due_on__lt=today, status="draft", version_number=1, case__status="open")


def overdue_first_taf_meetings(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Family plans (assessments.FamilyPlan) not yet agreed at a first TAF meeting by their
    due date, on open cases."""
    return queryset.filter(agreed_on__isnull=True, first_taf_due_on__lt=today, case__status="open")


def _latest_held(queryset: QuerySet) -> QuerySet:
    """Held meetings (assessments.TafMeeting) with no later meeting held on their case: each
    case's latest held meeting, which sets when its next review is due."""
    from django.db.models import Exists, OuterRef

    later = queryset.model.objects.filter(
        case_id=OuterRef("case_id"), status="held", held_on__gt=OuterRef("held_on")
    )
    return queryset.filter(status="held").filter(~Exists(later))


def overdue_reviews(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Held meetings (assessments.TafMeeting) whose next review date has passed with no
    later meeting held, on open cases: the case's latest held meeting only."""
    return _latest_held(queryset).filter(next_review_on__lt=today, case__status="open")


def reviews_due_soon(queryset: QuerySet, today: datetime.date, soon: datetime.date) -> QuerySet:
    """Held meetings (assessments.TafMeeting) whose next review is due from today to `soon`:
    the case's latest held meeting only."""
    return _latest_held(queryset).filter(next_review_on__gte=today, next_review_on__lte=soon)
