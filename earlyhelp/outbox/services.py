"""Write emails to the outbox, and send them (docs/adr/0004-reminders-exactly-once.md).

Enqueueing happens inside the caller's transaction, so an email is owed exactly when the
change that owes it is committed. Sending happens outside any transaction, one message at a
time, with a committed state change before and after the talk with the mail server:

- a sender that dies after claiming but before sending leaves `claimed` messages that were
  never handed over: they go back to the queue unchanged;
- a sender that dies (or hits its time limit) while talking to the mail server leaves one
  message in `sending`: it is the only one that can go twice (at-least-once at the SMTP
  boundary, bounded by one message per sender that died);
- a mail server that refuses or fails one message costs that message a try and a back-off;
  the next messages go on; after OUTBOX_MAX_ATTEMPTS tries it is `failed` for an
  administrator to see (Administration > Email outbox) and send again.
"""

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from earlyhelp.outbox import conf
from earlyhelp.outbox.models import MessageKind, MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Earlyhelp-Message"


# --- Writing -------------------------------------------------------------------------------


def message_enqueue(
    *,
    key: str,
    kind: str,
    to_address: str,
    subject: str,
    body: str,
    recipient=None,
    notification=None,
    attachments=(),
) -> OutboxMessage | None:
    """Owe one email. Idempotent on `key`: owing it again writes nothing and returns None.
    Call inside the transaction of the change that owes it; a sender is told after commit."""
    if not to_address:
        return None
    message = OutboxMessage(
        key=key,
        kind=kind,
        to_address=to_address,
        subject=subject[:300],
        body=body,
        recipient=recipient,
        notification=notification,
        attachments=[
            {
                "filename": filename,
                "content": content.decode() if isinstance(content, bytes) else content,
                "mimetype": mimetype,
            }
            for filename, content, mimetype in attachments
        ],
        next_attempt_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # already owed under this key
        return None
    _wake_sender_after_commit()
    return message


def _wake_sender():
    from earlyhelp.notifications import publish
    from earlyhelp.outbox.tasks import outbox_send

    publish(outbox_send)


def _wake_sender_after_commit() -> None:
    """One publish per transaction, however many emails it owes. If the broker is down the
    publish fails quietly: beat's sender finds the message in the database."""
    if not getattr(settings, "OUTBOX_WAKE_SENDER", True):
        return
    if connection.in_atomic_block and any(
        entry[1] is _wake_sender for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_wake_sender)


def message_retry(*, message: OutboxMessage, acting_user) -> OutboxMessage:
    """An administrator sends a failed message again (with a fresh set of tries)."""
    from earlyhelp.audit import audit
    from earlyhelp.models import AuditAction

    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            failed_at=None,
        )
        if updated:
            audit(
                user=acting_user,
                action=AuditAction.CHANGE,
                record=message,
                changes={"status": [MessageStatus.FAILED, MessageStatus.PENDING]},
                reason="email sent again by an administrator",
            )
            _wake_sender_after_commit()
    message.refresh_from_db()
    return message


# --- Sending -------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    recovered: int = 0
    claims: int = 0


def _sender_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def outbox_recover_stale() -> int:
    """Messages left `claimed` or `sending` by a sender that died go back to the queue.
    `claimed` ones were never handed to the mail server; a `sending` one may have been
    (the one possible duplicate per dead sender); its try is already counted."""
    cutoff = timezone.now() - _seconds(conf.stale_seconds())
    now = timezone.now()
    back = OutboxMessage.objects.filter(status=MessageStatus.CLAIMED, claimed_at__lt=cutoff).update(
        status=MessageStatus.PENDING, claimed_by="", claimed_at=None
    )
    stuck = OutboxMessage.objects.filter(status=MessageStatus.SENDING, sending_at__lt=cutoff)
    given_up = stuck.filter(attempts__gte=conf.max_attempts()).update(
        status=MessageStatus.FAILED,
        failed_at=now,
        last_error="The sender stopped while sending; no tries left.",
    )
    retry = stuck.update(
        status=MessageStatus.PENDING,
        claimed_by="",
        next_attempt_at=now,
        last_error="The sender stopped while sending.",
    )
    return back + given_up + retry


def _seconds(value: float):
    import datetime

    return datetime.timedelta(seconds=value)


def backoff_seconds(attempts: int) -> float:
    return min(conf.retry_max_seconds(), conf.retry_base_seconds() * 2 ** max(0, attempts - 1))


