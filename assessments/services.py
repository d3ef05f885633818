"""Every write to assessments, family plans and TAF meetings. One transaction each,
audited, and written into the case chronology (cases.services.chronology_add)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments import deadlines
from assessments.access import may_sign_off
from assessments.models import (
    ActionStatus,
    Assessment,
    AssessmentContributor,
    AssessmentStatus,
    AssessmentVersion,
    Attendance,
    FamilyPlan,
    MeetingAttendance,
    MeetingDecision,
    MeetingKind,
    MeetingStatus,
    OutcomeProgress,
    PlanAction,
    PlanOutcome,
    SignOffDecision,
    TafMeeting,
)
from assessments.sections import (
    AREAS,
    PROMPTS,
    SCALING,
    area_field,
    text_field_labels,
    voice_field,
)
from assessments.transitions import ASSESSMENT, MEETING, PLAN_ACTION, PLAN_ACTION_VERB_FOR
from cases import access, restriction
from cases.case_page import stories_for
from cases.models import MAX_TEXT, ChronologyKind, EarlyHelpCase, Need, Person
from cases.services import (
    _check_past_date,
    _check_text,
    _require_worker,
    case_close,
    chronology_add,
    closure_check,
    refuse_if_closed,
    taf_member_add,
)
from earlyhelp import events
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, EditConflict, FieldErrors, InvalidTransition
from earlyhelp.models import AuditAction
from earlyhelp.notifications import notify, page_url
from earlyhelp.wording import term

# --- Early Help Assessment ----------------------------------------------------------------


def voices(case: EarlyHelpCase) -> list[tuple[Person, str]]:
    """(person, label) for each child on the case, then each adult in the family: the
    people whose voice the assessment records."""
    children = list(case.children.order_by("date_of_birth", "pk"))
    child_ids = {c.pk for c in children}
    adults = [
        m
        for m in case.family.memberships.select_related("person").order_by("pk")
        if m.person_id not in child_ids and m.relationship != "child"
    ]
    people = [(c, f"{c.full_name} (child)") for c in children]
    people += [
        (m.person, f"{m.person.full_name} ({m.get_relationship_display().lower()})") for m in adults
    ]
    return people


def voice_people(case: EarlyHelpCase) -> list[tuple[int, str]]:
    """(person id, label) for each voice (see voices)."""
    return [(person.pk, label) for person, label in voices(case)]


def field_labels_for(case: EarlyHelpCase) -> list[tuple[str, str]]:
    return text_field_labels(voice_people(case))


def _clean_content(case: EarlyHelpCase, content: dict) -> dict:
    """Keep only the assessment's own fields; check lengths and scaling values."""
    allowed = dict(field_labels_for(case))
    scaling_keys = {area_field(a.code, SCALING[0]) for a in AREAS}
    cleaned = {}
    for key, value in content.items():
        if key not in allowed:
            continue
        value = "" if value is None else str(value)
        if key in scaling_keys:
            value = value.strip()
            if value and (not value.isdigit() or not 0 <= int(value) <= 10):
                raise DomainError(f"{allowed[key]}: enter a whole number from 0 to 10.")
        elif len(value) > MAX_TEXT:
            raise DomainError(
                f"{allowed[key]} must be {MAX_TEXT:,} characters or fewer; it has {len(value):,}."
            )
        cleaned[key] = value
    return cleaned


