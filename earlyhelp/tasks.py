from celery import shared_task


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
