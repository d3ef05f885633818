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

from earlyhelp.access_rules import Rule
from partners.models import AgencyKind, Role
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


def is_social_care(user) -> bool:
    return (
        _active(user)
        and user.role in (Role.PRACTITIONER, Role.TEAM_MANAGER)
        and user.agency is not None
        and user.agency.kind == AgencyKind.SOCIAL_CARE
    )


# Who may open the request form at all: every signed-in professional who works with families.
REFERRERS = Rule(
    "professionals who may request support",
    lambda user: (
        _active(user)
        and user.role in (Role.PRACTITIONER, Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT)
    ),
)
REFERRAL_READERS = Rule(
    "roles that see requests for support (scoped)",
    lambda user: (
        _active(user)
        and user.role in (Role.PRACTITIONER, Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT)
    ),
)
SOCIAL_CARE = Rule("children's social care staff", is_social_care)
