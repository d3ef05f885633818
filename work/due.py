"""The next date something is due on a case, for the "My cases" list (registered with
cases/case_page.py): the draft assessment, the first TAF meeting, the next scheduled
meeting, and the earliest open plan action. Correlated subqueries on indexed columns, in
the list's own query."""

from django.db.models import DateField, Min, OuterRef, Subquery

from assessments.models import (
    Assessment,
    AssessmentStatus,
    FamilyPlan,
    MeetingStatus,
    PlanAction,
    TafMeeting,
)
from reminders.deadlines import OPEN_ACTION_STATUSES


def _first(queryset, field: str):
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=DateField())


def next_due_expressions() -> list:
    case = OuterRef("pk")
    actions = (
        PlanAction.objects.filter(
            outcome__plan__case_id=case,
            status__in=OPEN_ACTION_STATUSES,
            outcome__removed_on__isnull=True,
        )
        .values("outcome__plan__case_id")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    return [
        _first(Assessment.objects.filter(case_id=case, status=AssessmentStatus.DRAFT), "due_on"),
        _first(FamilyPlan.objects.filter(case_id=case, agreed_on__isnull=True), "first_taf_due_on"),
        _first(
            TafMeeting.objects.filter(case_id=case, status=MeetingStatus.SCHEDULED),
            "scheduled_for",
        ),
        Subquery(actions[:1], output_field=DateField()),
    ]
