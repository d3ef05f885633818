"""Celery: rebuild the reporting summaries on beat's schedule (every 10 minutes)."""

from celery import shared_task


@shared_task(name="summaries.refresh", time_limit=600, soft_time_limit=540)
def refresh() -> dict:
    from reporting.summaries.refresh import summaries_refresh

    done = summaries_refresh()
    return {"refreshed": done is not None, "seconds": done.seconds if done else None}
