"""Who sees which requests for support (DESIGN.md "Access"; modelled on cases/access.py).

- front door officer: every request for their districts, and their own;
- practitioner: the requests they made (or entered);
- team manager: requests in their districts if their agency is a council early help team,
  otherwise requests made by or allocated to their agency;
- early help consultant: read-only, requests in their districts;
- strategic viewer and administrator: none.

Drafts are seen only by the person writing them. Lists use the scoped queryset; single
records use get_referral_for, which raises Http404 out of scope.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from earlyhelp.errors import FieldError
from partners.models import Agency, Role, User
from referrals.models import Referral, ReferralStatus


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _user_district_ids(user):
    return user.districts.through.objects.filter(user_id=user.pk).values("district_id")


def _own(user) -> Q:
    return Q(created_by_id=user.pk) | Q(referrer_user_id=user.pk)


def _scope(user, allocated_agency: str = "decision__allocated_agency_id") -> Q | None:
    if not _active(user):
        return None
    role = user.role
    not_draft = ~Q(status=ReferralStatus.DRAFT)
    in_districts = Q(district_id__in=_user_district_ids(user)) & not_draft
    if role == Role.PRACTITIONER:
        return _own(user)
    if role == Role.FRONT_DOOR:
        return _own(user) | in_districts
    if role == Role.TEAM_MANAGER:
        agency = user.agency
        if agency is not None and agency.is_council_early_help:
            return _own(user) | in_districts
        return _own(user) | (
            not_draft
            & (Q(referrer_agency_id=user.agency_id) | Q(**{allocated_agency: user.agency_id}))
        )
    if role == Role.CONSULTANT:
        return _own(user) | in_districts
    return None


def referrals_visible_to(user) -> QuerySet[Referral]:
    scope = _scope(user)
    if scope is None:
        return Referral.objects.none()
    # Drafts belong to their author alone, whatever the role.
    return Referral.objects.filter(scope).exclude(
        Q(status=ReferralStatus.DRAFT) & ~Q(created_by_id=user.pk)
    )


def referral_columns_visible_to(user) -> Q | None:
    """referrals_visible_to(user) as a filter over copies of a request's columns (status,
    district_id, created_by_id, referrer_user_id, referrer_agency_id, allocated_agency_id),
    for the reporting summaries: the same rules without joining back. None: no requests."""
    scope = _scope(user, "allocated_agency_id")
    if scope is None:
        return None
    return scope & ~(Q(status=ReferralStatus.DRAFT) & ~Q(created_by_id=user.pk))


def get_referral_for(user, pk) -> Referral:
    try:
        return (
            referrals_visible_to(user)
            .select_related("district", "referrer_agency", "picked_up_by", "created_by")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def duplicated_request(user, pk: int | None) -> Referral | None:
    """The request another is closed as a duplicate of: one the user can see, or a
    FieldError next to the reference they gave."""
    if not pk:
        return None
    found = referrals_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise FieldError("duplicate_of", "There is no request with that reference you can see")
    return found


def can_triage(user, referral: Referral) -> bool:
    """Front door officers triage requests for their own districts."""
    if not _active(user) or user.role != Role.FRONT_DOOR:
        return False
    return user.districts.filter(pk=referral.district_id).exists()


def can_edit_draft(user, referral: Referral) -> bool:
    return (
        _active(user)
        and referral.status == ReferralStatus.DRAFT
        and referral.created_by_id == user.pk
    )


def can_withdraw(user, referral: Referral) -> bool:
    """The referrer may withdraw their own open request; the front door may close any it
    triages (withdrawn or duplicate)."""
    if not referral.is_open and referral.status != ReferralStatus.DRAFT:
        return False
    if referral.status == ReferralStatus.DRAFT:
        return can_edit_draft(user, referral)
    return can_triage(user, referral) or (
        _active(user) and user.pk in (referral.created_by_id, referral.referrer_user_id)
    )


def records_on_behalf(user) -> bool:
    """Front door officers record phone and email requests for the people who made them,
    so the form does not fill the referrer's details from the officer's own."""
    return _active(user) and user.role == Role.FRONT_DOOR


def front_door_officers_for(district_id: int) -> QuerySet:
    """Who is told at once about a request in their district (significant harm)."""
    return front_door_officers().filter(districts=district_id).distinct()


def front_door_agencies() -> QuerySet:
    """Agencies whose staff include front door officers: the front door, not a district
    team to allocate to."""
    return Agency.objects.filter(staff__role=Role.FRONT_DOOR).values("pk")


def is_council_manager(user) -> bool:
    """A manager of one of the council's own early help teams: triage's overseer."""
    return (
        user.role == Role.TEAM_MANAGER
        and bool(user.agency_id)
        and user.agency.is_council_early_help
    )


def is_partner_manager(user) -> bool:
    """A partner agency's manager (a school's, a trust's): triage is not their work."""
    return user.role == Role.TEAM_MANAGER and not is_council_manager(user)


def front_door_officers() -> QuerySet:
    return User.objects.filter(role=Role.FRONT_DOOR, is_active=True, service_account__isnull=True)
