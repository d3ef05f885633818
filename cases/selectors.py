"""Reads for the casework pages. Always start from the user's scope (cases/access.py)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from cases import access
from cases.codes import Relationship
from cases.models import (
    ChronologyEntry,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    NoteCorrection,
    TeamAroundFamilyMember,
)
from partners.models import Agency, User


def case_list_for(
    user, *, status: str = "", level: int | None = None, district: int | None = None
) -> QuerySet[EarlyHelpCase]:
    """Cases in the user's scope, restricted ones included but flagged `masked` (the page
    shows 'Restricted record — contact X'). A constant number of queries per page."""
    named = Family.named_people.through.objects.filter(
        family_id=OuterRef("family_id"), user_id=user.pk
    )
    cases = (
        access.cases_in_scope(user)
        .select_related("family", "district", "lead_professional", "lead_agency")
        .annotate(named=Exists(named))
        .order_by("-opened_on", "-pk")
    )
    if status:
        cases = cases.filter(status=status)
    if level:
        cases = cases.filter(level_of_need=level)
    if district:
        cases = cases.filter(district_id=district)
    return cases


def get_case_for_work(user, pk) -> EarlyHelpCase:
    """The case if the user may record work on it; 404 out of scope, 403 if read-only."""
    case = access.get_case_for(user, pk)
    if not access.can_work_on_case(user, case):
        raise PermissionDenied("You can read this case but not record work on it.")
    return case


def chronology_for(case: EarlyHelpCase, *, kind: str = "") -> QuerySet[ChronologyEntry]:
    entries = (
        ChronologyEntry.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(
            Prefetch("corrections", NoteCorrection.objects.select_related("corrected_by"))
        )
    )
    if kind:
        entries = entries.filter(kind=kind)
    return entries


def children_of(case: EarlyHelpCase):
    return list(case.children.order_by("date_of_birth", "pk"))


def family_members(case: EarlyHelpCase) -> list[FamilyMembership]:
    return list(
        case.family.memberships.select_related("person").order_by("relationship", "person__pk")
    )


def adults_and_young_people(case: EarlyHelpCase) -> list[tuple[int, str]]:
    """Who can give consent: each adult, and children aged 12 or over (a young person
    where appropriate, by the professional's judgement)."""
    import datetime

    today = datetime.date.today()
    people = []
    for m in family_members(case):
        age = m.person.age_on(today)
        if m.relationship != Relationship.CHILD:
            people.append((m.person_id, f"{m.person.full_name} ({m.get_relationship_display()})"))
        elif age is not None and age >= 12:
            people.append((m.person_id, f"{m.person.full_name} (young person, {age})"))
    return people


def consents_for(case: EarlyHelpCase) -> list[ConsentRecord]:
    return list(
        case.consents.select_related("given_by", "recorded_by").prefetch_related("shared_with")
    )


def has_active_consent(case: EarlyHelpCase) -> bool:
    return case.consents.filter(withdrawn_on__isnull=True, to_assessment=True).exists()


def consented_agencies(case: EarlyHelpCase) -> QuerySet[Agency]:
    return Agency.objects.filter(
        Q(pk=case.lead_agency_id) | Q(consents__case=case, consents__withdrawn_on__isnull=True)
    ).distinct()


def taf_members_for(case: EarlyHelpCase, *, current_only: bool = True):
    members = case.taf_members.select_related("user", "agency")
    if current_only:
        members = members.filter(left_on__isnull=True)
    return list(members)


def users_who_may_join(case: EarlyHelpCase) -> QuerySet[User]:
    """Professionals from agencies the family has consented to share with (or the lead
    agency), in the case's district, not already on the team."""
    current = TeamAroundFamilyMember.objects.filter(
        case=case, left_on__isnull=True, user__isnull=False
    ).values("user_id")
    return (
        User.objects.filter(
            is_active=True,
            agency__in=consented_agencies(case),
            role__in=["practitioner", "team_manager", "front_door"],
            service_account__isnull=True,  # a partner system's account is not a person
        )
        .exclude(pk__in=current)
        .exclude(pk=case.lead_professional_id)
        .select_related("agency")
        .order_by("full_name")
    )
