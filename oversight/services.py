"""Writes for supervision and the consultation log: one transaction each, audited."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases import access
from cases.models import ChronologyKind, EarlyHelpCase, Family
from cases.services import _check_past_date, _check_text, chronology_add
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, FieldError
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from oversight.access import keeps_consultation_log, may_supervise
from oversight.models import Consultation, ConsultationOutcome, Supervision, SupervisionKind
from partners.models import Agency


@transaction.atomic
def supervision_record(
    *,
    case: EarlyHelpCase,
    acting_user,
    kind: str,
    held_on: datetime.date,
    discussion: str,
    decisions: str,
    next_supervision_on: datetime.date | None,
    request=None,
) -> Supervision:
    if not may_supervise(acting_user, case):
        raise DomainError("Only a team manager responsible for this case records supervision.")
    if kind not in SupervisionKind.values:
        raise DomainError("Choose case supervision or management oversight.")
    _check_past_date(held_on, case, "date of the supervision")
    if case.is_open and next_supervision_on is None:
        raise DomainError("Enter the date of the next supervision.")
    if next_supervision_on is not None and next_supervision_on <= held_on:
        raise DomainError("The next supervision must be after this one.")
    supervision = Supervision.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        discussion=_check_text(discussion, "what was discussed"),
        decisions=_check_text(decisions, "the decisions"),
        next_supervision_on=next_supervision_on,
        recorded_by=acting_user,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.DECISION,
        title=f"{supervision.get_kind_display()} recorded",
        text=supervision.decisions,
        occurred_on=held_on,
        author=acting_user,
        source=supervision,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=supervision, request=request)
    return supervision


@transaction.atomic
def consultation_record(
    *,
    acting_user,
    asked_on: datetime.date,
    asked_by_name: str,
    asked_by_agency: Agency | None,
    question: str,
    advice: str,
    outcome: str,
    family_id: int | None = None,
    follow_up_on: datetime.date | None = None,
    request=None,
) -> Consultation:
    """A consultant records advice given. A named family must be one the consultant can
    read (cases/access.py); otherwise the consultation is anonymous."""
    if not keeps_consultation_log(acting_user):
        raise DomainError(f"Only {term('early help')} consultants keep a consultation log.")
    if asked_on > timezone.localdate():
        raise FieldError("asked_on", "The date of the consultation cannot be in the future.")
    if outcome not in ConsultationOutcome.values:
        raise FieldError("outcome", "Choose the outcome of the consultation.")
    if follow_up_on is not None and follow_up_on < asked_on:
        raise FieldError("follow_up_on", "The follow-up date cannot be before the consultation.")
    family = None
    if family_id is not None:
        family = Family.objects.filter(
            pk__in=access.families_visible_to(acting_user).values("pk"), pk=family_id
        ).first()
        if family is None:
            raise FieldError(
                "family_id",
                "There is no family with that number you can see. Leave it blank to record "
                "the consultation anonymously.",
            )
    district = family.district if family else acting_user.districts.order_by("name").first()
    if district is None:
        raise DomainError("You have no district: ask an administrator to set one.")
    consultation = Consultation.objects.create(
        consultant=acting_user,
        district=district,
        asked_on=asked_on,
        asked_by_name=_check_text(asked_by_name, "who asked")[:150],
        asked_by_agency=asked_by_agency,
        family=family,
        question=_check_text(question, "the question"),
        advice=_check_text(advice, "the advice"),
        outcome=outcome,
        follow_up_on=follow_up_on,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=consultation, request=request)
    return consultation


@transaction.atomic
def consultation_outcome_set(
    *, consultation: Consultation, acting_user, outcome: str, request=None
) -> Consultation:
    if consultation.consultant_id != acting_user.pk:
        raise DomainError("Only the consultant who gave the advice records its outcome.")
    if outcome not in ConsultationOutcome.values:
        raise FieldError("outcome", "Choose the outcome of the consultation.")
    before = consultation.outcome
    consultation.outcome = outcome
    consultation.save(update_fields=["outcome", "updated_at"])
    audit_change(
        consultation, by=acting_user, request=request, changes={"outcome": [before, outcome]}
    )
    return consultation
