"""Celery tasks for reporting. They take ids, and re-check access and state (STYLE.md)."""

from celery import shared_task


@shared_task(
    name="reporting.export_run",
    acks_late=True,
    time_limit=900,
    soft_time_limit=840,
)
def export_run(job_id: int) -> str:
    """Build one export. Safe to run twice: export_build claims the job with a conditional
    UPDATE, and a finished job is left as it is."""
    from reporting.exports import export_build

    return export_build(job_id).status


@shared_task(
    name="reporting.exports_start_waiting", ignore_result=True, time_limit=60, soft_time_limit=50
)
def exports_start_waiting() -> int:
    """Every minute: start exports asked for while the broker was down."""
    from reporting.exports import exports_start_waiting as start

    return start()


@shared_task(
    name="reporting.exports_delete_old", ignore_result=True, time_limit=600, soft_time_limit=540
)
def exports_delete_old() -> int:
    """Every hour: delete export files older than EXPORT_KEEP_HOURS."""
    from reporting.exports import exports_delete_old as delete

    return delete()
