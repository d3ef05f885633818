"""Every write to families, people and cases. One transaction each, audited."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases import access, transitions
from cases.access import TAF_PERMISSION, can_work_on_case
from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    CaseClosure,
    CaseOrigin,
    CaseStatus,
    ChronologyEntry,
    ChronologyKind,
    ClosureReason,
    ClosureRequest,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyView,
    LeadProfessionalHandover,
    LevelOfNeed,
    LevelOfNeedChange,
    NoConsentDecision,
    NoteCorrection,
    Person,
    StepDirection,
    StepEvent,
    StepUpRequest,
    StepUpSource,
    StepUpStatus,
    TeamAroundFamilyMember,
)
from earlyhelp import events
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, FieldError, FieldErrors
from earlyhelp.models import AuditAction
from earlyhelp.notifications import notify, page_url
from earlyhelp.wording import term
from earlyhelp.working_days import add_working_days
from partners.models import Agency

PERMISSION = f"cases.{TAF_PERMISSION}"
# The levels of need early help works at (2 and 3); 4 is children's social care.
EARLY_HELP_LEVELS = (LevelOfNeed.UNIVERSAL_PLUS, LevelOfNeed.TARGETED)


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
    origin: str = CaseOrigin.FRONT_DOOR,
    reason: str = "",
    significant_harm: bool = False,
    request=None,
) -> EarlyHelpCase:
    """Open an episode. With no lead professional yet it waits in the team's queue, with who
    sent it there and why, for the manager who allocates it (cases_awaiting_allocation_for)."""
    waiting = lead_professional is None
    case = EarlyHelpCase.objects.create(
        family=family,
        district_id=family.district_id,
        lead_agency=lead_agency,
        lead_professional=lead_professional,
        level_of_need=level_of_need,
        status=CaseStatus.AWAITING_ALLOCATION if waiting else CaseStatus.OPEN,
        opened_on=opened_on,
        last_activity_at=timezone.now(),
        origin=origin,
        queued_by=acting_user if waiting else None,
        queued_reason=reason[:MAX_TEXT] if waiting else "",
        queued_on=opened_on if waiting else None,
        significant_harm=significant_harm,
    )
    case.children.set(children)
    transitions.CASE.start(case, acting_user=acting_user, reason=reason[:500])
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
    events.emit("taf_member_added", member=member, acting_user=acting_user)
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
    _require_worker(acting_user, member.case)
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
    audit_change(
        member, by=acting_user, request=request, changes={"left_on": [None, str(member.left_on)]}
    )
    events.emit("taf_member_removed", member=member, acting_user=acting_user)
    return member


def _refuse_the_same_consent_twice(case, given_by, given_on, method, shared_with, assessment):
    """A second record of a consent already in force (the same person, day, way, assessment
    and agencies) is a form sent twice, not a new consent. The case row is locked first, so
    two such posts at once record one."""
    EarlyHelpCase.objects.select_for_update().filter(pk=case.pk).first()
    agencies = {agency.pk for agency in shared_with}
    for consent in case.consents.filter(
        given_by=given_by,
        given_on=given_on,
        method=method,
        to_assessment=assessment,
        withdrawn_on__isnull=True,
    ).prefetch_related("shared_with"):
        if {agency.pk for agency in consent.shared_with.all()} == agencies:
            raise DomainError(
                f"This consent is already recorded: {given_by.full_name} on "
                f"{given_on:%-d %B %Y}, sharing with the same agencies."
            )


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
    _require_worker(acting_user, case)
    if not case.family.memberships.filter(person=given_by).exists():
        raise DomainError("Choose a member of this family as the person giving consent.")
    if given_on > timezone.localdate():
        raise DomainError("The date consent was given cannot be in the future.")
    if given_on < case.opened_on - datetime.timedelta(days=365):
        raise DomainError("The date consent was given is more than a year before the case opened.")
    _refuse_the_same_consent_twice(case, given_by, given_on, method, shared_with, to_assessment)
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
    if withdrawn_on > timezone.localdate():
        raise DomainError("Consent cannot be withdrawn on a date after today.")
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
    audit_change(
        consent,
        by=acting_user,
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


def refuse_if_closed(case: EarlyHelpCase) -> None:
    """The closed half of the "may record work on this case" check, for the writes whose
    other half is a rule of their own (the programme team's outcomes, a manager's)."""
    if not case.is_open:
        raise DomainError("This case is closed. To work with the family again, make a new request.")


def _require_worker(user, case: EarlyHelpCase) -> None:
    """The shared "may record work on this case" check every case write service makes."""
    refuse_if_closed(case)
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


def _reason_given(reason: str, missing: str) -> str:
    """The reason for a decision, checked: FieldError("reason", missing) when none is given,
    so the page shows it by the box."""
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", missing)
    return _check_text(reason, "the reason")


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
    if not access.may_correct_note(acting_user, entry):
        raise DomainError("Only the person who wrote a note, or a team manager, may correct it.")
    text = _check_text(text, "the corrected note")
    reason = _check_text(reason, "the reason for the correction")
    if len(reason) > 500:
        raise DomainError("The reason must be 500 characters or fewer.")
    correction = NoteCorrection.objects.create(
        entry=entry, text=text, reason=reason, corrected_by=acting_user
    )
    audit_change(
        entry,
        by=acting_user,
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
    occurred_on: datetime.date | None = None,
    reason: str,
    other_service: str = "",
    significant_harm: bool = False,
    source: str = StepUpSource.CASE,
    source_reference: str = "",
    request=None,
) -> StepUpRequest:
    """Step up to children's social care as a hand-over: a request to the district's social
    care, who accept or decline it (step_up_accept / step_up_decline). The level of need
    becomes statutory only when social care accepts."""
    _require_worker(acting_user, case)
    if occurred_on is not None:
        _check_past_date(occurred_on, case, "date of the step up")
    reason = _check_text(reason, "the reason for stepping up")
    if case.status == CaseStatus.STEPPED_UP or case.level_of_need == LevelOfNeed.STATUTORY:
        raise DomainError("This case is already stepped up to children's social care.")
    if case.step_up_requests.filter(status="pending").exists():
        raise DomainError(
            "A step-up request for this case is already waiting for social care's decision."
        )
    return step_up_request_send(
        family=case.family,
        case=case,
        source=source,
        source_reference=source_reference or case.reference,
        reason=reason
        + (f"\n\nSocial care team: {other_service.strip()}" if other_service.strip() else ""),
        significant_harm=significant_harm,
        acting_user=acting_user,
        request=request,
    )


def step_up_request_send(
    *,
    family: Family,
    source: str,
    reason: str,
    acting_user,
    case: EarlyHelpCase | None = None,
    source_reference: str = "",
    significant_harm: bool = False,
    request=None,
) -> StepUpRequest:
    """Write the request and tell the district's social care staff (inside the caller's
    transaction: from a case, a TAF review or a front door decision)."""

    if case is not None and not case.is_open:
        raise DomainError(
            "This case is closed, so it cannot be stepped up. If the family needs social "
            "care now, make a new request for support."
        )
    step = StepUpRequest.objects.create(
        family=family,
        district_id=family.district_id,
        case=case,
        source=source,
        source_reference=source_reference[:40],
        significant_harm=significant_harm,
        reason=_check_text(reason, "the reason for stepping up"),
        requested_by=acting_user,
    )
    transitions.STEP_UP.start(step, acting_user=acting_user, reason=step.reason[:500])
    if case is not None:
        chronology_add(
            case=case,
            kind=ChronologyKind.STEP,
            title=f"Step up to children's social care requested ({step.reference})",
            text=step.reason,
            author=acting_user,
            source=step,
        )
    audit(user=acting_user, action=AuditAction.CREATE, record=step, request=request)
    for user in access.social_care_staff_for(step.district_id):
        notify(
            user=user,
            subject=("Significant harm: a" if significant_harm else "A")
            + f" step-up request {step.reference} is waiting for social care",
            url=page_url("stepup_decide", step.pk),
        )
    return step


def _may_decide_step_up(user, step: StepUpRequest) -> None:
    from cases.access import may_decide_step_up

    if not may_decide_step_up(user, step):
        raise DomainError("Only children's social care staff for this district decide step-ups.")


@transaction.atomic
def step_up_accept(
    *, step: StepUpRequest, acting_user, social_care_team: str = "", note: str = "", request=None
) -> StepUpRequest:
    """Social care accepts: the decision is recorded on the case, the level of need becomes
    statutory, and the case is marked stepped up (early help deadlines pause: they count
    open cases only) or closes, as the authority configures (STEP_UP_ACCEPT_CLOSES_CASE).
    A closure waiting for a manager's authorisation is withdrawn first: social care taking
    the family on is not a decision early help can refuse over its own paperwork."""
    _may_decide_step_up(acting_user, step)
    note = _check_text(note, "the note", required=False)
    transitions.STEP_UP.move(
        step,
        "accept",
        acting_user=acting_user,
        reason=note,
        decided_by=acting_user,
        decided_at=timezone.now(),
        decision_reason=note,
        social_care_team=social_care_team.strip()[:200],
    )
    case = step.case
    if case is not None and case.is_open:
        case = EarlyHelpCase.objects.select_for_update().get(pk=case.pk)
        withdrawn = None
        if case.status == CaseStatus.CLOSURE_PENDING:
            withdrawn = _closure_withdraw(
                case=case, step=step, acting_user=acting_user, request=request
            )
        today = timezone.localdate()
        _step(
            case=case,
            direction=StepDirection.UP,
            level_after=LevelOfNeed.STATUTORY,
            acting_user=acting_user,
            occurred_on=today,
            reason=step.reason,
            other_service=social_care_team or "Children's social care",
            request=request,
        )
        if getattr(settings, "STEP_UP_ACCEPT_CLOSES_CASE", False):
            transitions.CASE.move(
                case,
                "close",
                acting_user=acting_user,
                reason=ClosureReason.STEPPED_UP.label,
                closed_on=today,
                closure_reason=ClosureReason.STEPPED_UP,
            )
            CaseClosure.objects.create(
                case=case,
                reason=ClosureReason.STEPPED_UP,
                closed_on=today,
                family_view=FamilyView.NOT_ASKED,
                summary=f"Closed when social care accepted step-up request {step.reference}.",
                closed_by=acting_user,
            )
        else:
            transitions.CASE.move(
                case, "step_up_accepted", acting_user=acting_user, reason=step.reference
            )
        chronology_add(
            case=case,
            kind=ChronologyKind.STEP,
            title=f"Children's social care accepted the step up ({step.reference})",
            text=note,
            author=acting_user,
            source=step,
        )
        if case.lead_professional_id:
            notify(
                user=case.lead_professional,
                subject=f"Social care accepted the step up of {case.reference}",
                body=(
                    "The closure that was waiting for a manager's authorisation is withdrawn."
                    if withdrawn
                    else ""
                ),
                url=page_url("case_detail", case.pk),
            )
    audit_change(step, by=acting_user, request=request, changes={"status": ["pending", "accepted"]})
    return step


@transaction.atomic
def step_up_decline(
    *, step: StepUpRequest, acting_user, reason: str, request=None
) -> StepUpRequest:
    """Social care declines with a reason: the lead is told and early help carries on."""
    _may_decide_step_up(acting_user, step)
    reason = _reason_given(reason, "Enter why social care is declining this step up.")
    transitions.STEP_UP.move(
        step,
        "decline",
        acting_user=acting_user,
        reason=reason,
        decided_by=acting_user,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
    case = step.case
    if case is not None:
        chronology_add(
            case=case,
            kind=ChronologyKind.STEP,
            title=f"Children's social care declined the step up ({step.reference})",
            text=reason,
            author=acting_user,
            source=step,
        )
    told = case.lead_professional if case is not None and case.lead_professional_id else None
    told = told or step.requested_by
    if told.is_active:
        notify(
            user=told,
            subject=f"Social care declined step-up request {step.reference}: "
            f"{term('early help')} carries on",
            body=reason,
            url=page_url("case_detail", case.pk) if case is not None else "",
            email=True,
        )
    audit_change(
        step,
        by=acting_user,
        request=request,
        changes={"status": ["pending", "declined"]},
        reason=reason,
    )
    return step


@transaction.atomic
def step_down(
    *,
    case: EarlyHelpCase,
    acting_user,
    occurred_on: datetime.date,
    reason: str,
    level_of_need: int,
    other_service: str = "",
    across: bool = False,
    request=None,
) -> StepEvent:
    """Step down from children's social care to early help (level 2 or 3). A step across
    (a statutory assessment that ended in early help, the child never having been open to
    social care) is recorded as such, not as a step down."""
    _require_worker(acting_user, case)
    _check_past_date(occurred_on, case, "date of the step down")
    reason = _check_text(reason, "the reason for stepping down")
    if level_of_need not in EARLY_HELP_LEVELS:
        raise DomainError(f"Choose the {term('early help')} level of need after stepping down.")
    return _step(
        case=case,
        direction=StepDirection.ACROSS if across else StepDirection.DOWN,
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
    chronology_add(
        case=case,
        kind=ChronologyKind.STEP,
        title=event.get_direction_display() + (f" ({other_service})" if other_service else ""),
        text=reason,
        occurred_on=occurred_on,
        author=acting_user,
        source=event,
    )
    level_of_need_set(
        case=case,
        level_of_need=level_after,
        cause=LevelOfNeedChange.Cause.STEP_UP
        if direction == StepDirection.UP
        else LevelOfNeedChange.Cause.STEP_DOWN,
        reason=reason,
        acting_user=acting_user,
        changed_on=occurred_on,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={"level_of_need": [str(before), str(level_after)], "step": [None, direction]},
    )
    return event


CLOSURE_FIELDS = (
    "reason",
    "closed_on",
    "outcomes",
    "family_view",
    "family_view_text",
    "child_voice",
    "summary",
    "unmet_outcomes_explanation",
)


def closure_check(
    *,
    case: EarlyHelpCase,
    acting_user,
    reason: str,
    closed_on: datetime.date | None,
    family_view: str,
    family_view_text: str = "",
    child_voice: str = "",
    summary: str = "",
    unmet_outcomes_explanation: str = "",
    outcomes: list[dict] | None = None,
    ask_authorisation: bool = True,
) -> dict:
    """The closure's answers, checked and cleaned, nothing written: the closure page checks
    them before asking the closer to confirm, and case_close checks them again."""
    transitions.CASE.check(case, "close")
    _require_worker(acting_user, case)
    if ask_authorisation:
        # A recorded fact (ask_authorisation=False: the family moved out of area) closes the
        # case whoever records it; a closure decided on the case is the lead's or a manager's.
        refused = closure_refused_for(acting_user, case)
        if refused:
            raise DomainError(refused)
        _refuse_closure_request_while_step_up_pending(case, acting_user)
    errors: dict[str, str] = {}  # every wrong answer at once (FieldErrors)
    if reason not in ClosureReason.values:
        errors["reason"] = "Choose the reason for closing the case."
    if family_view not in FamilyView.values:
        errors["family_view"] = "Say whether the family feels family life has improved."
    if closed_on is None:  # not a date: the form or the API names it
        errors["closed_on"] = "Enter the closure date."
    else:
        try:
            _check_past_date(closed_on, case, "closure date")
        except DomainError as wrong:
            errors["closed_on"] = str(wrong)
    texts = {}
    for field, value, label in (
        ("unmet_outcomes_explanation", unmet_outcomes_explanation, "the explanation"),
        ("family_view_text", family_view_text, "the family's view"),
        ("child_voice", child_voice, "the child's voice"),
        ("summary", summary, "the closing summary"),
    ):
        try:
            texts[field] = _check_text(value, label, required=False)
        except DomainError as wrong:
            errors[field] = str(wrong)
    outcomes = outcomes or []
    unmet = any(o.get("result") == "not_achieved" for o in outcomes)
    if reason != ClosureReason.NEEDS_MET or not unmet:
        texts["unmet_outcomes_explanation"] = ""
    elif not texts.get("unmet_outcomes_explanation") and "unmet_outcomes_explanation" not in errors:
        errors["unmet_outcomes_explanation"] = (
            "You are closing the case as 'needs met' but some outcomes were not achieved. "
            "Explain why the family's needs are met."
        )
    if errors:
        raise FieldErrors(errors)
    return {
        "reason": reason,
        "closed_on": closed_on,
        "outcomes": outcomes,
        "family_view": family_view,
        **texts,
    }


def closure_refused_for(acting_user, case: EarlyHelpCase) -> str:
    """Why this user may not close (or request closure of) the case, else "": the closure
    page asks before anything is typed, closure_check refuses on it."""
    if access.may_close(acting_user, case):
        return ""
    return f"Only the {term('lead professional')} or a team manager can close the case."


def handover_refused_for(acting_user, case: EarlyHelpCase) -> str:
    """Why this user may not hand the case over, else "": asked by the page before anything
    is typed, and by lead_professional_handover."""
    if access.may_hand_over(acting_user, case):
        return ""
    return f"Only the {term('lead professional')} or a team manager can hand over the case."


def level_change_refused_for(acting_user, case: EarlyHelpCase) -> str:
    """Why this user may not change the case's level of need, else "" (page and service)."""
    if access.may_change_level(acting_user, case):
        return ""
    return f"Only the {term('lead professional')} or a team manager can change the level."


