"""Each person's choice, per kind of message, of how to be told: an email each time, one
daily digest, or in the notifications page only. Whatever the choice, a message is written
once (in-app) and emailed at most once."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from reminders.models import Delivery, MessageKind, MessagePreference


def _default(user, kind: str) -> str:
    if kind == MessageKind.DEADLINES and getattr(user, "digest_reminders", False):
        return Delivery.DIGEST
    return Delivery.EMAIL


def preferences_for(user) -> dict[str, str]:
    chosen = dict(MessagePreference.objects.filter(user_id=user.pk).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, _default(user, kind)) for kind in MessageKind.values}


def deliveries_for(users: Iterable) -> dict[tuple[int, str], str]:
    """(user id, kind) -> delivery for many people in one query (the senders' batches)."""
    users = list(users)
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in MessagePreference.objects.filter(
            user_id__in=[u.pk for u in users]
        ).values_list("user_id", "kind", "delivery")
    }
    return {
        (u.pk, kind): chosen.get((u.pk, kind), _default(u, kind))
        for u in users
        for kind in MessageKind.values
    }


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str], request=None) -> dict[str, str]:
    """Save a person's own choices (kind -> delivery); audited as a change to the user."""
    before = preferences_for(user)
    for kind, delivery in choices.items():
        if kind not in MessageKind.values or delivery not in Delivery.values:
            raise DomainError("Choose how you want to get each kind of message.")
    changed = {k: [before[k], v] for k, v in choices.items() if before[k] != v}
    for kind, delivery in choices.items():
        MessagePreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    if MessageKind.DEADLINES in choices:
        digest = choices[MessageKind.DEADLINES] == Delivery.DIGEST
        get_user_model().objects.filter(pk=user.pk).update(digest_reminders=digest)
        user.digest_reminders = digest
    if changed:
        audit(user=user, action=AuditAction.CHANGE, record=user, request=request, changes=changed)
    return preferences_for(user)