def _locked(record, statuses: tuple[str, ...], refusal: str):
    """`record` re-read under a row lock, so no one else changes it before this transaction
    ends; InvalidTransition(refusal) unless its status is one of `statuses`."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.status not in statuses:
        raise InvalidTransition(refusal)
    return current


NO_CONSENT = (
    "The assessment cannot be {verb} until consent to it is recorded: a parent's or carer's "
    "consent for the family, or a young person's own consent where they can give it. "
    "Record consent on the case first."
)


def _require_consent_to_assessment(case: EarlyHelpCase, verb: str) -> None:
    """Early help is voluntary and consent-based (DESIGN.md, 'Consent'): no assessment
    without consent to it, given by a family member (a young person may consent for
    themselves: cases.services.consent_record accepts any member of the family)."""
    from cases.selectors import has_consent_to_assessment

    if not has_consent_to_assessment(case):
        raise DomainError(NO_CONSENT.format(verb=verb))


@transaction.atomic
def assessment_start(
    *, case: EarlyHelpCase, acting_user, started_on: datetime.date | None = None, request=None
) -> Assessment:
    """Start the EHA. It is due 20 working days after the case started, however late it is
    started (deadlines.assessment_due_on)."""
    _require_worker(acting_user, case)
    if Assessment.objects.filter(case=case).exists():
        raise DomainError(f"This case already has {term('an early help assessment')}.")
    _require_consent_to_assessment(case, "started")
    started_on = started_on or timezone.localdate()
    _check_past_date(started_on, case, "assessment start date")
    # Tell your story once: the family's story and needs as the requests (or the partner who
    # started early help) told them, for the lead to edit (issue 12, point 3).
    stories = stories_for(case)
    assessment = Assessment.objects.create(
        case=case,
        started_on=started_on,
        due_on=deadlines.assessment_due_on(case.opened_on),
        created_by=acting_user,
        last_saved_by=acting_user,
        content={"family_history": "\n\n".join(s.as_text() for s in stories)[:MAX_TEXT]}
        if stories
        else {},
    )
    need_ids = {pk for story in stories for pk in story.need_ids}
    if need_ids:
        assessment.needs.set(Need.objects.filter(pk__in=need_ids, active=True))
    pre_filled = (
        " Started from what the family's helpers already wrote: "
        + "; ".join(s.heading for s in stories)
        + "."
        if stories
        else ""
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{term('Early Help Assessment')} started",
        text=f"Due by {assessment.due_on:%-d %B %Y} (20 working days from the case "
        f"opening on {case.opened_on:%-d %B %Y}).{pre_filled}",
        occurred_on=started_on,
        author=acting_user,
        source=assessment,
    )
    ASSESSMENT.start(assessment, acting_user=acting_user)
    audit(user=acting_user, action=AuditAction.CREATE, record=assessment, request=request)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    acting_user,
    lock_version: int,
    content: dict,
    need_ids: list[int] | None = None,
    request=None,
) -> Assessment:
    """Save the draft (by hand or autosave). The save succeeds only if nobody else has
    saved since this editor loaded `lock_version`; otherwise EditConflict, and nothing of
    either person's text is lost (the caller still holds the editor's text)."""
    case = assessment.case
    contributor = _require_assessment_worker(acting_user, assessment)
    cleaned = _clean_content(case, content)
    current = _locked(
        assessment,
        (AssessmentStatus.DRAFT,),
        "This assessment has been submitted for sign-off and is locked. "
        "Start a new version to change it.",
    )
    if current.lock_version != lock_version:
        raise EditConflict(
            f"{current.last_saved_by or 'Someone'} saved this assessment at "
            f"{timezone.localtime(current.last_saved_at):%H:%M} since you opened it."
        )
    merged = {**current.content, **cleaned}
    changed = sorted(k for k in merged if current.content.get(k, "") != merged.get(k, ""))
    current.content = merged
    current.lock_version = F("lock_version") + 1
    current.last_saved_by = acting_user
    current.save(update_fields=["content", "lock_version", "last_saved_by", "last_saved_at"])
    current.refresh_from_db()
    if need_ids is not None:
        before = set(current.needs.values_list("pk", flat=True))
        after = set(Need.objects.filter(pk__in=need_ids, active=True).values_list("pk", flat=True))
        if before != after:
            current.needs.set(after)
            changed.append("needs")
    if changed:
        audit_change(
            current,
            by=acting_user,
            request=request,
            changes={"fields": [None, ", ".join(changed)[:1000]]},
        )
    if contributor is not None and changed:
        contributor.last_contributed_at = timezone.now()
        contributor.save(update_fields=["last_contributed_at"])
    return current


def open_invitation(user, assessment: Assessment) -> AssessmentContributor | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return AssessmentContributor.objects.filter(
        assessment=assessment, user=user, ended_at__isnull=True
    ).first()


def may_contribute(user, assessment: Assessment) -> bool:
    """The lead's team may edit the draft; so may someone the lead invited, while the
    invitation stands and the case is one they can read."""
    case = assessment.case
    if access.can_work_on_case(user, case):
        return True
    return (
        case.is_open
        and open_invitation(user, assessment) is not None
        and access.cases_visible_to(user).filter(pk=case.pk).exists()
    )


def _require_assessment_worker(user, assessment: Assessment) -> AssessmentContributor | None:
    """None for the case's own workers; the invitation for an invited contributor."""
    case = assessment.case
    if access.can_work_on_case(user, case):
        return None
    if may_contribute(user, assessment):
        return open_invitation(user, assessment)
    _require_worker(user, case)  # raises the usual message
    return None


