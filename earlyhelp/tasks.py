from celery import shared_task

from partners.models import District


@shared_task(time_limit=30, soft_time_limit=25)
def health_check() -> dict:
    """Proves a worker can reach the broker and the database: used by the status page and
    the test that runs a real task through a real worker."""
    return {"districts": District.objects.count()}


@shared_task(time_limit=60, soft_time_limit=50, ignore_result=True, acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    """Kept for messages already queued under this name: the outbox sends it."""
    from earlyhelp.notifications import notification_email_send

    return notification_email_send(notification_id)


@shared_task(time_limit=120, soft_time_limit=100, ignore_result=True)
def send_owed_notification_emails() -> int:
    """Beat's old catch-up entry: now the outbox sender, which never repeats a sent email."""
    from earlyhelp.notifications import owed_emails_send

    return owed_emails_send()