def closure_held_back_by(
    case: EarlyHelpCase,
    acting_user,
    *,
    needs_authorisation: bool | None = None,
    step_ups: Iterable[StepUpRequest] | None = None,
) -> StepUpRequest | None:
    """The step-up request, awaiting social care's decision, that holds back this user's
    closure of the case, else None. A closure that would wait for a manager's authorisation
    is not requested while social care has a step up to decide: accepting it would withdraw
    the closure (ADR 0014), so the manager would be asked to decide something social care may
    overtake. Once social care decide the lead may request closure; a closure that closes at
    once (a manager's, a level without authorisation) is not held back. closure_check refuses
    on it, and the closure page and the case page say so before anything is typed.

    A page that has already worked out `needs_authorisation` (access.closure_needs_
    authorisation), or read the case's newest step-up requests (`step_ups`), passes them so
    the rule reads nothing again. The newest are enough: a case has at most one pending
    request (a database constraint) and no request is made while one is pending, so a pending
    one is the newest."""

    def needs_it() -> bool:
        if needs_authorisation is None:
            return access.closure_needs_authorisation(acting_user, case)
        return needs_authorisation

    if case.status != CaseStatus.OPEN:
        return None
    if step_ups is None:
        if not needs_it():
            return None
        return case.step_up_requests.filter(status=StepUpStatus.PENDING).order_by("pk").first()
    # From what the page read: a case with no step up pending costs no access check.
    pending = next((s for s in step_ups if s.status == StepUpStatus.PENDING), None)
    return pending if pending is not None and needs_it() else None