def _claim(sender: str, limit: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(
                status=MessageStatus.CLAIMED, claimed_by=sender, claimed_at=now
            )
    return list(OutboxMessage.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"))


def _release(sender: str) -> int:
    """Claimed but not started (time ran out, or an error): back to the queue, no try used."""
    return OutboxMessage.objects.filter(status=MessageStatus.CLAIMED, claimed_by=sender).update(
        status=MessageStatus.PENDING, claimed_by="", claimed_at=None
    )


def describe_error(exc: BaseException) -> str:
    """What went wrong, for the administrator, without the address (personal data)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return f"The mail server refused the recipient (code {', '.join(codes)})."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server answered {exc.smtp_code}."
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The send task reached its time limit while sending."
    if isinstance(exc, TimeoutError | socket.timeout):
        return "The mail server did not answer in time."
    if isinstance(exc, OSError):
        return f"The mail server could not be reached ({exc.__class__.__name__})."
    return f"Could not send ({exc.__class__.__name__})."


def _after_error(message: OutboxMessage, exc: BaseException) -> str:
    """Count the try: back-off, or failed when no tries are left."""
    now = timezone.now()
    attempts = OutboxMessage.objects.filter(pk=message.pk).values_list("attempts", flat=True)[0]
    error = describe_error(exc)
    mine = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    if attempts >= conf.max_attempts():
        mine.update(status=MessageStatus.FAILED, failed_at=now, last_error=error, claimed_by="")
        outcome = "failed"
    else:
        mine.update(
            status=MessageStatus.PENDING,
            next_attempt_at=now + _seconds(backoff_seconds(attempts)),
            last_error=error,
            claimed_by="",
        )
        outcome = "retry"
    logger.warning(
        "email not sent: message=%s kind=%s try=%s outcome=%s error=%s",
        message.pk,
        message.kind,
        attempts,
        outcome,
        exc.__class__.__name__,
    )
    return outcome


def _mark_sent(message: OutboxMessage) -> None:
    now = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, sent_at=now, last_error="", claimed_by=""
        )
        if message.notification_id:
            Notification = OutboxMessage._meta.get_field("notification").related_model
            Notification.objects.filter(pk=message.notification_id).update(emailed_at=now)


def _mail_connection():
    return get_connection(timeout=conf.smtp_timeout())


def _hand_over(message: OutboxMessage, mail_connection) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={KEY_HEADER: message.key},
        connection=mail_connection,
    )
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    email.send(fail_silently=False)


def outbox_send(
    *, max_seconds: float | None = None, only_ids: list[int] | None = None
) -> SendResult:
    """Send what is due, one message at a time, until nothing is due or the time is nearly
    up. Claims only as many as the time left allows at the worst case per message
    (OUTBOX_SMTP_TIMEOUT), so a run never needs its time limit; if the soft limit comes
    anyway it is re-raised after the message in hand is recorded and the rest released."""
    if max_seconds is None:
        max_seconds = conf.task_soft_time_limit() - conf.per_message_worst_seconds()
    result = SendResult()
    result.recovered = outbox_recover_stale()
    sender = _sender_id()
    started = time.monotonic()
    worst = conf.per_message_worst_seconds()
    mail_connection = None
    try:
        while True:
            left = max_seconds - (time.monotonic() - started)
            if left < worst and result.claims:
                break
            limit = max(1, min(conf.batch(), int(left // worst)))
            if only_ids is not None:
                messages = _claim_ids(sender, only_ids)
            else:
                messages = _claim(sender, limit)
            if not messages:
                break
            result.claims += 1
            for message in messages:
                if time.monotonic() - started > max_seconds - worst and result.sent:
                    break  # the rest go back to the queue in `finally`
                started_sending = OutboxMessage.objects.filter(
                    pk=message.pk, status=MessageStatus.CLAIMED, claimed_by=sender
                ).update(
                    status=MessageStatus.SENDING,
                    sending_at=timezone.now(),
                    attempts=F("attempts") + 1,
                )
                if not started_sending:
                    continue
                try:
                    if mail_connection is None:
                        mail_connection = _mail_connection()
                    _hand_over(message, mail_connection)
                except SoftTimeLimitExceeded as exc:
                    _after_error(message, exc)
                    raise
                except Exception as exc:  # noqa: BLE001 - one bad message must not stop the rest
                    outcome = _after_error(message, exc)
                    result.failed += outcome == "failed"
                    result.retried += outcome == "retry"
                    mail_connection = _close(mail_connection)
                    continue
                _mark_sent(message)
                result.sent += 1
            if only_ids is not None:
                break
    finally:
        result.released = _release(sender)
        _close(mail_connection)
    return result


def _claim_ids(sender: str, ids: list[int]) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        found = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=MessageStatus.PENDING)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=found).update(
            status=MessageStatus.CLAIMED, claimed_by=sender, claimed_at=now
        )
    return list(OutboxMessage.objects.filter(pk__in=found).order_by("pk"))


def _close(mail_connection):
    if mail_connection is not None:
        with contextlib.suppress(Exception):  # it is being thrown away anyway
            mail_connection.close()
    return None


def message_for(key: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(key=key).first()


__all__ = [
    "MessageKind",
    "MessageStatus",
    "OutboxMessage",
    "message_enqueue",
    "message_retry",
    "outbox_send",
    "outbox_recover_stale",
]
