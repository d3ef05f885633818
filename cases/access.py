"""The access rules for children's records, in one place (DESIGN.md, "Access").

Every page, API endpoint, export and background job that shows case data to a person asks
these functions. Lists use the scoped querysets (one query, no per-row checks); single
records use get_*_for, which applies the same queryset and raises Http404 when the record
is out of scope, so guessing an ID reveals nothing.

- practitioner: cases they lead, or sit on the TAF for (a guardian grant) while the family's
  consent covers sharing with their agency;
- front door officer: searches everyone's identity details; case detail only once a case is
  allocated to them (lead or TAF), as for a practitioner;
- team manager: every case in their districts if their agency is a council early help team,
  otherwise every case led by their agency;
- early help consultant: read access to cases in their districts;
- strategic viewer: no records, figures only;
- administrator: no records, except a family opened by an audited, time-limited break glass.

Restricted families and people are hidden from everyone but the named people, who still see
that a restricted record exists and whom to contact.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import (
    BreakGlass,
    ConsentRecord,
    EarlyHelpCase,
    EarlyHelpCaseUserObjectPermission,
    Family,
    Person,
)
from earlyhelp.errors import DomainError
from partners.models import Role

TAF_PERMISSION = "work_on_case"


class RestrictedRecord(DomainError):
    """The record is in the user's scope but restricted to named people."""

    def __init__(self, contact: str):
        super().__init__(contact)
        self.contact = contact or "your team manager"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _user_district_ids(user):
    return user.districts.through.objects.filter(user_id=user.pk).values("district_id")


def _taf_case_ids(user):
    return EarlyHelpCaseUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=TAF_PERMISSION
    ).values("content_object_id")


def _own_case_ids(user) -> QuerySet:
    """Ids of the cases I lead, or whose TAF I am on while consent covers my agency.

    A UNION of two indexed lookups rather than an OR across them: PostgreSQL cannot use an
    index for `lead = me OR id IN (...)`, and at county scale that OR costs a full scan."""
    led = EarlyHelpCase.objects.filter(lead_professional_id=user.pk).values("pk")
    on_taf = (
        EarlyHelpCaseUserObjectPermission.objects.filter(
            user_id=user.pk, permission__codename=TAF_PERMISSION
        )
        .filter(
            Q(content_object__lead_agency_id=user.agency_id)
            | Exists(
                ConsentRecord.objects.filter(
                    case=OuterRef("content_object_id"),
                    withdrawn_on__isnull=True,
                    shared_with__id=user.agency_id,
                )
            )
        )
        .values("content_object_id")
    )
    return led.union(on_taf, all=True)


def _case_scope(user, case_id: str = "pk") -> Q | None:
    """The Q that selects a user's cases before restriction, or None for no cases at all.
    `case_id` names the case's id column (another table copying a case's columns)."""
    if not _active(user):
        return None
    own = _own_case_ids(user)
    mine = Q(**{f"{case_id}__in": own})
    role = user.role
    if role in (Role.PRACTITIONER, Role.FRONT_DOOR):
        return mine
    # Wide scopes stay plain column filters (index-friendly for a whole authority); the
    # user's own cases are added as ids.
    if role == Role.TEAM_MANAGER:
        agency = user.agency
        if agency is not None and agency.is_council_early_help:
            return Q(district_id__in=_user_district_ids(user)) | mine
        return Q(lead_agency_id=user.agency_id) | mine
    if role == Role.CONSULTANT:
        return Q(district_id__in=_user_district_ids(user)) | mine
    if role == Role.ADMINISTRATOR:
        return Q(family_id__in=_break_glass_family_ids(user))
    return None


def _break_glass_family_ids(user):
    return BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values(
        "family_id"
    )


def _not_restricted_for(user, prefix: str = "") -> Q:
    named = {f"{prefix}named_people": user.pk}
    return Q(**{f"{prefix}restricted": False}) | Q(**named)


def cases_in_scope(user) -> QuerySet[EarlyHelpCase]:
    """Cases the user's role and place reach, restricted ones included (shown masked)."""
    scope = _case_scope(user)
    if scope is None:
        return EarlyHelpCase.objects.none()
    return EarlyHelpCase.objects.filter(scope)


