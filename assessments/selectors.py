"""Reads for casework pages: the assessment, plan and meetings of a case the user may
already read (cases.access.get_case_for), and what is due next."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from assessments import deadlines
from assessments.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    FamilyPlan,
    MeetingStatus,
    PlanAction,
    PlanOutcome,
    TafMeeting,
)
from cases import access
from cases.models import EarlyHelpCase
from earlyhelp.compiled import STAND_IN, CompiledRead
from earlyhelp.wording import term
from partners import doors

# The case page's reads, compiled once per process (earlyhelp/compiled.py): building each
# query took longer than PostgreSQL took to answer it.
_ASSESSMENT = CompiledRead(
    lambda case_id: Assessment.objects.filter(case_id=case_id).order_by("pk")[:1],
    case_id=STAND_IN,
)
_PLAN = CompiledRead(
    lambda case_id: (
        FamilyPlan.objects.filter(case_id=case_id)
        .annotate(current_outcomes=Count("outcomes", filter=Q(outcomes__removed_on__isnull=True)))
        .order_by("pk")[:1]
    ),
    case_id=STAND_IN,
)
_MEETINGS = CompiledRead(
    lambda case_id: TafMeeting.objects.filter(case_id=case_id), case_id=STAND_IN
)


def assessment_for(case: EarlyHelpCase, *, summary: bool = False) -> Assessment | None:
    """The case's assessment with its needs, versions and sign-off decisions; `summary`:
    the assessment alone (the case page shows its version, status and due date)."""
    if summary:
        assessment = _ASSESSMENT.first(case_id=case.pk)
    else:
        assessment = (
            Assessment.objects.filter(case=case)
            .select_related("last_saved_by", "submitted_by")
            .prefetch_related("needs", "versions__signed_off_by", "decisions__decided_by")
            .first()
        )
    if assessment is not None:
        assessment.case = case  # the case the caller holds, not a second read of it
    return assessment


def _current_outcomes(*, with_progress: bool = False) -> Prefetch:
    """A plan's outcomes not removed, with their needs and actions (and owners, services);
    with_progress adds the progress recorded at each meeting."""
    related = [
        "needs",
        Prefetch(
            "actions",
            PlanAction.objects.select_related(
                "owner_member__user", "owner_member__agency"
            ).prefetch_related("services"),
        ),
    ]
    if with_progress:
        related.append(Prefetch("progress", queryset=_progress_qs()))
    return Prefetch(
        "outcomes", PlanOutcome.objects.filter(removed_on__isnull=True).prefetch_related(*related)
    )


def assessment_to_edit(case: EarlyHelpCase) -> Assessment | None:
    """The case's assessment for its edit form: with who saved it last and its needs, not
    its versions and sign-off decisions."""
    assessment = (
        Assessment.objects.filter(case=case)
        .select_related("last_saved_by")
        .prefetch_related("needs")
        .first()
    )
    if assessment is not None:
        assessment.case = case
    return assessment


def plan_for(case: EarlyHelpCase) -> FamilyPlan | None:
    """The case's plan: its current outcomes with needs, actions and progress."""
    return (
        FamilyPlan.objects.filter(case=case)
        .prefetch_related(_current_outcomes(with_progress=True))
        .first()
    )


OPEN_ACTIONS = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def plan_summary_for(case: EarlyHelpCase) -> FamilyPlan | None:
    """The case's plan as the case page shows it: how many current outcomes it has
    (`current_outcomes`) and the actions still to do on them with their owners
    (`open_actions`, in the plan's order: by outcome, then by due date). Two queries,
    where the plan with its outcomes and their actions prefetched took three."""
    plan = _PLAN.first(case_id=case.pk)
    if plan is not None:
        plan.case = case
        plan.open_actions = _OPEN_ACTIONS.rows(plan_id=plan.pk)
    return plan


_OPEN_ACTIONS = CompiledRead(
    lambda plan_id: (
        PlanAction.objects.filter(
            outcome__plan_id=plan_id, outcome__removed_on__isnull=True, status__in=OPEN_ACTIONS
        )
        .select_related("owner_member__user")
        .order_by("outcome__priority", "outcome__pk", "due_on", "pk")
    ),
    plan_id=STAND_IN,
)


def _progress_qs():
    from assessments.models import OutcomeProgress

    return OutcomeProgress.objects.select_related("meeting").order_by("meeting__held_on", "pk")


def meetings_for(case: EarlyHelpCase, *, summary: bool = False) -> list[TafMeeting]:
    """The case's meetings with attendance and progress; `summary`: the meetings alone."""
    if summary:
        return _MEETINGS.rows(case_id=case.pk)
    return list(
        TafMeeting.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("attendance", "progress__outcome")
    )