@transaction.atomic
def contributor_invite(
    *, assessment: Assessment, acting_user, user, note: str = "", request=None
) -> AssessmentContributor:
    """The lead invites someone (an early help consultant for the district, usually) to help
    complete the assessment. Only people who can already read the case may be invited:
    an invitation widens what they may do, never what they may see."""
    case = assessment.case
    _require_worker(acting_user, case)
    if assessment.status != AssessmentStatus.DRAFT:
        raise DomainError("Only a draft assessment can have contributors invited.")
    if user is None or not user.is_active:
        raise DomainError("Choose someone to invite.")
    if access.can_work_on_case(user, case):
        raise DomainError(f"{user} already works on this case and can edit the assessment.")
    if not access.cases_visible_to(user).filter(pk=case.pk).exists():
        raise DomainError(f"{user} cannot see this case, so cannot be invited to help.")
    if open_invitation(user, assessment) is not None:
        raise DomainError(f"{user} is already invited to help with this assessment.")
    note = _check_text(note, "the note", required=False)
    invitation = AssessmentContributor.objects.create(
        assessment=assessment, user=user, invited_by=acting_user, note=note
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{user} invited to help complete the {term('Early Help Assessment')}",
        author=acting_user,
        source=invitation,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=invitation, request=request)
    events.emit("assessment_contributor_invited", invitation=invitation)
    return invitation


@transaction.atomic
def contributor_end(*, invitation: AssessmentContributor, acting_user, request=None):
    _require_worker(acting_user, invitation.assessment.case)
    if invitation.ended_at is not None:
        raise InvalidTransition("This invitation has already ended.")
    invitation.ended_at = timezone.now()
    invitation.save(update_fields=["ended_at"])
    audit_change(
        invitation,
        by=acting_user,
        request=request,
        changes={"ended_at": [None, invitation.ended_at.isoformat()]},
    )
    return invitation


def missing_for_submission(assessment: Assessment) -> list[str]:
    """What must be filled in before the assessment can go for sign-off."""
    labels = dict(field_labels_for(assessment.case))
    content = assessment.content
    missing = []
    for area in AREAS:
        for prompt, _ in PROMPTS:
            key = area_field(area.code, prompt)
            if not str(content.get(key, "")).strip():
                missing.append(labels[key])
        key = area_field(area.code, SCALING[0])
        if not str(content.get(key, "")).strip():
            missing.append(labels[key])
    if not str(content.get("analysis", "")).strip():
        missing.append("Analysis")
    if not assessment.needs.exists():
        missing.append("Needs (at least one)")
    return missing


def unheard_children(assessment: Assessment, acting_user) -> dict[str, str]:
    """{voice field: message} for each child in the assessment whose voice is not recorded.
    The voice of each child is part of the assessment (DESIGN.md); where it could not be
    heard (not yet born, too young, would not engage) the same field says why and what was
    observed instead, so an empty field is never an answer."""
    children = list(assessment.case.children.order_by("date_of_birth", "pk"))
    hidden = restriction.people_labels(acting_user, (c.pk for c in children))
    return {
        voice_field(child.pk): f"Record the voice of {hidden.get(child.pk, child.full_name)}, "
        "or say why it could not be heard (for example, not yet born or too young) and what "
        "you observed"
        for child in children
        if not str(assessment.content.get(voice_field(child.pk), "")).strip()
    }


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, acting_user, lock_version: int, request=None
) -> Assessment:
    _require_worker(acting_user, assessment.case)
    current = _locked(
        assessment, (AssessmentStatus.DRAFT,), "Only a draft can be submitted for sign-off."
    )
    if current.lock_version != lock_version:
        raise EditConflict("Someone saved this assessment since you opened it. Check it first.")
    _require_consent_to_assessment(current.case, "submitted")
    missing = missing_for_submission(current)
    unheard = unheard_children(current, acting_user)
    if unheard:  # each next to its child's voice field, the rest in the summary
        rest = {"detail": "Complete these before submitting: " + "; ".join(missing) + "."}
        raise FieldErrors({**(rest if missing else {}), **unheard})
    if missing:
        raise DomainError("Complete these before submitting: " + "; ".join(missing) + ".")
    ASSESSMENT.move(
        current,
        "submit",
        acting_user=acting_user,
        submitted_at=timezone.now(),
        submitted_by=acting_user,
        lock_version=F("lock_version") + 1,
        last_saved_at=timezone.now(),
    )
    chronology_add(
        case=current.case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{term('Early Help Assessment')} version {current.version_number} submitted "
        "for sign-off",
        author=acting_user,
        source=current,
    )
    audit_change(
        current, by=acting_user, request=request, changes={"status": ["draft", "submitted"]}
    )
    from assessments.selectors import sign_off_managers_for

    for manager in sign_off_managers_for(current):
        notify(
            user=manager,
            subject=f"{term('An early help assessment')} for {current.case.reference} is waiting "
            "for your sign-off",
            url=page_url("signoff_queue"),
        )
    return current


