"""Every write to families, people and cases. One transaction each, audited."""

import datetime

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases.access import TAF_PERMISSION, can_work_on_case
from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    CaseClosure,
    CaseStatus,
    CaseStatusChange,
    ChronologyEntry,
    ChronologyKind,
    ClosureReason,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyView,
    LeadProfessionalHandover,
    LevelOfNeed,
    NoConsentDecision,
    NoteCorrection,
    Person,
    StepDirection,
    StepEvent,
    TeamAroundFamilyMember,
)
from earlyhelp.audit import audit
from earlyhelp.errors import DomainError, InvalidTransition
from earlyhelp.models import AuditAction
from partners.models import Agency

PERMISSION = f"cases.{TAF_PERMISSION}"


@transaction.atomic
def case_open(
    *,
    family: Family,
    children: list[Person],
    lead_agency: Agency,
    lead_professional,
    level_of_need: int,
    opened_on: datetime.date,
    acting_user,
    request=None,
) -> EarlyHelpCase:
    """Open an episode. With no lead professional yet it waits in the team's queue."""
    case = EarlyHelpCase.objects.create(
        family=family,
        district_id=family.district_id,
        lead_agency=lead_agency,
        lead_professional=lead_professional,
        level_of_need=level_of_need,
        status=CaseStatus.OPEN if lead_professional else CaseStatus.AWAITING_ALLOCATION,
        opened_on=opened_on,
        last_activity_at=timezone.now(),
    )
    case.children.set(children)
    audit(user=acting_user, action=AuditAction.CREATE, record=case, request=request)
    return case


@transaction.atomic
def taf_member_add(
    *,
    case: EarlyHelpCase,
    user=None,
    agency: Agency,
    contact_name: str = "",
    contact_email: str = "",
    role_in_team: str = "",
    joined_on: datetime.date | None = None,
    acting_user,
    request=None,
) -> TeamAroundFamilyMember:
    """Add a TAF member. A member with an account is granted access to the case; one from
    another agency needs the family's consent to share with that agency."""
    if not case.is_open:
        raise DomainError("This case is closed. A closed case cannot gain new members.")
    if (
        agency.pk != case.lead_agency_id
        and not ConsentRecord.objects.filter(
            case=case, withdrawn_on__isnull=True, shared_with=agency
        ).exists()
    ):
        raise DomainError(
            f"The family has not consented to sharing information with {agency}. "
            "Record their consent before adding this member."
        )
    if user is not None and case.taf_members.filter(user=user, left_on__isnull=True).exists():
        raise DomainError(f"{user} is already on the Team Around the Family.")
    member = TeamAroundFamilyMember.objects.create(
        case=case,
        user=user,
        agency=agency,
        contact_name=contact_name,
        contact_email=contact_email,
        role_in_team=role_in_team,
        joined_on=joined_on or timezone.localdate(),
    )
    if user is not None:
        assign_perm(PERMISSION, user, case)
    chronology_add(
        case=case,
        kind=ChronologyKind.TEAM,
        title=f"{member.name} ({agency}) joined the Team Around the Family",
        author=acting_user,
        source=member,
    )
    audit(
        user=acting_user,
        action=AuditAction.CREATE,
        record=member,
        request=request,
        changes={"taf_member": [None, str(member.user_id or member.contact_name)]},
    )
    return member


@transaction.atomic
def taf_member_remove(
    *,
    member: TeamAroundFamilyMember,
    acting_user,
    left_on: datetime.date | None = None,
    request=None,
) -> TeamAroundFamilyMember:
    """Remove a TAF member; their access to the case ends with it."""
    if member.left_on is not None:
        raise DomainError("This member has already left the team.")
    member.left_on = left_on or timezone.localdate()
    member.save(update_fields=["left_on"])
    if member.user_id:
        remove_perm(PERMISSION, member.user, member.case)
    chronology_add(
        case=member.case,
        kind=ChronologyKind.TEAM,
        title=f"{member.name} ({member.agency}) left the Team Around the Family",
        author=acting_user,
        source=member,
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=member,
        request=request,
        changes={"left_on": [None, str(member.left_on)]},
    )
    return member