def due_next(
    case: EarlyHelpCase, today: datetime.date, *, assessment=None, plan=None, meetings=None
) -> list[dict]:
    """What is due next on a case, soonest first: the assessment, the first TAF meeting,
    the next review, and plan actions (`plan` from plan_summary_for)."""
    if not case.is_open:
        return []
    items = []
    if assessment is None:
        items.append({"label": f"Start the {term('Early Help Assessment')}", "due_on": None})
    elif assessment.status == AssessmentStatus.DRAFT and assessment.version_number == 1:
        items.append(
            {"label": f"Complete the {term('Early Help Assessment')}", "due_on": assessment.due_on}
        )
    elif assessment.status == AssessmentStatus.SUBMITTED:
        items.append({"label": "Manager sign-off of the assessment", "due_on": None})
    if plan is None and assessment is not None:
        items.append({"label": "Draw up the family plan", "due_on": None})
    elif plan is not None and plan.agreed_on is None:
        items.append(
            {"label": "First TAF meeting to agree the plan", "due_on": plan.first_taf_due_on}
        )
    scheduled = [m for m in (meetings or []) if m.status == MeetingStatus.SCHEDULED]
    if plan is not None and plan.agreed_on and scheduled:
        items.append({"label": "Next TAF review", "due_on": scheduled[0].scheduled_for})
    for action in plan.open_actions if plan is not None else ():
        items.append(
            {
                "label": f"Action: {action.what[:60]} ({action.owner_name})",
                "due_on": action.due_on,
            }
        )
    paused = case.deadlines_paused
    for item in items:
        due = item["due_on"]
        item["countdown"] = deadlines.countdown_text(due, today, paused=paused) if due else ""
        item["overdue"] = bool(due and due < today and not paused)
    items.sort(key=lambda i: (i["due_on"] is None, i["due_on"] or today))
    return items


# --- Scoped reads for the API: lists start from cases.access.cases_visible_to (one query
# per page, no per-row checks); single records go through cases.access.get_case_for, so an
# id out of scope is a 404 and a restricted family a RestrictedRecord. ---------------------


def assessments_visible_to(user):
    return (
        Assessment.objects.filter(case__in=access.cases_visible_to(user).values("pk"))
        .select_related("case", "last_saved_by", "submitted_by")
        .prefetch_related("needs")
    )


def plans_visible_to(user):
    return (
        FamilyPlan.objects.filter(case__in=access.cases_visible_to(user).values("pk"))
        .select_related("case")
        .prefetch_related(_current_outcomes())
    )


def meetings_visible_to(user):
    from assessments.models import MeetingAttendance, OutcomeProgress

    return (
        TafMeeting.objects.filter(case__in=access.cases_visible_to(user).values("pk"))
        .select_related("case", "recorded_by")
        .prefetch_related(
            Prefetch("attendance", MeetingAttendance.objects.order_by("pk")),
            Prefetch("progress", OutcomeProgress.objects.select_related("outcome")),
        )
    )


def _in_scope(user, queryset, pk):
    """The record if its case is readable by `user` (get_case_for: Http404 out of scope,
    RestrictedRecord for a restricted family); Http404 for an unknown id."""
    case_id = queryset.model.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    access.get_case_for(user, case_id)
    return queryset.get(pk=pk)


def get_assessment_for(user, pk) -> Assessment:
    return _in_scope(user, assessments_visible_to(user), pk)


def get_plan_for(user, pk) -> FamilyPlan:
    return _in_scope(user, plans_visible_to(user), pk)


def get_meeting_for(user, pk) -> TafMeeting:
    return _in_scope(user, meetings_visible_to(user), pk)


def assessments_awaiting_signoff_for(user):
    """Assessments submitted for sign-off that this team manager may sign off: cases in
    their scope, not submitted by themselves; the longest waiting first. Reused by the home
    page's work tray."""
    if not doors.MANAGERS.allows(user):
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED,
            case__in=access.cases_visible_to(user).values("pk"),
        )
        .exclude(submitted_by=user)
        .select_related("case__family", "case__district", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def sign_off_managers_for(assessment: Assessment):
    """Team managers who may sign this assessment off (told when it is submitted)."""
    from django.db.models import Q

    case = assessment.case
    candidates = access.team_managers().filter(
        Q(districts=case.district_id) | Q(agency_id=case.lead_agency_id)
    )
    candidates = candidates.exclude(pk=assessment.submitted_by_id).distinct()
    return [
        u
        for u in candidates.select_related("agency")
        if access.cases_visible_to(u).filter(pk=case.pk).exists()
    ]


def possible_contributors(case: EarlyHelpCase):
    """Early help consultants for the case's district (they can already read it): the
    people a lead invites to help complete an assessment."""
    return access.consultants_in(case.district_id).select_related("agency").order_by("full_name")