@transaction.atomic
def assessment_sign_off(
    *, assessment: Assessment, acting_user, comment: str = "", request=None
) -> AssessmentVersion:
    """Sign off: the submitted text becomes an immutable version."""
    current = _locked(
        assessment,
        (AssessmentStatus.SUBMITTED,),
        "Only an assessment submitted for sign-off can be signed off.",
    )
    if not may_sign_off(acting_user, current):
        raise DomainError(
            "A team manager responsible for this case, other than the person who submitted "
            "it, signs it off."
        )
    comment = _check_text(comment, "the comment", required=False)
    version = AssessmentVersion.objects.create(
        assessment=current,
        number=current.version_number,
        content=current.content,
        need_codes=sorted(current.needs.values_list("code", flat=True)),
        field_labels=[list(x) for x in field_labels_for(current.case)],
        started_on=current.started_on,
        submitted_at=current.submitted_at,
        submitted_by=current.submitted_by,
        signed_off_at=timezone.now(),
        signed_off_by=acting_user,
        sign_off_comment=comment,
    )
    SignOffDecision.objects.create(
        assessment=current,
        version_number=current.version_number,
        outcome=SignOffDecision.Outcome.SIGNED_OFF,
        comment=comment,
        decided_by=acting_user,
    )
    ASSESSMENT.move(
        current, "sign_off", acting_user=acting_user, reason=comment, last_saved_at=timezone.now()
    )
    chronology_add(
        case=current.case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{term('Early Help Assessment')} version {version.number} signed off by "
        f"{acting_user}",
        text=comment,
        author=acting_user,
        source=version,
    )
    audit_change(
        current, by=acting_user, request=request, changes={"status": ["submitted", "signed_off"]}
    )
    return version


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, acting_user, comment: str, request=None
) -> Assessment:
    """Send a submitted assessment back to its author for changes."""
    current = _locked(
        assessment,
        (AssessmentStatus.SUBMITTED,),
        "Only an assessment submitted for sign-off can be returned.",
    )
    if not may_sign_off(acting_user, current):
        raise DomainError("A team manager responsible for this case returns assessments.")
    # No one may change the assessment of a closed case, so it is not sent back for changes
    # (signing it off, a manager's agreement to work already done, still is).
    refuse_if_closed(current.case)
    comment = _check_text(comment, "what needs to change")
    SignOffDecision.objects.create(
        assessment=current,
        version_number=current.version_number,
        outcome=SignOffDecision.Outcome.RETURNED,
        comment=comment,
        decided_by=acting_user,
    )
    ASSESSMENT.move(
        current,
        "return",
        acting_user=acting_user,
        reason=comment,
        lock_version=F("lock_version") + 1,
        last_saved_at=timezone.now(),
    )
    chronology_add(
        case=current.case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{term('Early Help Assessment')} returned for changes",
        text=comment,
        author=acting_user,
        source=current,
    )
    audit_change(
        current, by=acting_user, request=request, changes={"status": ["submitted", "draft"]}
    )
    author = current.submitted_by or current.case.lead_professional
    if author is not None and author.is_active:
        notify(
            user=author,
            subject=f"The {term('Early Help Assessment')} for {current.case.reference} has been "
            "returned for changes",
            body=f"What to change: {comment}",
            url=page_url("edit_assessment", current.case_id),
        )
    return current


@transaction.atomic
def assessment_revise(*, assessment: Assessment, acting_user, request=None) -> Assessment:
    """Start the next version of a signed-off assessment, from the signed-off text. The
    signed-off version is untouched."""
    _require_worker(acting_user, assessment.case)
    current = _locked(
        assessment,
        (AssessmentStatus.SIGNED_OFF,),
        "Only a signed-off assessment can start a new version.",
    )
    ASSESSMENT.move(
        current,
        "revise",
        acting_user=acting_user,
        version_number=F("version_number") + 1,
        lock_version=F("lock_version") + 1,
        submitted_at=None,
        submitted_by=None,
        last_saved_by=acting_user,
        last_saved_at=timezone.now(),
    )
    chronology_add(
        case=current.case,
        kind=ChronologyKind.ASSESSMENT,
        title=f"{term('Early Help Assessment')} version {current.version_number} started",
        author=acting_user,
        source=current,
    )
    audit_change(
        current,
        by=acting_user,
        request=request,
        changes={"version_number": [current.version_number - 1, current.version_number]},
    )
    return current