def closure_held_back_message(step: StepUpRequest) -> str:
    """Why closure_held_back_by holds the closure back, in the words the lead reads."""
    return (
        f"A step up to children's social care ({step.reference}) is awaiting their "
        "decision. You can request closure once social care have decided it."
    )


def _refuse_closure_request_while_step_up_pending(case: EarlyHelpCase, acting_user) -> None:
    step = closure_held_back_by(case, acting_user)
    if step is not None:
        raise DomainError(closure_held_back_message(step))


@transaction.atomic
def case_close(
    *,
    case: EarlyHelpCase,
    acting_user,
    signposted_services=(),
    ask_authorisation: bool = True,
    request=None,
    **answers,
) -> CaseClosure | ClosureRequest:
    """Close the episode (answers: see closure_check). `outcomes` is a snapshot of each plan
    outcome's words and result (assessments.services.case_close_with_plan fills it). At a
    level that needs a manager's authorisation (cases.access.closure_needs_authorisation) the
    lead's closure waits for it instead: the case is 'closure awaiting authorisation', the
    managers are told, and a ClosureRequest holding the answers is returned (unless
    `ask_authorisation` is False: a recorded fact such as a move out of area). A closed case
    is reopened only through a new request for support, so its history stays as it was."""
    case = EarlyHelpCase.objects.select_for_update().get(pk=case.pk)
    answers = closure_check(
        case=case, acting_user=acting_user, ask_authorisation=ask_authorisation, **answers
    )
    if (
        ask_authorisation
        and case.status == CaseStatus.OPEN
        and access.closure_needs_authorisation(acting_user, case)
    ):
        return _closure_request(
            case=case,
            acting_user=acting_user,
            answers=answers,
            signposted_services=signposted_services,
            request=request,
        )
    return _close(
        case=case,
        verb="close",
        acting_user=acting_user,
        closed_by=acting_user,
        answers=answers,
        signposted_services=signposted_services,
        request=request,
    )


