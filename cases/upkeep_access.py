"""Who may correct, restrict and merge people and family records. Reads go through
cases/access.py; these rules only add who may *change* a record they can already reach."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases import access
from cases.models import EarlyHelpCase, Family, Person
from partners.models import Role

READ_ONLY = "You can read this record but not change it."


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_restrict(user) -> bool:
    """Restricting and lifting a restriction: team managers and administrators."""
    return _active(user) and user.role in (Role.TEAM_MANAGER, Role.ADMINISTRATOR)


def may_merge(user) -> bool:
    """Merging duplicate people: team managers (their scope decides which people)."""
    return _active(user) and user.role == Role.TEAM_MANAGER


def may_export_subject_access(user) -> bool:
    return _active(user) and user.role == Role.TEAM_MANAGER


def may_edit_family(user, family: Family) -> bool:
    """People who may work on one of the family's cases (a team manager in scope may also
    correct a family whose cases are closed)."""
    if not _active(user) or user.role in (Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR):
        return False
    cases = access.cases_visible_to(user).filter(family=family)
    if user.role == Role.TEAM_MANAGER:
        return cases.exists()
    return any(access.can_work_on_case(user, case) for case in cases.exclude(status="closed"))


def may_edit_person(user, person: Person) -> bool:
    families = Family.objects.filter(memberships__person=person)
    return any(may_edit_family(user, family) for family in families)


def get_family_for_upkeep(user, pk) -> Family:
    family = access.get_family_for(user, pk)
    if not may_edit_family(user, family):
        raise PermissionDenied(READ_ONLY)
    return family


def get_person_for_upkeep(user, pk) -> Person:
    person = access.get_person_for(user, pk)
    if not may_edit_person(user, person):
        raise PermissionDenied(READ_ONLY)
    return person


def get_record_for_restriction(user, kind: str, pk) -> Person | Family:
    """A team manager reaches records in their scope (restricted ones too: they may need to
    lift it); an administrator reaches any record by its number, as for the audit trail."""
    if not may_restrict(user):
        raise PermissionDenied("Only team managers and administrators restrict records.")
    model = Person if kind == "person" else Family
    records = model.objects.all()
    if user.role == Role.TEAM_MANAGER:
        family_ids = access.cases_in_scope(user).values("family_id")
        records = (
            records.filter(memberships__family_id__in=family_ids)
            if model is Person
            else records.filter(pk__in=family_ids)
        )
    try:
        return records.distinct().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_see_identity(user, record: Person | Family) -> bool:
    """Whether a page may show the name on a record the user reached for restriction."""
    if user.role == Role.ADMINISTRATOR:
        return False
    return not (record.restricted and not record.named_people.filter(pk=user.pk).exists())


def open_cases_of(family: Family):
    return EarlyHelpCase.objects.filter(family=family).exclude(status="closed")