# --- Family plan --------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, case: EarlyHelpCase, acting_user, created_on: datetime.date | None = None, request=None
) -> FamilyPlan:
    """Draw up the family plan; the first TAF meeting to agree it is due within 10 working
    days (deadlines.first_taf_meeting_due_on)."""
    _require_worker(acting_user, case)
    if FamilyPlan.objects.filter(case=case).exists():
        raise DomainError("This case already has a family plan.")
    created_on = created_on or timezone.localdate()
    _check_past_date(created_on, case, "plan date")
    plan = FamilyPlan.objects.create(
        case=case,
        created_on=created_on,
        first_taf_due_on=deadlines.first_taf_meeting_due_on(created_on),
        created_by=acting_user,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.PLAN,
        title="Family plan drawn up",
        text=f"First TAF meeting due by {plan.first_taf_due_on:%-d %B %Y} (10 working days).",
        occurred_on=created_on,
        author=acting_user,
        source=plan,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=plan, request=request)
    return plan


@transaction.atomic
def outcome_add(
    *,
    plan: FamilyPlan,
    acting_user,
    text: str,
    need_ids: list[int] | None = None,
    priority: int = 1,
    baseline_scaling: int | None = None,
    request=None,
) -> PlanOutcome:
    _require_worker(acting_user, plan.case)
    text = _check_text(text, "the outcome in the family's words")
    if baseline_scaling is not None and not 0 <= baseline_scaling <= 10:
        raise DomainError("The scaling now must be a whole number from 0 to 10.")
    if not 1 <= priority <= 99:
        raise DomainError("Priority must be a whole number from 1 to 99.")
    outcome = PlanOutcome.objects.create(
        plan=plan,
        text=text,
        priority=priority,
        baseline_scaling=baseline_scaling,
        created_on=timezone.localdate(),
    )
    if need_ids:
        outcome.needs.set(Need.objects.filter(pk__in=need_ids))
    FamilyPlan.objects.filter(pk=plan.pk).update(lock_version=F("lock_version") + 1)
    chronology_add(
        case=plan.case,
        kind=ChronologyKind.PLAN,
        title="Outcome added to the family plan",
        text=text,
        author=acting_user,
        source=outcome,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=outcome, request=request)
    return outcome


@transaction.atomic
def action_add(
    *,
    outcome: PlanOutcome,
    acting_user,
    what: str,
    due_on: datetime.date,
    owner_member=None,
    owner_is_family: bool = False,
    owner_is_lead: bool = False,
    set_on: datetime.date | None = None,
    services=(),
    request=None,
) -> PlanAction:
    """An action: what, who (a current TAF member, the lead professional, or the family), by
    when. The lead owning an action joins the TAF as its lead if not already on it, so the
    action shows on their work tray like any member's."""
    case = outcome.plan.case
    _require_worker(acting_user, case)
    if owner_is_lead:
        owner_member = _lead_as_member(case, acting_user, request)
    what = _check_text(what, "what will happen")
    set_on = set_on or timezone.localdate()
    if due_on < set_on:
        raise DomainError(
            f"The date the action is due cannot be before the date it was set ({set_on:%-d %B %Y})."
        )
    if owner_is_family == (owner_member is not None):
        raise DomainError("Choose who will do this: a TAF member or the family.")
    if owner_member is not None and (
        owner_member.case_id != case.pk or owner_member.left_on is not None
    ):
        raise DomainError("Choose a current member of this family's TAF.")
    action = PlanAction.objects.create(
        outcome=outcome,
        what=what,
        owner_member=owner_member,
        owner_is_family=owner_is_family,
        set_on=set_on,
        due_on=due_on,
    )
    if services:
        action.services.set(services)
    chronology_add(
        case=case,
        kind=ChronologyKind.PLAN,
        title=f"Action for {action.owner_name}, due {due_on:%-d %B %Y}",
        text=what,
        author=acting_user,
        source=action,
    )
    PLAN_ACTION.start(action, acting_user=acting_user)
    audit(user=acting_user, action=AuditAction.CREATE, record=action, request=request)
    events.emit("plan_action_assigned", action=action, acting_user=acting_user)
    return action


def _lead_as_member(case: EarlyHelpCase, acting_user, request):
    lead = case.lead_professional
    if lead is None or not lead.is_active:
        raise DomainError(f"This case has no {term('lead professional')} to own the action.")
    member = case.taf_members.filter(user=lead, left_on__isnull=True).first()
    return member or taf_member_add(
        case=case,
        user=lead,
        agency=case.lead_agency,
        role_in_team=term("Lead professional"),
        acting_user=acting_user,
        request=request,
    )