def _close(*, case, verb, acting_user, closed_by, answers, signposted_services, request):
    before = case.status
    reason = answers["reason"]
    transitions.CASE.move(
        case,
        verb,
        acting_user=acting_user,
        reason=ClosureReason(reason).label,
        closed_on=answers["closed_on"],
        closure_reason=reason,
    )
    closure = CaseClosure.objects.create(
        case=case,
        closed_by=closed_by,
        authorised_by=acting_user if acting_user != closed_by else None,
        **answers,
    )
    if signposted_services:
        closure.signposted_services.set(signposted_services)
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"Case closed: {ClosureReason(reason).label}",
        text="\n\n".join(
            text for text in (answers["summary"], answers["unmet_outcomes_explanation"]) if text
        ),
        occurred_on=answers["closed_on"],
        author=closed_by,
        source=closure,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={"status": [before, "closed"], "closure_reason": [None, reason]},
    )
    # Meetings still scheduled are cancelled, members told (assessments listens).
    events.emit("case_closed", case=case, acting_user=acting_user)
    return closure


def _closure_request(*, case, acting_user, answers, signposted_services, request):
    transitions.CASE.move(
        case,
        "request_closure",
        acting_user=acting_user,
        reason=ClosureReason(answers["reason"]).label,
    )
    pending = ClosureRequest.objects.create(case=case, requested_by=acting_user, **answers)
    if signposted_services:
        pending.signposted_services.set(signposted_services)
    _closure_step_recorded(
        pending,
        acting_user,
        f"Closure awaiting a manager's authorisation: {pending.get_reason_display()}",
        answers["summary"],
        ["open", CaseStatus.CLOSURE_PENDING],
        request,
    )
    for manager in access.closure_authorisers_for(case).exclude(pk=acting_user.pk):
        notify(
            user=manager,
            subject=f"{case.reference}: a closure is waiting for your authorisation",
            url=page_url("authorise_closure", case.pk),
        )
    return pending


