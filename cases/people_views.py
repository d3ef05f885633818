"""Person and family records, and 'who has seen this child's record'.

Casework pages (the case, consent, TAF, notes) live in cases/views.py.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from cases import access, restriction, upkeep_access
from cases.models import FamilyMembership, Person
from cases.selectors import record_and_merged_ids
from earlyhelp.audit import audit_view
from earlyhelp.models import AuditAction, AuditEvent
from partners import doors


def _cases_shown(user, **of):
    """The cases on a person's or a household's page: those `user` may see."""
    return (
        access.cases_visible_to(user)
        .filter(**of)
        .select_related("lead_professional", "lead_agency")
    )


@doors.CASE_DATA
def person_detail(request, pk: int):
    person = access.get_person_for(request.user, pk)
    audit_view(request, person)
    visible_families = access.families_visible_to(request.user)
    memberships = FamilyMembership.objects.filter(
        person=person, family__in=visible_families
    ).select_related("family", "family__district")
    cases = _cases_shown(request.user, children=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "cases": cases,
            "may_read_audit": access.may_read_audit(request.user),
            "may_edit": upkeep_access.may_edit_person(request.user, person),
            "may_restrict": upkeep_access.may_restrict(request.user),
            "may_merge": upkeep_access.may_merge(request.user),
            "may_export": upkeep_access.may_export_subject_access(request.user),
            "history": person.changes.select_related("changed_by")[:20],
        },
    )


@doors.CASE_DATA
def family_detail(request, pk: int):
    family = access.get_family_for(request.user, pk)
    audit_view(request, family)
    members = list(
        family.memberships.select_related("person").order_by(
            "relationship", "person__date_of_birth"
        )
    )
    restriction.mask_people(request.user, [m.person for m in members])
    cases = _cases_shown(request.user, family=family)
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "members": members,
            "cases": cases,
            "may_edit": upkeep_access.may_edit_family(request.user, family),
            "may_restrict": upkeep_access.may_restrict(request.user),
            "history": family.changes.select_related("changed_by")[:20],
        },
    )


@doors.AUDIT_READERS
def person_audit(request, pk: int):
    """Who has seen this child's record: every view, change, export or print of the person,
    their family, the family's cases and assessments. Managers see children in their scope;
    administrators see the trail by record number without the child's details."""
    if access.reads_audit_without_identity(request.user):
        person = Person.objects.filter(pk=pk).only("pk").first()
        if person is None:
            from django.http import Http404

            raise Http404
        show_identity = False
    else:
        person = access.get_person_for(request.user, pk)
        audit_view(request, person)
        show_identity = True
    # A merged-away record's trail belongs to the kept record while the merge stands.
    person_ids = record_and_merged_ids(pk)
    family_ids = list(
        FamilyMembership.objects.filter(person_id=pk).values_list("family_id", flat=True)
    )
    events = (
        AuditEvent.objects.filter(Q(person_id__in=person_ids) | Q(family_id__in=family_ids))
        .exclude(action__in=[AuditAction.SIGN_IN, AuditAction.SIGN_OUT])
        .select_related("user", "user__agency")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_audit.html",
        {"person": person, "show_identity": show_identity, "page": page},
    )