@transaction.atomic
def consent_record(
    *,
    case: EarlyHelpCase,
    given_by: Person,
    given_on: datetime.date,
    method: str,
    shared_with: list[Agency],
    to_assessment: bool = True,
    acting_user,
    request=None,
) -> ConsentRecord:
    """Record who consented, when, how, to the assessment and to sharing with which agencies.
    Anyone in the family may consent for themselves: each adult, and a young person where
    appropriate."""
    if not case.family.memberships.filter(person=given_by).exists():
        raise DomainError("Choose a member of this family as the person giving consent.")
    if given_on > timezone.localdate():
        raise DomainError("The date consent was given cannot be in the future.")
    if given_on < case.opened_on - datetime.timedelta(days=365):
        raise DomainError("The date consent was given is more than a year before the case opened.")
    consent = ConsentRecord.objects.create(
        case=case,
        given_by=given_by,
        given_on=given_on,
        method=method,
        to_assessment=to_assessment,
        recorded_by=acting_user,
    )
    consent.shared_with.set(shared_with)
    names = ", ".join(sorted(str(a) for a in shared_with)) or "no other agencies"
    chronology_add(
        case=case,
        kind=ChronologyKind.CONSENT,
        title=f"Consent given by {given_by.full_name}",
        text=(
            f"{'To the assessment. ' if to_assessment else ''}Sharing with: {names}. "
            f"Recorded {consent.get_method_display().lower()}."
        ),
        occurred_on=given_on,
        author=acting_user,
        source=consent,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=consent, request=request)
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    consent: ConsentRecord,
    withdrawn_on: datetime.date,
    note: str,
    acting_user,
    request=None,
) -> ConsentRecord:
    """Withdrawal stops sharing with the named agencies: the access rules read active consent,
    so their TAF members lose access at once."""
    if consent.withdrawn_on is not None:
        raise DomainError("This consent has already been withdrawn.")
    if withdrawn_on < consent.given_on:
        raise DomainError("Consent cannot be withdrawn before the date it was given.")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
    chronology_add(
        case=consent.case,
        kind=ChronologyKind.CONSENT,
        title=f"Consent withdrawn by {consent.given_by.full_name}",
        text=note,
        occurred_on=withdrawn_on,
        author=acting_user,
        source=consent,
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=consent,
        request=request,
        changes={"withdrawn_on": [None, str(withdrawn_on)]},
    )
    return consent


# --- Casework -----------------------------------------------------------------------------


def _now_for(day: datetime.date | None) -> datetime.datetime:
    """A timestamp for a chronology entry on `day` (today: now; another day: midday)."""
    today = timezone.localdate()
    if day is None or day == today:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _require_worker(user, case: EarlyHelpCase) -> None:
    if not case.is_open:
        raise DomainError("This case is closed. To work with the family again, make a new request.")
    if not can_work_on_case(user, case):
        raise DomainError("You can read this case but not record work on it.")


def _check_text(value: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}.")
    if len(value) > MAX_TEXT:
        raise DomainError(
            f"{label[0].upper()}{label[1:]} must be {MAX_TEXT:,} characters or fewer; "
            f"it has {len(value):,}."
        )
    return value


def _check_past_date(day: datetime.date, case: EarlyHelpCase, label: str) -> None:
    if day > timezone.localdate():
        raise DomainError(f"The {label} cannot be in the future.")
    if day < case.opened_on:
        raise DomainError(
            f"The {label} cannot be before the case opened on {case.opened_on:%-d %B %Y}."
        )


def chronology_add(
    *,
    case: EarlyHelpCase,
    kind: str,
    title: str,
    author,
    text: str = "",
    occurred_on: datetime.date | None = None,
    occurred_at: datetime.datetime | None = None,
    source=None,
) -> ChronologyEntry:
    """Append an event to the case's chronology. Called by the services that make the
    event (here and in assessments/services.py), inside their transaction."""
    entry = ChronologyEntry.objects.create(
        case=case,
        kind=kind,
        title=title[:200],
        text=text,
        author=author,
        occurred_at=occurred_at or _now_for(occurred_on),
        source_type=source._meta.model_name if source is not None else "",
        source_id=source.pk if source is not None else None,
    )
    EarlyHelpCase.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
    return entry


# Allowed moves, next to the verb (STYLE.md, "Status changes go through transitions").
TRANSITIONS = {
    "allocate": ({CaseStatus.AWAITING_ALLOCATION}, CaseStatus.OPEN),
    "close": ({CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION}, CaseStatus.CLOSED),
}


def _transition(case: EarlyHelpCase, verb: str, *, acting_user, reason: str = "") -> None:
    allowed_from, to = TRANSITIONS[verb]
    if case.status not in allowed_from:
        raise InvalidTransition(
            f"A case that is {case.get_status_display().lower()} cannot be {verb}d."
            if verb != "close"
            else "This case is already closed. To work with the family again, make a new "
            "request for support (a re-referral); the history is kept."
        )
    CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=to, changed_by=acting_user, reason=reason
    )
    case.status = to