def _closure_step_recorded(pending, acting_user, title, text, statuses, request) -> None:
    chronology_add(
        case=pending.case,
        kind=ChronologyKind.STATUS,
        title=title,
        text=text,
        author=acting_user,
        source=pending,
    )
    audit_change(pending.case, by=acting_user, request=request, changes={"status": statuses})


def _decide(pending: ClosureRequest, acting_user, decision: str, **fields) -> None:
    for name, value in {
        "decision": decision,
        "decided_by": acting_user,
        "decided_at": timezone.now(),
        **fields,
    }.items():
        setattr(pending, name, value)
    pending.save()


def _closure_withdraw(*, case: EarlyHelpCase, step, acting_user, request) -> ClosureRequest:
    """The closure waiting for a manager is withdrawn as social care accepts a step up (see
    step_up_accept): the case is open again for the step up to move on from, and the
    lead's answers stay on record with why."""
    pending = ClosureRequest.objects.select_for_update().get(case=case, decision="")
    why = f"Children's social care accepted step-up request {step.reference}."
    transitions.CASE.move(case, "withdraw_closure", acting_user=acting_user, reason=why)
    _decide(pending, acting_user, ClosureRequest.Decision.WITHDRAWN, return_reason=why)
    _closure_step_recorded(
        pending,
        acting_user,
        f"Closure withdrawn: children's social care accepted the step up ({step.reference})",
        why,
        [CaseStatus.CLOSURE_PENDING, "open"],
        request,
    )
    return pending


def _pending_closure(case: EarlyHelpCase, acting_user, verb: str) -> ClosureRequest:
    if not access.may_authorise_closure(acting_user, case):
        raise DomainError("Only a team manager for this case authorises its closure.")
    transitions.CASE.check(case, verb)
    return ClosureRequest.objects.select_for_update().get(case=case, decision="")


@transaction.atomic
def closure_authorise(*, case: EarlyHelpCase, acting_user, request=None) -> CaseClosure:
    """A manager authorises a lead's closure: the case closes with the lead's answers, and
    the lead is told."""
    case = EarlyHelpCase.objects.select_for_update().get(pk=case.pk)
    pending = _pending_closure(case, acting_user, "authorise_closure")
    _decide(pending, acting_user, ClosureRequest.Decision.AUTHORISED)
    closure = _close(
        case=case,
        verb="authorise_closure",
        acting_user=acting_user,
        closed_by=pending.requested_by,
        answers={field: getattr(pending, field) for field in CLOSURE_FIELDS},
        signposted_services=list(pending.signposted_services.all()),
        request=request,
    )
    notify(
        user=pending.requested_by,
        subject=f"{acting_user.full_name} authorised the closure of {case.reference}",
        url=page_url("case_detail", case.pk),
    )
    return closure


