from celery import shared_task

from partners.models import District


@shared_task(time_limit=30, soft_time_limit=25)
def health_check() -> dict:
    """Proves a worker can reach the broker and the database: used by the status page and
    the test that runs a real task through a real worker."""
    return {"districts": District.objects.count()}


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
    acks_late=True,
)
def send_notification_email(notification_id: int) -> bool:
    from earlyhelp.notifications import notification_email_send

    return notification_email_send(notification_id)


@shared_task(time_limit=300, soft_time_limit=280, ignore_result=True)
def send_owed_notification_emails() -> int:
    """Beat runs this every few minutes: emails whose task never reached a worker."""
    from earlyhelp.notifications import owed_emails_send

    return owed_emails_send()