@transaction.atomic
def note_add(
    *,
    case: EarlyHelpCase,
    acting_user,
    kind: str,
    text: str,
    occurred_at: datetime.datetime | None = None,
    title: str = "",
    request=None,
) -> ChronologyEntry:
    """A case note (or a contact, visit, meeting, decision) in the chronology."""
    _require_worker(acting_user, case)
    if kind not in NOTE_KINDS:
        raise DomainError("Choose what kind of note this is.")
    text = _check_text(text, "the note")
    when = occurred_at or timezone.now()
    if when > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError("A note cannot be about something that has not happened yet.")
    entry = chronology_add(
        case=case,
        kind=kind,
        title=title.strip() or ChronologyKind(kind).label,
        text=text,
        author=acting_user,
        occurred_at=when,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=entry, request=request)
    return entry


@transaction.atomic
def note_correct(
    *, entry: ChronologyEntry, acting_user, text: str, reason: str, request=None
) -> NoteCorrection:
    """Correct a note: the original stays, marked corrected, with the correction beside it.
    Only the note's author or a team manager may correct it."""
    case = entry.case
    _require_worker(acting_user, case)
    if not entry.is_note:
        raise DomainError("Only case notes can be corrected; events are corrected at source.")
    if entry.author_id != acting_user.pk and acting_user.role != "team_manager":
        raise DomainError("Only the person who wrote a note, or a team manager, may correct it.")
    text = _check_text(text, "the corrected note")
    reason = _check_text(reason, "the reason for the correction")
    if len(reason) > 500:
        raise DomainError("The reason must be 500 characters or fewer.")
    correction = NoteCorrection.objects.create(
        entry=entry, text=text, reason=reason, corrected_by=acting_user
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=entry,
        request=request,
        changes={"text": [entry.text[:500], text[:500]]},
        reason=reason,
    )
    return correction


@transaction.atomic
def no_consent_record(
    *,
    case: EarlyHelpCase,
    acting_user,
    decided_on: datetime.date,
    escalation: str,
    next_step: str,
    rationale: str,
    request=None,
) -> NoConsentDecision:
    """The family has not consented: record the professional's judgement on escalation."""
    _require_worker(acting_user, case)
    _check_past_date(decided_on, case, "date of the decision")
    rationale = _check_text(rationale, "your reasons")
    if escalation not in NoConsentDecision.Escalation.values:
        raise DomainError("Say whether the needs are likely to escalate.")
    if next_step not in NoConsentDecision.NextStep.values:
        raise DomainError("Choose what happens next.")
    decision = NoConsentDecision.objects.create(
        case=case,
        decided_on=decided_on,
        escalation=escalation,
        next_step=next_step,
        rationale=rationale,
        recorded_by=acting_user,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.DECISION,
        title=f"No consent: {decision.get_escalation_display().lower()}",
        text=f"{decision.get_next_step_display()}. {rationale}",
        occurred_on=decided_on,
        author=acting_user,
        source=decision,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=decision, request=request)
    return decision


@transaction.atomic
def step_up(
    *,
    case: EarlyHelpCase,
    acting_user,
    occurred_on: datetime.date,
    reason: str,
    other_service: str = "",
    request=None,
) -> StepEvent:
    """Step up to children's social care: the level of need becomes statutory. The early
    help case stays open until the lead professional closes it (reason 'stepped up')."""
    _require_worker(acting_user, case)
    _check_past_date(occurred_on, case, "date of the step up")
    reason = _check_text(reason, "the reason for stepping up")
    if case.level_of_need == LevelOfNeed.STATUTORY:
        raise DomainError("This case is already at the statutory level of need.")
    return _step(
        case=case,
        direction=StepDirection.UP,
        level_after=LevelOfNeed.STATUTORY,
        acting_user=acting_user,
        occurred_on=occurred_on,
        reason=reason,
        other_service=other_service,
        request=request,
    )


@transaction.atomic
def step_down(
    *,
    case: EarlyHelpCase,
    acting_user,
    occurred_on: datetime.date,
    reason: str,
    level_of_need: int,
    other_service: str = "",
    request=None,
) -> StepEvent:
    """Step down from children's social care to early help (level 2 or 3)."""
    _require_worker(acting_user, case)
    _check_past_date(occurred_on, case, "date of the step down")
    reason = _check_text(reason, "the reason for stepping down")
    if level_of_need not in (LevelOfNeed.UNIVERSAL_PLUS, LevelOfNeed.TARGETED):
        raise DomainError("Choose the early help level of need after stepping down.")
    return _step(
        case=case,
        direction=StepDirection.DOWN,
        level_after=level_of_need,
        acting_user=acting_user,
        occurred_on=occurred_on,
        reason=reason,
        other_service=other_service,
        request=request,
    )