@transaction.atomic
def closure_return(
    *, case: EarlyHelpCase, acting_user, reason: str, request=None
) -> ClosureRequest:
    """A manager returns a lead's closure with a reason: the case is open again, its
    answers are kept with the reason, and the lead is told what to do."""
    case = EarlyHelpCase.objects.select_for_update().get(pk=case.pk)
    pending = _pending_closure(case, acting_user, "return_closure")
    try:
        reason = _check_text(reason, "why the closure is returned, so the lead knows what to do")
    except DomainError as error:
        raise FieldError("reason", str(error)) from None
    transitions.CASE.move(case, "return_closure", acting_user=acting_user, reason=reason)
    _decide(pending, acting_user, ClosureRequest.Decision.RETURNED, return_reason=reason)
    _closure_step_recorded(
        pending,
        acting_user,
        f"Closure returned to the {term('lead professional')}",
        reason,
        [CaseStatus.CLOSURE_PENDING, "open"],
        request,
    )
    notify(
        user=pending.requested_by,
        subject=f"{acting_user.full_name} returned the closure of {case.reference}",
        body=reason,
        url=page_url("case_detail", case.pk),
    )
    return pending


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
    if case.lead_professional_id is None:
        raise DomainError(
            f"This case has no {term('lead professional')} yet, so there is nothing to hand "
            "over. A team manager allocates it from the allocation queue."
        )
    refused = handover_refused_for(acting_user, case)
    if refused:
        raise DomainError(refused)
    note = _check_text(note, "a handover note")
    handed_over_on = handed_over_on or timezone.localdate()
    _check_past_date(handed_over_on, case, "handover date")
    if to_user.pk == case.lead_professional_id:
        raise DomainError(f"{to_user} is already the {term('lead professional')}.")
    if not case.taf_members.filter(user=to_user, left_on__isnull=True).exists():
        raise DomainError(
            f"The new {term('lead professional')} must be a current member of the TAF."
        )
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
            role_in_team=f"Previous {term('lead professional')}",
            joined_on=handed_over_on,
        )
        assign_perm(PERMISSION, previous, case)
    case.lead_professional = to_user
    case.lead_agency = to_user.agency
    case.save(update_fields=["lead_professional", "lead_agency"])
    chronology_add(
        case=case,
        kind=ChronologyKind.TEAM,
        title=f"{term('Lead professional')} handed over from {previous} to {to_user}",
        text=note,
        occurred_on=handed_over_on,
        author=acting_user,
        source=handover,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={"lead_professional": [str(previous.pk), str(to_user.pk)]},
    )
    return handover


# --- Allocation from a team's queue (issue 12, point 1) --------------------------------------


def _eligible_lead_error(case: EarlyHelpCase, user) -> str:
    from cases.selectors import eligible_leads_for

    if user is None:
        return f"Choose who will be the {term('lead professional')}."
    if not user.is_active:
        return f"{user} has left and cannot lead a case. Choose someone else."
    if not eligible_leads_for(case).filter(pk=user.pk).exists():
        return (
            f"{user} cannot lead this case: choose a practitioner or manager who works for "
            f"{case.lead_agency}."
        )
    return ""


@transaction.atomic
def case_allocate(
    *, case: EarlyHelpCase, lead_professional, acting_user, note: str = "", request=None
) -> EarlyHelpCase:
    """A team manager allocates a waiting case: it opens with its lead professional (who
    reads it from then on: cases/access.py counts the cases a user leads), the assessment
    clock starts (20 working days, Lancashire and Blackpool), and the lead is told."""
    from cases.access import may_allocate

    if not may_allocate(acting_user, case):
        raise DomainError("Only a team manager for this case's team can allocate it.")
    transitions.CASE.check(case, "allocate")
    error = _eligible_lead_error(case, lead_professional)
    if error:
        raise FieldError("lead_professional", error)
    note = _check_text(note, "the allocation note", required=False)
    today = timezone.localdate()
    transitions.CASE.move(
        case,
        "allocate",
        acting_user=acting_user,
        reason=note or f"Allocated to {lead_professional}",
        message=f"This case is {case.get_status_display().lower()}, so it cannot be allocated.",
        lead_professional=lead_professional,
        opened_on=max(today, case.opened_on),
    )
    due = add_working_days(case.opened_on, 20)
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"Case allocated to {lead_professional} ({case.lead_agency})",
        text=(note + "\n" if note else "")
        + f"The {term('Early Help Assessment')} is due by {due:%-d %B %Y} (20 working days).",
        author=acting_user,
        source=case,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={
            "status": [CaseStatus.AWAITING_ALLOCATION, CaseStatus.OPEN],
            "lead_professional": [None, str(lead_professional.pk)],
        },
    )
    notify(
        user=lead_professional,
        subject=f"You are {term('lead professional')} for {case.reference}: the assessment is "
        f"due by {due:%-d %B %Y}",
        url=page_url("case_detail", case.pk),
    )
    return case


