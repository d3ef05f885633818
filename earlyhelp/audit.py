"""Write audit events. Every read and change of a child's record passes through here."""

from django.db import models

from earlyhelp.models import AuditAction, AuditEvent


def client_address(request) -> str | None:
    if request is None:
        return None
    # Behind the production proxy the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def _subject_ids(record) -> tuple[int | None, int | None]:
    """(person_id, family_id) that a record is about, for 'who has seen this child'."""
    if record is None:
        return None, None
    name = record._meta.model_name
    if name == "person":
        return record.pk, None
    if name == "family":
        return None, record.pk
    family_id = getattr(record, "family_id", None)
    if family_id is None and getattr(record, "case_id", None) is not None:
        family_id = record.case.family_id
    return None, family_id


def audit(
    *,
    user,
    action: str,
    record: models.Model | None = None,
    record_type: str = "",
    record_id: int | None = None,
    request=None,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    person_id, family_id = _subject_ids(record)
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        record_type=record_type or (record._meta.model_name if record is not None else ""),
        record_id=record_id if record_id is not None else getattr(record, "pk", None),
        person_id=person_id,
        family_id=family_id,
        path=(request.path[:300] if request is not None else ""),
        ip_address=client_address(request),
        changes=changes or {},
        reason=reason,
    )


def audit_view(request, record: models.Model) -> AuditEvent:
    return audit(user=request.user, action=AuditAction.VIEW, record=record, request=request)
