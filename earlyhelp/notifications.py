"""Tell a user something: an in-app notification, and an email that carries only a link.

Emails never contain a family's personal details (DESIGN.md: sensitive data); the in-app
link goes through the access rules when opened.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from earlyhelp.models import Notification


def notify(
    *, user, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    notification = Notification.objects.create(user=user, subject=subject, body=body, url=url)
    if email and user.email and not user.digest_reminders:
        from earlyhelp.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


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
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        send_mail(
            subject=f"Early help: {notification.subject}",
            message=(
                f"{notification.subject}\n\nSign in to see the details: {link}\n\n"
                "This email contains no personal details. Do not reply to it."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


def mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