@transaction.atomic
def case_send_to_team(
    *, case: EarlyHelpCase, agency: Agency, reason: str, acting_user, request=None
) -> EarlyHelpCase:
    """Send a waiting case to another team's queue, with a reason; its managers are told."""
    from cases.access import may_allocate
    from cases.selectors import teams_for_queue

    if not may_allocate(acting_user, case):
        raise DomainError("Only a team manager for this case's team can send it on.")
    transitions.CASE.check(case, "send_to_team")
    if agency is None or not teams_for_queue(case).filter(pk=agency.pk).exists():
        raise FieldError("agency", "Choose another active team or agency in this district.")
    reason = _reason_given(reason, "Enter why the case is going to another team.")
    before = case.lead_agency
    transitions.CASE.move(
        case,
        "send_to_team",
        acting_user=acting_user,
        reason=reason,
        lead_agency=agency,
        queued_by=acting_user,
        queued_reason=reason,
        queued_on=timezone.localdate(),
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"Sent from {before}'s queue to {agency}'s queue",
        text=reason,
        author=acting_user,
        source=case,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={"lead_agency": [str(before.pk), str(agency.pk)]},
        reason=reason,
    )

    for manager in access.team_managers_of(agency):
        notify(
            user=manager,
            subject=f"A case ({case.reference}) has been sent to your team's allocation queue",
            url=page_url("allocation_queue"),
        )
    return case


# --- Early help started by a partner (issue 12, point 2) -----------------------------------


def _person_for(entry: dict, postcode: str) -> Person | None:
    """The front door's matching (cases.matching.candidates_for) for one person as the
    partner described them. `person_id`: the possible match they chose; `new_person`: they
    checked and none is this person. Neither: a certain match (same NHS number or UPN, or
    the same names and date of birth) is linked, and any other possible match must be
    chosen or ruled out first, so no second record is made of someone already known.
    None: a new person."""
    from cases.matching import Described, candidates_for

    described = Described(
        first_name=entry["first_name"].strip(),
        last_name=entry["last_name"].strip(),
        date_of_birth=entry.get("date_of_birth"),
        nhs_number=entry.get("nhs_number") or "",
        upn=entry.get("upn") or "",
    )
    candidates = candidates_for(described, postcode)
    name = f"{described.first_name} {described.last_name}"
    if entry.get("person_id"):
        chosen = next((c.person for c in candidates if c.person.pk == entry["person_id"]), None)
        if chosen is None:
            raise FieldError("people", f"Person {entry['person_id']} may not be {name}.")
        return chosen
    if entry.get("new_person"):
        return None
    for candidate in candidates:
        person = candidate.person
        same = (
            person.first_name.lower() == described.first_name.lower()
            and person.last_name.lower() == described.last_name.lower()
            and described.date_of_birth is not None
            and person.date_of_birth == described.date_of_birth
        )
        if candidate.exact or same:
            return person
    if candidates:
        ids = ", ".join(str(c.person.pk) for c in candidates)
        raise FieldError(
            "people",
            f"{name} may already be known (people {ids}): choose one as person_id, "
            "or set new_person if none of them is this person.",
        )
    return None


