"""The allowed moves of a request for support, one function per verb.

    draft -> submitted -> in_triage (picked up) -> decided
                      \\-> closed (withdrawn / duplicate, with a reason)

Each move is a conditional UPDATE on (pk, status, version): if another officer moved the
request since this one loaded it, nothing is written and EditConflict says who did. Each
move appends a ReferralStatusHistory row and an audit row. Callers hold the transaction
(referrals/services.py).
"""

from django.db.models import F
from django.utils import timezone

from earlyhelp.audit import audit
from earlyhelp.errors import EditConflict, InvalidTransition
from earlyhelp.models import AuditAction
from referrals.models import Referral, ReferralStatus, ReferralStatusHistory

S = ReferralStatus

ALLOWED: dict[str, tuple[tuple[str, ...], str | None]] = {
    # verb: (from statuses, to status; None keeps the status)
    "submit": ((S.DRAFT,), S.SUBMITTED),
    "pick_up": ((S.SUBMITTED, S.IN_TRIAGE), S.IN_TRIAGE),
    "release": ((S.IN_TRIAGE,), S.SUBMITTED),
    "match": ((S.SUBMITTED, S.IN_TRIAGE), None),
    "decide": ((S.IN_TRIAGE,), S.DECIDED),
    "close": ((S.DRAFT, S.SUBMITTED, S.IN_TRIAGE), S.CLOSED),
}

VERB_PAST = {
    "submit": "submitted",
    "pick_up": "picked up",
    "release": "released",
    "match": "matched",
    "decide": "decided",
    "close": "closed",
}


def allowed(referral: Referral, verb: str) -> bool:
    return referral.status in ALLOWED[verb][0]


def _move(
    referral: Referral,
    *,
    verb: str,
    acting_user,
    expected_version: int | None = None,
    reason: str = "",
    request=None,
    **fields,
) -> Referral:
    sources, target = ALLOWED[verb]
    if referral.status not in sources:
        raise InvalidTransition(
            f"This request is {referral.get_status_display().lower()}, so it cannot be "
            f"{VERB_PAST[verb]} now."
        )
    version = referral.version if expected_version is None else expected_version
    to_status = target or referral.status
    updates = {"status": to_status, "version": F("version") + 1, "updated_at": timezone.now()}
    updates.update(fields)
    changed = Referral.objects.filter(pk=referral.pk, version=version, status__in=sources).update(
        **updates
    )
    if changed != 1:
        current = (
            Referral.objects.select_related("picked_up_by")
            .only("status", "picked_up_by")
            .get(pk=referral.pk)
        )
        who = current.picked_up_by.full_name if current.picked_up_by_id else "another officer"
        raise EditConflict(
            f"{who} changed this request while you were working on it (it is now "
            f"{current.get_status_display().lower()}). Nothing you entered has been saved "
            "over their work."
        )
    from_status = referral.status
    referral.refresh_from_db()
    ReferralStatusHistory.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        verb=verb,
        by=acting_user,
        reason=reason,
    )
    changes = {"status": [from_status, to_status]} if from_status != to_status else {}
    for key, value in fields.items():
        changes[key] = [None, None if value is None else str(getattr(value, "pk", value))]
    audit(
        user=acting_user,
        action=AuditAction.CHANGE,
        record=referral,
        request=request,
        changes=changes,
        reason=reason or verb,
    )
    return referral


def submit(referral: Referral, *, acting_user, request=None, **fields) -> Referral:
    return _move(referral, verb="submit", acting_user=acting_user, request=request, **fields)


def pick_up(referral: Referral, *, acting_user, reason: str = "", request=None) -> Referral:
    return _move(
        referral,
        verb="pick_up",
        acting_user=acting_user,
        reason=reason,
        request=request,
        picked_up_by=acting_user,
        picked_up_at=timezone.now(),
    )


def release(referral: Referral, *, acting_user, request=None) -> Referral:
    return _move(
        referral,
        verb="release",
        acting_user=acting_user,
        request=request,
        picked_up_by=None,
        picked_up_at=None,
    )


def match(referral: Referral, *, acting_user, request=None, **fields) -> Referral:
    return _move(referral, verb="match", acting_user=acting_user, request=request, **fields)


def decide(
    referral: Referral, *, acting_user, expected_version: int, reason: str, request=None, **fields
) -> Referral:
    return _move(
        referral,
        verb="decide",
        acting_user=acting_user,
        expected_version=expected_version,
        reason=reason,
        request=request,
        **fields,
    )


def close(
    referral: Referral, *, acting_user, reason: str, request=None, expected_version=None, **fields
) -> Referral:
    return _move(
        referral,
        verb="close",
        acting_user=acting_user,
        reason=reason,
        request=request,
        expected_version=expected_version,
        **fields,
    )
