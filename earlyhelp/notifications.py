"""Tell a user something: an in-app notification, and an email that carries only a link.

Emails never contain a family's personal details (DESIGN.md: sensitive data); the in-app
link goes through the access rules when opened.

Every email goes through the outbox (outbox/): it is written in the caller's transaction
and sent by a worker afterwards, so nothing depends on the broker being up at the time.
Publishing a task never breaks the caller: if Redis is down, the page still works, the
failure is logged (without personal data) and beat's sender finds the email later.
"""

import logging

from django.db.models import Count
from django.utils import timezone

from earlyhelp.compiled import CompiledRead
from earlyhelp.models import Notification

logger = logging.getLogger(__name__)

# Short, bounded retries: a page must not hang on a dead broker.
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


def publish(task, *args, queue: str | None = None) -> bool:
    """Send a task to the broker; on failure log it and return False instead of raising.

    Callers must keep what the task would do in the database, so that a periodic task can
    finish the job when the broker is back (reminders do exactly that)."""
    options = {"retry": True, "retry_policy": PUBLISH_RETRY_POLICY}
    if queue:
        options["queue"] = queue
    try:
        task.apply_async(args=args, **options)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the page must go on
        logger.warning("task publish failed: task=%s error=%s", task.name, exc.__class__.__name__)
        return False
    return True


def page_url(name: str, *args) -> str:
    """The address of a page to link a notification to; "" when this deployment does not
    have the page (an app left out), so the notification is sent without a link."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def notify(
    *, user, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification | None:
    """In-app notification, plus a link-only email owed in the outbox (outbox/), written in
    the same transaction: the email is owed exactly when the notification exists.

    `user.digest_reminders` applies to reminders only (reminders/services.py), so other
    notifications (triage outcomes) are still emailed one by one."""
    if not user.is_active:  # a leaver is told nothing, from the moment they leave
        return None
    wanted = bool(email and user.email)
    notification = Notification.objects.create(
        user=user, subject=subject, body=body, url=url, email_wanted=wanted
    )
    if wanted:
        notification_email_enqueue(notification, key=f"notification:{notification.pk}")
    return notification


def notification_email_enqueue(
    notification: Notification, *, key: str, kind: str = "", attachments=()
):
    """Owe the link-only email of one notification (the text is in outbox/emails.py).
    `attachments`: (filename, content, mimetype) tuples, e.g. a meeting's calendar file."""
    from earlyhelp.outbox.emails import notification_email
    from earlyhelp.outbox.models import MessageKind
    from earlyhelp.outbox.services import message_enqueue

    subject, text = notification_email(subject=notification.subject, url=notification.url)
    return message_enqueue(
        key=key,
        kind=kind or MessageKind.NOTIFICATION,
        to_address=notification.user.email,
        subject=subject,
        body=text,
        recipient=notification.user,
        notification=notification,
        attachments=attachments,
    )


def email_enqueue(*, key: str, to: str, subject: str, body: str, kind: str, attachments=()):
    """Owe an email to an address without an account (a TAF member from outside), through
    the same outbox: sent once, after the caller's transaction commits."""
    from earlyhelp.outbox.services import message_enqueue

    return message_enqueue(
        key=key, kind=kind, to_address=to, subject=subject, body=body, attachments=attachments
    )


def notification_email_send(notification_id: int) -> bool:
    """Send one notification's email now if it is still owed. Returns False if it was sent
    already (or is being sent by someone else)."""
    from earlyhelp.outbox.models import OutboxMessage
    from earlyhelp.outbox.services import outbox_send

    ids = list(
        OutboxMessage.objects.filter(notification_id=notification_id).values_list("pk", flat=True)
    )
    return bool(ids) and outbox_send(only_ids=ids).sent > 0


def owed_emails_send() -> int:
    """Send every email the outbox owes that is due (the broker lost or never carried the
    wake-up). Each message is claimed on its own, so this never repeats a sent email."""
    from earlyhelp.outbox.services import outbox_send

    return outbox_send().sent


def mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# Every page's header shows the count: compiled once per process (earlyhelp/compiled.py).
_UNREAD = CompiledRead(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    ),
    user_id=-918273645546372819,
)


def unread_count(user) -> int:
    row = _UNREAD.first(user_id=user.pk)
    return row[0] if row else 0