@transaction.atomic
def case_start_by_partner(
    *,
    acting_user,
    district,
    address_line_1: str,
    town: str,
    postcode: str,
    people: list[dict],
    consent: dict,
    level_of_need: int,
    reason: str,
    request=None,
) -> EarlyHelpCase:
    """A practitioner who knows the family (a school's safeguarding lead, a health visitor)
    starts early help without the front door: people matched as the front door would (no
    duplicates), consent recorded first, the practitioner leads, and the district's front
    door and team managers are told. `people`: [{first_name, last_name, date_of_birth,
    relationship, nhs_number?, upn?, person_id?, new_person?}] (see _person_for); `consent`:
    {given_by (index in people), given_on, method}."""
    from cases.access import may_start_early_help
    from cases.codes import Relationship
    from cases.models import FamilyMembership

    if not may_start_early_help(acting_user):
        raise DomainError(
            f"Only a practitioner or manager of a partner agency can start {term('early help')}."
        )
    if int(level_of_need) not in EARLY_HELP_LEVELS:
        raise FieldError(
            "level_of_need", f"Choose level 2 or 3: {term('early help')} levels of need."
        )
    if not people or not any(p.get("relationship") == Relationship.CHILD for p in people):
        raise FieldError("people", "Add at least one child.")
    index = consent.get("given_by")
    if not isinstance(index, int) or not 0 <= index < len(people):
        raise FieldError("consent", "Say which of the people gave consent.")
    reason = _check_text(reason, f"why the family needs {term('early help')}")
    persons = []
    for entry in people:
        person = _person_for(entry, postcode)
        if person is None:
            if not entry.get("date_of_birth"):
                raise FieldError(
                    "people", f"Enter {entry.get('first_name', 'each person')}'s date of birth."
                )
            person = Person.objects.create(
                first_name=entry["first_name"].strip(),
                last_name=entry["last_name"].strip(),
                date_of_birth=entry["date_of_birth"],
                nhs_number=entry.get("nhs_number") or None,
                upn=entry.get("upn") or None,
            )
            audit(user=acting_user, action=AuditAction.CREATE, record=person, request=request)
        persons.append(person)
    family = (
        Family.objects.filter(district=district, memberships__person__in=persons)
        .order_by("pk")
        .first()
    )
    if family is None:
        family = Family.objects.create(
            name=f"{persons[0].last_name} household",
            address_line_1=address_line_1.strip() or "Not known",
            town=town.strip() or district.name,
            postcode=postcode.strip().upper() or "ZZ99 9ZZ",
            district=district,
        )
        audit(user=acting_user, action=AuditAction.CREATE, record=family, request=request)
    members = set(family.memberships.values_list("person_id", flat=True))
    for person, entry in zip(persons, people, strict=True):
        if person.pk not in members:  # a person entered twice joins once
            FamilyMembership.objects.create(
                family=family, person=person, relationship=entry["relationship"]
            )
            members.add(person.pk)
    if family.cases.exclude(status=CaseStatus.CLOSED).exists():
        raise DomainError(
            f"This family already has an open {term('early help')} case. Ask its "
            f"{term('lead professional')} to add "
            "you to the Team Around the Family instead."
        )
    children = [
        p for p, e in zip(persons, people, strict=True) if e["relationship"] == Relationship.CHILD
    ]
    case = case_open(
        family=family,
        children=children,
        lead_agency=acting_user.agency,
        lead_professional=acting_user,
        level_of_need=int(level_of_need),
        opened_on=timezone.localdate(),
        acting_user=acting_user,
        origin=CaseOrigin.PARTNER,
        reason=reason,
        request=request,
    )
    consent_record(
        case=case,
        given_by=persons[index],
        given_on=consent.get("given_on") or timezone.localdate(),
        method=consent.get("method") or ConsentRecord.Method.IN_PERSON,
        shared_with=[acting_user.agency],
        acting_user=acting_user,
        request=request,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"{term('Early help')} started by {acting_user} ({acting_user.agency})",
        text=reason,
        author=acting_user,
        source=case,
    )

    for user in access.front_door_and_managers_for(district):
        if user.pk != acting_user.pk:
            notify(
                user=user,
                subject=f"{acting_user.agency} has started {term('early help')} ({case.reference})",
                # The front door knows of the case, but opens no case page: no link to one.
                url=page_url("case_detail", case.pk) if access.may_open_case(user, case) else "",
            )
    return case


def level_of_need_set(
    *,
    case: EarlyHelpCase,
    level_of_need: int,
    cause: str,
    reason: str,
    acting_user,
    changed_on: datetime.date | None = None,
) -> LevelOfNeedChange | None:
    """Move the case to `level_of_need`, inside the caller's transaction, whatever caused it
    (a judgement, a front door decision, a step up or down): one LevelOfNeedChange row (the
    indicators count them) and one chronology event, in the authority's own labels. None
    when the level does not change."""
    before, after = case.level_of_need, int(level_of_need)
    if before == after:
        return None
    changed_on = changed_on or timezone.localdate()
    case.level_of_need = after
    case.save(update_fields=["level_of_need"])
    change = LevelOfNeedChange.objects.create(
        case=case,
        level_before=before,
        level_after=after,
        cause=cause,
        reason=reason,
        changed_by=acting_user,
        changed_on=changed_on,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.STATUS,
        title=f"Level of need changed from {LevelOfNeed.label_for(before)} to "
        f"{LevelOfNeed.label_for(after)}",
        text=f"{change.get_cause_display()}. {reason}".strip(),
        occurred_on=changed_on,
        author=acting_user,
        source=change,
    )
    return change


@transaction.atomic
def case_level_change(
    *, case: EarlyHelpCase, level_of_need: int, reason: str, acting_user, request=None
) -> LevelOfNeedChange:
    """Move a case along the continuum within early help (2 to 3, 3 to 2), with a reason: by
    its lead professional or a team manager. Recorded in the chronology and the indicators."""
    _require_worker(acting_user, case)
    refused = level_change_refused_for(acting_user, case)
    if refused:
        raise DomainError(refused)
    if case.level_of_need not in EARLY_HELP_LEVELS:
        raise DomainError(
            f"Only a case at level 2 or 3 ({term('early help')}) can change level here."
        )
    if int(level_of_need) not in EARLY_HELP_LEVELS:
        raise FieldError(
            "level_of_need", f"Choose a level of need in {term('early help')} (2 or 3)."
        )
    if int(level_of_need) == case.level_of_need:
        raise FieldError("level_of_need", "The case is already at this level of need.")
    reason = _reason_given(reason, "Enter why the level of need is changing.")
    before = case.level_of_need
    change = level_of_need_set(
        case=case,
        level_of_need=level_of_need,
        cause=LevelOfNeedChange.Cause.REVIEW,
        reason=reason,
        acting_user=acting_user,
    )
    audit_change(
        case,
        by=acting_user,
        request=request,
        changes={"level_of_need": [str(before), str(level_of_need)]},
        reason=reason,
    )
    return change