def cases_visible_to(user) -> QuerySet[EarlyHelpCase]:
    """Cases whose details the user may read."""
    scope = _case_scope(user)
    if scope is None:
        return EarlyHelpCase.objects.none()
    return EarlyHelpCase.objects.filter(scope).filter(
        Q(family__restricted=False)
        | Q(
            family_id__in=Family.named_people.through.objects.filter(user_id=user.pk).values(
                "family_id"
            )
        )
    )


def case_columns_visible_to(user, *, case_id: str) -> Q | None:
    """cases_visible_to(user) as a filter over copies of a case's own columns (`case_id`,
    district_id, lead_agency_id, family_id, family_restricted), for the reporting summaries:
    the same rules, without joining back to the cases. None: no cases at all."""
    scope = _case_scope(user, case_id)
    if scope is None:
        return None
    named = Family.named_people.through.objects.filter(user_id=user.pk).values("family_id")
    return scope & (Q(family_restricted=False) | Q(family_id__in=named))


def get_case_for(user, pk) -> EarlyHelpCase:
    """The case if the user may read it; Http404 if out of scope; RestrictedRecord if
    restricted and the user is not named on it."""
    try:
        case = cases_in_scope(user).select_related("family").get(pk=pk)
    except (EarlyHelpCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    family = case.family
    if family.restricted and not family.named_people.filter(pk=user.pk).exists():
        raise RestrictedRecord(family.restricted_contact)
    return case


def can_work_on_case(user, case: EarlyHelpCase) -> bool:
    """May record work (notes, assessments, plans) on a case the user can already read."""
    if not _active(user) or not case.is_open:
        return False
    if user.role in (Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR):
        return False
    if case.lead_professional_id == user.pk:
        return True
    if user.role == Role.TEAM_MANAGER:
        return True
    return EarlyHelpCase.objects.filter(Q(pk=case.pk) & Q(pk__in=_own_case_ids(user))).exists()


def families_visible_to(user) -> QuerySet[Family]:
    """Families whose details the user may read: those with a case the user may read."""
    return (
        Family.objects.filter(pk__in=cases_visible_to(user).values("family_id"))
        .filter(_not_restricted_for(user))
        .distinct()
    )


def get_family_for(user, pk) -> Family:
    try:
        family = Family.objects.filter(pk__in=cases_in_scope(user).values("family_id")).get(pk=pk)
    except (Family.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if family.restricted and not family.named_people.filter(pk=user.pk).exists():
        raise RestrictedRecord(family.restricted_contact)
    return family


def people_visible_to(user) -> QuerySet[Person]:
    """People whose records the user may read: members of families the user may read."""
    return (
        Person.objects.filter(memberships__family__in=families_visible_to(user))
        .filter(_not_restricted_for(user))
        .distinct()
    )


def get_person_for(user, pk) -> Person:
    try:
        person = (
            Person.objects.filter(
                memberships__family__in=Family.objects.filter(
                    pk__in=cases_in_scope(user).values("family_id")
                )
            )
            .distinct()
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if person.restricted and not person.named_people.filter(pk=user.pk).exists():
        raise RestrictedRecord(person.restricted_contact)
    # A child of a restricted household is as restricted as its address.
    hidden_family = (
        Family.objects.filter(memberships__person=person, restricted=True)
        .exclude(named_people=user.pk)
        .first()
    )
    if hidden_family is not None:
        raise RestrictedRecord(hidden_family.restricted_contact)
    return person


def may_search_people(user) -> bool:
    """Front door officers search the whole authority for matches (identity only)."""
    return _active(user) and user.role in (Role.FRONT_DOOR, Role.TEAM_MANAGER)


def people_searchable_by(user) -> QuerySet[Person]:
    """Identity search: the whole authority for the front door, otherwise the user's people.
    Restricted people appear only as 'restricted record' rows to those not named."""
    if may_search_people(user):
        return Person.objects.all()
    return people_visible_to(user)


def break_glass_open(*, user, family: Family, reason: str, request=None) -> BreakGlass:
    from datetime import timedelta

    from earlyhelp.audit import audit
    from earlyhelp.models import AuditAction

    if not _active(user) or user.role != Role.ADMINISTRATOR:
        raise DomainError("Only administrators can break glass.")
    if len(reason.strip()) < 10:
        raise DomainError("Give the reason for opening this record, in at least 10 characters.")
    grant = BreakGlass.objects.create(
        user=user,
        family=family,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=4),
    )
    audit(
        user=user,
        action=AuditAction.BREAK_GLASS,
        record=family,
        request=request,
        reason=reason.strip(),
    )
    return grant