def _step(
    *, case, direction, level_after, acting_user, occurred_on, reason, other_service, request
):
    other_service = other_service.strip()[:200]
    event = StepEvent.objects.create(
        case=case,
        direction=direction,
        occurred_on=occurred_on,
        reason=reason,
        other_service=other_service,
        level_of_need_before=case.level_of_need,
        level_of_need_after=level_after,
        recorded_by=acting_user,
    )
    before = case.level_of_need
    case.level_of_need = level_after
    case.save(update_fields=["level_of_need"])
    chronology_add(
        case=case,
        kind=ChronologyKind.STEP,
        title=event.get_direction_display() + (f" ({other_service})" if other_service else ""),
        text=reason,
        occurred_on=occurred_on,
        author=acting_user,
        source=event,
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=case,
        request=request,
        changes={"level_of_need": [str(before), str(level_after)], "step": [None, direction]},
    )
    return event


@transaction.atomic
def case_close(
    *,
    case: EarlyHelpCase,
    acting_user,
    reason: str,
    closed_on: datetime.date,
    family_view: str,
    family_view_text: str = "",
    child_voice: str = "",
    summary: str = "",
    outcomes: list[dict] | None = None,
    signposted_services=(),
    request=None,
) -> CaseClosure:
    """Close the episode. `outcomes` is a snapshot of each plan outcome's words and result
    (assessments.services.case_close_with_plan fills it from the plan). A closed case is
    reopened only through a new request for support, so its history stays as it was."""
    case = EarlyHelpCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        _transition(case, "close", acting_user=acting_user)  # raises InvalidTransition
    _require_worker(acting_user, case)
    if reason not in ClosureReason.values:
        raise DomainError("Choose the reason for closing the case.")
    if family_view not in FamilyView.values:
        raise DomainError("Say whether the family feels family life has improved.")
    _check_past_date(closed_on, case, "closure date")
    family_view_text = _check_text(family_view_text, "the family's view", required=False)
    child_voice = _check_text(child_voice, "the child's voice", required=False)
    summary = _check_text(summary, "the closing summary", required=False)
    _transition(case, "close", acting_user=acting_user, reason=ClosureReason(reason).label)
    case.closed_on = closed_on
    case.closure_reason = reason
    case.save(update_fields=["status", "closed_on", "closure_reason"])
    closure = CaseClosure.objects.create(
        case=case,
        reason=reason,
        closed_on=closed_on,
        outcomes=outcomes or [],
        family_view=family_view,
        family_view_text=family_view_text,
        child_voice=child_voice,
        summary=summary,
        closed_by=acting_user,
    )
    if signposted_services:
        closure.signposted_services.set(signposted_services)
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"Case closed: {ClosureReason(reason).label}",
        text=summary,
        occurred_on=closed_on,
        author=acting_user,
        source=closure,
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=case,
        request=request,
        changes={"status": ["open", "closed"], "closure_reason": [None, reason]},
    )
    return closure


@transaction.atomic
def lead_professional_handover(
    *,
    case: EarlyHelpCase,
    to_user,
    acting_user,
    note: str,
    handed_over_on: datetime.date | None = None,
    request=None,
) -> LeadProfessionalHandover:
    """Hand the lead professional role to another TAF member with an account. The previous
    lead stays on the TAF (so keeps access) until removed."""
    _require_worker(acting_user, case)
    if acting_user.pk != case.lead_professional_id and acting_user.role != "team_manager":
        raise DomainError("Only the lead professional or a team manager can hand over the case.")
    note = _check_text(note, "a handover note")
    handed_over_on = handed_over_on or timezone.localdate()
    _check_past_date(handed_over_on, case, "handover date")
    if to_user.pk == case.lead_professional_id:
        raise DomainError(f"{to_user} is already the lead professional.")
    if not case.taf_members.filter(user=to_user, left_on__isnull=True).exists():
        raise DomainError("The new lead professional must be a current member of the TAF.")
    previous = case.lead_professional
    handover = LeadProfessionalHandover.objects.create(
        case=case,
        from_user=previous,
        to_user=to_user,
        handed_over_on=handed_over_on,
        note=note,
        recorded_by=acting_user,
    )
    if not case.taf_members.filter(user=previous, left_on__isnull=True).exists():
        TeamAroundFamilyMember.objects.create(
            case=case,
            user=previous,
            agency=previous.agency,
            role_in_team="Previous lead professional",
            joined_on=handed_over_on,
        )
        assign_perm(PERMISSION, previous, case)
    case.lead_professional = to_user
    case.lead_agency = to_user.agency
    case.save(update_fields=["lead_professional", "lead_agency"])
    chronology_add(
        case=case,
        kind=ChronologyKind.TEAM,
        title=f"Lead professional handed over from {previous} to {to_user}",
        text=note,
        occurred_on=handed_over_on,
        author=acting_user,
        source=handover,
    )
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=case,
        request=request,
        changes={"lead_professional": [str(previous.pk), str(to_user.pk)]},
    )
    return handover
