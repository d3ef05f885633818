"""Every write to families, people and cases. One transaction each, audited."""

import datetime

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases.access import TAF_PERMISSION
from cases.models import (
    CaseStatus,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    Person,
    TeamAroundFamilyMember,
)
from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
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
    consent = ConsentRecord.objects.create(
        case=case,
        given_by=given_by,
        given_on=given_on,
        method=method,
        to_assessment=to_assessment,
        recorded_by=acting_user,
    )
    consent.shared_with.set(shared_with)
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
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=consent,
        request=request,
        changes={"withdrawn_on": [None, str(withdrawn_on)]},
    )
    return consent