@transaction.atomic
def action_status_set(*, action: PlanAction, acting_user, status: str, request=None) -> PlanAction:
    case = action.outcome.plan.case
    _require_worker(acting_user, case)
    if status not in ActionStatus.values:
        raise DomainError("Choose the action's status.")
    before = action.status
    if status == before:
        return action
    if status == ActionStatus.NOT_STARTED:
        raise DomainError("An action that has started cannot go back to not started.")
    verb = PLAN_ACTION_VERB_FOR[status]
    if status == ActionStatus.IN_PROGRESS and before in (ActionStatus.DONE, ActionStatus.STOPPED):
        verb = "reopen"
    PLAN_ACTION.move(
        action,
        verb,
        acting_user=acting_user,
        completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
    )
    audit_change(action, by=acting_user, request=request, changes={"status": [before, status]})
    return action


# --- TAF meetings and reviews ---------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    case: EarlyHelpCase,
    acting_user,
    scheduled_for: datetime.date,
    kind: str | None = None,
    location: str = "",
    starts_at: datetime.time | None = None,
    duration_minutes: int = 60,
    note_for_external: str = "",
    request=None,
) -> TafMeeting:
    """Schedule the first TAF meeting (if no plan has been agreed yet) or a review, and
    invite every current member (the event; reminders/notices.py sends the invitations
    with a calendar file)."""
    _require_worker(acting_user, case)
    _check_meeting_date(scheduled_for, case)
    plan = FamilyPlan.objects.filter(case=case).first()
    if kind is None:
        kind = MeetingKind.REVIEW if plan and plan.agreed_on else MeetingKind.FIRST_TAF
    if case.taf_meetings.filter(status=MeetingStatus.SCHEDULED).exists():
        raise DomainError("A meeting is already scheduled. Record or cancel it first.")
    meeting = TafMeeting.objects.create(
        case=case,
        kind=kind,
        scheduled_for=scheduled_for,
        starts_at=starts_at,
        duration_minutes=_check_duration(duration_minutes),
        note_for_external=_check_text(note_for_external, "the note", required=False)[:2000],
        location=location.strip()[:200],
        scheduled_by=acting_user,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.REVIEW,
        title=f"{meeting.get_kind_display()} scheduled for {scheduled_for:%-d %B %Y}",
        author=acting_user,
        source=meeting,
    )
    MEETING.start(meeting, acting_user=acting_user)
    audit(user=acting_user, action=AuditAction.CREATE, record=meeting, request=request)
    events.emit("meeting_scheduled", meeting=meeting, acting_user=acting_user)
    return meeting


def _check_meeting_date(scheduled_for: datetime.date, case: EarlyHelpCase) -> None:
    if scheduled_for < case.opened_on:
        raise DomainError(
            f"A meeting cannot be before the case opened on {case.opened_on:%-d %B %Y}."
        )


