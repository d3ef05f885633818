from celery import shared_task


@shared_task(name="records.tasks.retention_list_due", time_limit=1800, soft_time_limit=1700)
def retention_list_due() -> int:
    """Monthly (beat, 1st of the month, 03:30): list families past retention."""
    from records.retention import retention_list_due as run

    return len(run())
