"""The allowed moves of a request for support, one function per verb.

    draft -> submitted -> in_triage (picked up) -> decided
                      \\-> closed (withdrawn / duplicate, with a reason)

Each move is a conditional UPDATE on (pk, status, version): if another officer moved the
request since this one loaded it, nothing is written and EditConflict says who did. Each
move appends a ReferralStatusHistory row and an audit row. Callers hold the transaction
(referrals/services.py).
"""

from django.utils import timezone

from earlyhelp.audit import audit_change
from earlyhelp.transitions import Machine, Move
from referrals.models import Referral, ReferralStatus, ReferralStatusHistory

S = ReferralStatus

REFERRAL = Machine(
    "referral",
    model=Referral,
    history=ReferralStatusHistory,
    noun="request",
    version_field="version",
    moves={
        "submit": Move((S.DRAFT,), S.SUBMITTED, "submitted"),
        "pick_up": Move((S.SUBMITTED, S.IN_TRIAGE), S.IN_TRIAGE, "picked up"),
        "release": Move((S.IN_TRIAGE,), S.SUBMITTED, "released"),
        "match": Move((S.SUBMITTED, S.IN_TRIAGE), None, "matched"),
        "decide": Move((S.IN_TRIAGE,), S.DECIDED, "decided"),
        "close": Move((S.DRAFT, S.SUBMITTED, S.IN_TRIAGE), S.CLOSED, "closed"),
    },
    final=(S.DECIDED, S.CLOSED),
    who_changed=lambda r: r.picked_up_by.full_name if r.picked_up_by_id else "Another officer",
)
ALLOWED = {verb: (move.sources, move.target) for verb, move in REFERRAL.moves.items()}


def allowed(referral: Referral, verb: str) -> bool:
    return REFERRAL.allowed(referral, verb)


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
    from_status = referral.status
    REFERRAL.move(
        referral,
        verb,
        acting_user=acting_user,
        reason=reason,
        expected_version=expected_version,
        updated_at=timezone.now(),
        **fields,
    )
    to_status = referral.status
    changes = {"status": [from_status, to_status]} if from_status != to_status else {}
    for key, value in fields.items():
        changes[key] = [None, None if value is None else str(getattr(value, "pk", value))]
    audit_change(referral, by=acting_user, request=request, changes=changes, reason=reason or verb)
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