def _check_duration(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise DomainError("Enter how long the meeting lasts, in minutes.") from None
    if not 15 <= minutes <= 480:
        raise DomainError("A meeting lasts from 15 minutes to 8 hours (480 minutes).")
    return minutes


# The states each meeting verb may start from (the rest of the moves: meeting_record).
RESCHEDULE_FROM = (MeetingStatus.SCHEDULED,)
CANCEL_FROM = (MeetingStatus.SCHEDULED,)


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: TafMeeting,
    acting_user,
    scheduled_for: datetime.date,
    starts_at: datetime.time | None,
    reason: str,
    location: str | None = None,
    duration_minutes: int | None = None,
    request=None,
) -> TafMeeting:
    """Move a scheduled meeting to a new date or time, with the reason; every member is
    told, and their calendars replace the old invitation (the sequence number rises)."""
    case = meeting.case
    _require_worker(acting_user, case)
    meeting = _locked(meeting, RESCHEDULE_FROM, "Only a scheduled meeting can be moved.")
    reason = _check_text(reason, "the reason for the change")
    _check_meeting_date(scheduled_for, case)
    before = (meeting.scheduled_for, meeting.starts_at, meeting.location)
    meeting.scheduled_for = scheduled_for
    meeting.starts_at = starts_at
    if location is not None:
        meeting.location = location.strip()[:200]
    if duration_minutes is not None:
        meeting.duration_minutes = _check_duration(duration_minutes)
    if (meeting.scheduled_for, meeting.starts_at, meeting.location) == before:
        raise DomainError("Change the date, time or place, or go back without changing it.")
    meeting.sequence += 1
    meeting.change_reason = reason
    meeting.save()
    chronology_add(
        case=case,
        kind=ChronologyKind.REVIEW,
        title=f"{meeting.get_kind_display()} moved from {before[0]:%-d %B %Y} to "
        f"{scheduled_for:%-d %B %Y}",
        text=reason,
        author=acting_user,
        source=meeting,
    )
    audit_change(
        meeting,
        by=acting_user,
        request=request,
        changes={
            "scheduled_for": [str(before[0]), str(scheduled_for)],
            "starts_at": [str(before[1] or ""), str(meeting.starts_at or "")],
        },
    )
    events.emit("meeting_changed", meeting=meeting, acting_user=acting_user)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    meeting: TafMeeting,
    acting_user,
    held_on: datetime.date,
    decision: str,
    decision_reason: str = "",
    discussion: str = "",
    child_voice: str = "",
    next_review_on: datetime.date | None = None,
    attendance: list[dict] | None = None,
    progress: list[dict] | None = None,
    request=None,
) -> TafMeeting:
    """Record a held meeting: attendance, progress on each outcome (scaling), the decision
    and the next review date, 4 to 6 weeks on (6 by default). The first TAF meeting agrees
    the family plan. `attendance`: [{"member"|"person", "name", "attendance"}];
    `progress`: [{"outcome", "scaling", "comment"}]."""
    case = meeting.case
    _require_worker(acting_user, case)
    meeting = _locked(
        meeting, (MeetingStatus.SCHEDULED,), "This meeting has already been recorded or cancelled."
    )
    _check_past_date(held_on, case, "meeting date")
    if decision not in MeetingDecision.values:
        raise DomainError("Choose the decision the meeting made.")
    decision_reason = _check_text(decision_reason, "the reasons for the decision", required=False)
    discussion = _check_text(discussion, "what was discussed", required=False)
    child_voice = _check_text(child_voice, "the child's voice", required=False)
    continuing = decision in (MeetingDecision.CONTINUE, MeetingDecision.CHANGE_PLAN)
    if continuing:
        next_review_on = next_review_on or deadlines.default_next_review_on(held_on)
        error = deadlines.review_date_error(held_on, next_review_on)
        if error:
            raise DomainError(error)
    else:
        next_review_on = None
    plan = FamilyPlan.objects.filter(case=case).first()
    if meeting.kind == MeetingKind.FIRST_TAF:
        if plan is None or not plan.outcomes.filter(removed_on__isnull=True).exists():
            raise DomainError(
                "Add the family's outcomes to the plan before recording the first TAF "
                "meeting: that meeting agrees the plan."
            )
        if held_on < plan.created_on:
            raise DomainError("The first TAF meeting cannot be before the plan was drawn up.")
    for row in attendance or []:
        if row.get("attendance") not in Attendance.values:
            continue
        MeetingAttendance.objects.create(
            meeting=meeting,
            member=row.get("member"),
            person=row.get("person"),
            name=str(row.get("name", ""))[:200],
            attendance=row["attendance"],
        )
    for row in progress or []:
        scaling = row.get("scaling")
        if scaling is None:
            continue
        if not 0 <= int(scaling) <= 10:
            raise DomainError("Scaling must be a whole number from 0 to 10.")
        outcome = row["outcome"]
        if plan is None or outcome.plan_id != plan.pk:
            raise DomainError("Progress can only be recorded on this family's plan outcomes.")
        OutcomeProgress.objects.create(
            meeting=meeting,
            outcome=outcome,
            scaling=int(scaling),
            comment=_check_text(row.get("comment", ""), "the progress comment", required=False),
        )
        if outcome.baseline_scaling is None:
            outcome.baseline_scaling = int(scaling)
            outcome.save(update_fields=["baseline_scaling"])
    MEETING.move(
        meeting,
        "record",
        acting_user=acting_user,
        reason=decision_reason,
        held_on=held_on,
        decision=decision,
        decision_reason=decision_reason,
        discussion=discussion,
        child_voice=child_voice,
        next_review_on=next_review_on,
        recorded_by=acting_user,
        recorded_at=timezone.now(),
    )
    if meeting.kind == MeetingKind.FIRST_TAF and plan.agreed_on is None:
        plan.agreed_on = held_on
        plan.save(update_fields=["agreed_on"])
    chronology_add(
        case=case,
        kind=ChronologyKind.REVIEW,
        title=f"{meeting.get_kind_display()} held: {meeting.get_decision_display().lower()}",
        text=(
            decision_reason
            + (f"\nNext review: {next_review_on:%-d %B %Y}." if next_review_on else "")
        ).strip(),
        occurred_on=held_on,
        author=acting_user,
        source=meeting,
    )
    if next_review_on:
        next_meeting = TafMeeting.objects.create(
            case=case,
            kind=MeetingKind.REVIEW,
            scheduled_for=next_review_on,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            note_for_external=meeting.note_for_external,
            location=meeting.location,
            scheduled_by=acting_user,
        )
        MEETING.start(next_meeting, acting_user=acting_user)
        events.emit("meeting_scheduled", meeting=next_meeting, acting_user=acting_user)
    audit_change(
        meeting,
        by=acting_user,
        request=request,
        changes={"status": ["scheduled", "held"], "decision": [None, decision]},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: TafMeeting, acting_user, reason: str, request=None) -> TafMeeting:
    """Cancel a scheduled meeting, with the reason; every member is told and their
    calendars drop it."""
    _require_worker(acting_user, meeting.case)
    meeting = _locked(meeting, CANCEL_FROM, "Only a scheduled meeting can be cancelled.")
    reason = _check_text(reason, "the reason for cancelling")
    # A new sequence number tells calendars the invitation they hold is cancelled.
    MEETING.move(
        meeting,
        "cancel",
        acting_user=acting_user,
        reason=reason,
        sequence=F("sequence") + 1,
        change_reason=reason,
    )
    chronology_add(
        case=meeting.case,
        kind=ChronologyKind.REVIEW,
        title=f"{meeting.get_kind_display()} on {meeting.scheduled_for:%-d %B %Y} cancelled",
        text=reason,
        author=acting_user,
        source=meeting,
    )
    events.emit("meeting_cancelled", meeting=meeting, acting_user=acting_user)
    audit_change(
        meeting, by=acting_user, request=request, changes={"status": ["scheduled", "cancelled"]}
    )
    return meeting


