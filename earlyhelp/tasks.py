from celery import shared_task


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


@shared_task(time_limit=120, soft_time_limit=100, ignore_result=True, acks_late=True)
def used_form_tokens_remove() -> int:
    """Forget forms' one-time tokens once no resend of their form can still come."""
    from earlyhelp.pages import used_tokens_remove

    return used_tokens_remove()
