"""Write audit events. Every read and change of a child's record passes through here."""

import ipaddress

from django.conf import settings
from django.db import models

from earlyhelp.models import AuditAction, AuditEvent


def client_address(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    Each of the TRUSTED_PROXY_COUNT proxies in front of the app appends the address it saw,
    so the client is the entry that many places from the right; anything further left was
    written by the client and may be forged. With no trusted proxies (the default) the
    header is ignored and the connection's address is used. Also django-axes' client
    address (AXES_CLIENT_IP_CALLABLE), so lock-out and audit agree."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return _valid_ip(remote)
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return _valid_ip(remote)
    return _valid_ip(hops[-proxies]) or _valid_ip(remote)


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


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


def audit_change(
    record: models.Model, *, by, request=None, changes: dict | None = None, reason: str = ""
) -> AuditEvent:
    """A service changed one record: the audit row (who, the old and new values, why). The
    service writes its chronology entry as a call of its own (ADR 0017)."""
    return audit(
        user=by,
        action=AuditAction.CHANGE,
        record=record,
        request=request,
        changes=changes,
        reason=reason,
    )


def audit_many(
    request, action: str, record_type: str, *, reason: str = "", changes: dict | None = None
) -> AuditEvent:
    """A page or API call that reads many records at once (a search, a list, an export): one
    row by the signed-in user naming the kind of record, with what was shown in `reason`."""
    return audit(
        user=request.user,
        action=action,
        record_type=record_type,
        request=request,
        changes=changes,
        reason=reason,
    )