# --- Closure with the plan's outcomes -----------------------------------------------------

OUTCOME_RESULTS = {
    "achieved": "Achieved",
    "partly": "Partly achieved",
    "not_achieved": "Not achieved",
}


def closure_prepare(
    *, case: EarlyHelpCase, acting_user, outcome_results: dict[int, dict], **closure
) -> dict:
    """The closure's answers with a result for each plan outcome (a snapshot of its words),
    checked, nothing written: the closure page shows them back for confirmation. A missing
    result is named with every rule closure_check finds broken (FieldErrors), at once."""
    outcomes, errors = [], {}
    plan = FamilyPlan.objects.filter(case=case).first()
    if plan is not None:
        for outcome in plan.outcomes.filter(removed_on__isnull=True):
            result = outcome_results.get(outcome.pk) or {}
            try:
                if result.get("result") not in OUTCOME_RESULTS:
                    raise DomainError(
                        f"Say whether this outcome was achieved: “{outcome.text[:60]}”."
                    )
                comment = _check_text(result.get("comment", ""), "the comment", required=False)
            except DomainError as wrong:
                errors.setdefault("outcome_results", str(wrong))
                continue
            outcomes.append(
                {
                    "outcome_id": outcome.pk,
                    "outcome": outcome.text,
                    "result": result["result"],
                    "comment": comment,
                }
            )
    try:
        answers = closure_check(case=case, acting_user=acting_user, outcomes=outcomes, **closure)
    except FieldErrors as wrong:
        raise FieldErrors(errors | wrong.errors) from None
    if errors:
        raise FieldErrors(errors)
    return answers


@transaction.atomic
def case_close_with_plan(
    *,
    case: EarlyHelpCase,
    acting_user,
    outcome_results: dict[int, dict],
    signposted_services=(),
    request=None,
    **closure,
):
    """Close the case with a result for each plan outcome. Everything else, including a
    manager's authorisation where the level needs it: cases.services.case_close."""
    answers = closure_prepare(
        case=case, acting_user=acting_user, outcome_results=outcome_results, **closure
    )
    return case_close(
        case=case,
        acting_user=acting_user,
        signposted_services=signposted_services,
        request=request,
        **answers,
    )


def on_case_closed(*, case: EarlyHelpCase, acting_user) -> None:
    """A closed case has no meetings to come: each one still scheduled is cancelled, audited
    as the closer's change, and its members told (registered in AssessmentsConfig.ready)."""
    for meeting in TafMeeting.objects.filter(case=case, status=MeetingStatus.SCHEDULED):
        MEETING.move(
            meeting,
            "cancel",
            acting_user=acting_user,
            reason="The case has closed.",
            sequence=F("sequence") + 1,
            change_reason="The case has closed.",
        )
        audit_change(
            meeting,
            by=acting_user,
            changes={"status": ["scheduled", "cancelled"]},
            reason="The case has closed.",
        )
        events.emit("meeting_cancelled", meeting=meeting, acting_user=acting_user)
