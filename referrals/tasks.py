from celery import shared_task


@shared_task(time_limit=60, soft_time_limit=50, ignore_result=True)
def email_outcome_to_external_referrer(referral_id: int) -> bool:
    """Kept for messages already queued under this name: the outbox sends the email."""
    from referrals.services import external_referrer_outcome_send

    return external_referrer_outcome_send(referral_id)
