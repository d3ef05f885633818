"""Merging duplicate people (a team manager's decision) and undoing a merge.

Every row that points at the retired record (memberships, cases, requests, consent,
meetings, history...) is found from the model graph, not a hand-kept list, so a new app's
link to a person is moved too. What moved is written down, so undo puts it back exactly.
"""

from django.db import transaction
from django.utils import timezone

from cases.models import Person
from cases.upkeep import RecordErrors, history_add, reason_error
from cases.upkeep_access import may_merge
from earlyhelp.audit import audit_change
from earlyhelp.errors import DomainError
from records.models import PersonMerge

UNIQUE_IDENTIFIERS = ("nhs_number", "upn")


def _links():
    """(model, field name) for every foreign key to Person, M2M through tables included."""
    links = []
    for rel in Person._meta.related_objects:
        if rel.related_model in (PersonMerge, Person):
            continue
        if rel.many_to_many:
            through = rel.through
            field = next(
                f
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is Person and f.many_to_one
            )
            links.append((through, field.name))
        elif rel.one_to_many or rel.one_to_one:
            links.append((rel.related_model, rel.field.name))
    return links


def _unique_sets(model, field: str) -> list[tuple[str, ...]]:
    """Other columns that, with `field`, must be unique (so a moved row could clash)."""
    sets = [tuple(u) for u in model._meta.unique_together]
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fields and getattr(constraint, "condition", None) is None:
            sets.append(tuple(fields))
    return [tuple(f for f in s if f != field) for s in sets if field in s]


@transaction.atomic
def person_merge(
    *, kept: Person, retired: Person, acting_user, reason: str, request=None
) -> PersonMerge:
    """Move everything from `retired` to `kept`; the retired record stays, marked as merged,
    so links to it still resolve and the merge can be undone."""
    if not may_merge(acting_user):
        raise DomainError("Only team managers can merge records.")
    errors = {}
    reason = (reason or "").strip()
    if kept.pk == retired.pk:
        errors["other"] = "You cannot merge a record with itself. Choose the duplicate record"
    error = reason_error(
        reason, "Say why these records are the same person, in at least 10 characters"
    )
    if error:
        errors["reason"] = error
    if errors:
        raise RecordErrors(errors)
    kept, retired = (
        Person.objects.select_for_update().get(pk=kept.pk),
        Person.objects.select_for_update().get(pk=retired.pk),
    )
    if kept.merged_into_id or retired.merged_into_id:
        raise RecordErrors({"other": "One of these records has already been merged into another"})
    for name in UNIQUE_IDENTIFIERS:
        a, b = getattr(kept, name), getattr(retired, name)
        if a and b and a != b:
            label = "NHS numbers" if name == "nhs_number" else "unique pupil numbers"
            raise RecordErrors(
                {"other": f"These records have different {label}, so they are not the same person"}
            )
    moved: dict = {"rows": {}, "dropped": [], "filled": {}}
    for model, field in _links():
        label = f"{model._meta.label}.{field}"
        rows = model.objects.filter(**{field: retired})
        for others in _unique_sets(model, field):
            clash_values = model.objects.filter(**{field: kept}).values_list(*others)
            for row in rows:
                if tuple(
                    getattr(row, f if not model._meta.get_field(f).is_relation else f + "_id")
                    for f in others
                ) in set(clash_values):
                    # The kept record is already there (both in one household, say): keep a
                    # copy of the row so undo can put it back, then drop it.
                    moved["dropped"].append(
                        {"model": model._meta.label, "values": _row_values(row)}
                    )
                    row.delete()
        ids = list(model.objects.filter(**{field: retired}).values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: kept})
            moved["rows"][label] = ids
    for name in UNIQUE_IDENTIFIERS:
        if not getattr(kept, name) and getattr(retired, name):
            moved["filled"][name] = getattr(retired, name)
            setattr(retired, name, None)
            retired.save(update_fields=[name])
            setattr(kept, name, moved["filled"][name])
    retired.merged_into = kept
    retired.lock_version += 1
    retired.save(update_fields=["merged_into", "lock_version", "updated_at"])
    kept.lock_version += 1
    kept.save()
    merge = PersonMerge.objects.create(
        kept=kept, retired=retired, reason=reason, moved=moved, merged_by=acting_user
    )
    history_add(
        kept,
        acting_user=acting_user,
        summary=f"Merged with duplicate record {retired.pk}",
        changes={"Merged record": ["", f"Record {retired.pk}"]},
    )
    moved_counts = {label: len(ids) for label, ids in moved["rows"].items()}
    _audit_both(
        kept,
        retired,
        {"merged": [retired.pk, kept.pk], "moved": moved_counts},
        acting_user=acting_user,
        reason=reason,
        request=request,
    )
    return merge


def _audit_both(kept: Person, retired: Person, changes: dict, *, acting_user, reason, request):
    """A merge and its undo change both records: the same audit row on each."""
    for record in (kept, retired):
        audit_change(record, by=acting_user, request=request, changes=changes, reason=reason)


def _row_values(row) -> dict:
    return {
        f.attname: (v.isoformat() if hasattr(v, "isoformat") else v)
        for f in row._meta.concrete_fields
        for v in [getattr(row, f.attname)]
    }


@transaction.atomic
def merge_undo(*, merge: PersonMerge, acting_user, reason: str = "", request=None) -> PersonMerge:
    """Put back exactly what the merge moved; the retired record is live again."""
    from django.apps import apps

    if not may_merge(acting_user):
        raise DomainError("Only team managers can undo a merge.")
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise DomainError("This merge has already been undone.")
    kept = Person.objects.select_for_update().get(pk=merge.kept_id)
    retired = Person.objects.select_for_update().get(pk=merge.retired_id)
    for label, ids in merge.moved.get("rows", {}).items():
        model_label, field = label.rsplit(".", 1)
        apps.get_model(model_label).objects.filter(pk__in=ids).update(**{field: retired})
    for dropped in merge.moved.get("dropped", []):
        apps.get_model(dropped["model"]).objects.create(**dropped["values"])
    for name, value in merge.moved.get("filled", {}).items():
        setattr(kept, name, None)
        kept.save(update_fields=[name])
        setattr(retired, name, value)
    retired.merged_into = None
    retired.lock_version += 1
    retired.save()
    kept.lock_version += 1
    kept.save(update_fields=["lock_version", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = acting_user
    merge.save(update_fields=["undone_at", "undone_by"])
    history_add(
        kept,
        acting_user=acting_user,
        summary=f"Merge with record {retired.pk} undone",
        changes={"Merged record": [f"Record {retired.pk}", ""]},
    )
    _audit_both(
        kept,
        retired,
        {"merge_undone": [merge.pk, None]},
        acting_user=acting_user,
        reason=reason,
        request=request,
    )
    return merge


def likely_duplicates_of(person: Person, people, limit: int = 5) -> list[Person]:
    """Live records in `people` that may be the same person: same date (of birth or
    expected) and a similar name, or the same identifier. Retired records never appear."""
    from django.contrib.postgres.search import TrigramSimilarity
    from django.db.models import Q

    born = person.date_of_birth or person.expected_date
    near = Q(date_of_birth=born) | Q(expected_date=born)
    if person.nhs_number:
        near |= Q(nhs_number=person.nhs_number)
    return list(
        people.filter(merged_into__isnull=True)
        .exclude(pk=person.pk)
        .filter(near)
        .annotate(sim=TrigramSimilarity("last_name", person.last_name or person.first_name))
        .filter(sim__gt=0.3)
        .order_by("-sim", "pk")
        .distinct()[:limit]
    )
