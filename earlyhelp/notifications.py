"""Tell a user something: an in-app notification, and an email that carries only a link.

Emails never contain a family's personal details (DESIGN.md: sensitive data); the in-app
link goes through the access rules when opened.

Publishing the email task to the broker happens after commit and never breaks the caller:
if Redis is down, the page still works and the failure is logged (without personal data).
Reminders do not depend on the broker at all: their source of truth is the database
(reminders/models.py), and the periodic sender picks up whatever is pending.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

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


def notify(
    *, user, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification | None:
    """In-app notification, plus a link-only email after commit.

    `user.digest_reminders` applies to reminders only (reminders/services.py), so other
    notifications (triage outcomes) are still emailed one by one."""
    if not user.is_active:  # a leaver is told nothing, from the moment they leave
        return None
    wanted = bool(email and user.email)
    notification = Notification.objects.create(
        user=user, subject=subject, body=body, url=url, email_wanted=wanted
    )
    if wanted:
        from earlyhelp.tasks import send_notification_email

        transaction.on_commit(lambda: publish(send_notification_email, notification.pk))
    return notification


def notification_email_deliver(notification: Notification, *, attachments=()) -> bool:
    """Send the link-only email for one notification (the caller holds its row lock and
    sets emailed_at in the same transaction). Nothing goes to a user who has left.
    `attachments`: (filename, content, mimetype) tuples, e.g. a meeting's calendar file."""
    if not notification.user.is_active:
        return False
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    email_send(
        to=notification.user.email,
        subject=f"Early help: {notification.subject}",
        body=(
            f"{notification.subject}\n\nSign in to see the details: {link}\n\n"
            "This email contains no personal details. Do not reply to it."
        ),
        attachments=attachments,
    )
    return True


def email_send(*, to: str, subject: str, body: str, attachments=()) -> None:
    """The one place an email leaves the service (a notification's, or one to a TAF
    member without an account). `attachments`: (filename, content, mimetype) tuples."""
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def notification_email_send(notification_id: int) -> bool:
    """Send one notification's email once. Returns False if already sent (a retried task)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        notification_email_deliver(notification)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


def owed_emails_send(*, older_than_seconds: int = 120, batch: int = 200) -> int:
    """Send the emails still owed (their task was never published or was lost). Rows are
    claimed with SKIP LOCKED, so concurrent runs and the normal task never send twice."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    while True:
        with transaction.atomic():
            owed = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(email_wanted=True, emailed_at__isnull=True, created_at__lt=cutoff)
                .order_by("created_at")[:batch]
            )
            for notification in owed:
                notification_email_deliver(notification)
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
            sent += len(owed)
        if len(owed) < batch:
            return sent


def mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
