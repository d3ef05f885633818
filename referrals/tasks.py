from celery import shared_task


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def email_outcome_to_external_referrer(referral_id: int) -> bool:
    from referrals.services import external_referrer_outcome_send

    return external_referrer_outcome_send(referral_id)
