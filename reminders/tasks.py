"""Celery tasks for reminders, run by beat from the schedule in the database
(migration 0002; editable under Periodic tasks in the admin). They take no arguments and
hold no state: everything they need is in PostgreSQL, so a lost or repeated message is
harmless."""

from celery import shared_task

from reminders import services


@shared_task(ignore_result=True, acks_late=True, time_limit=600, soft_time_limit=540)
def reminders_sweep() -> dict:
    """Every 15 minutes: write a pending row for each reminder newly due."""
    return services.reminders_sweep().as_dict()


@shared_task(ignore_result=True, acks_late=True, time_limit=120, soft_time_limit=100)
def reminders_send_pending() -> dict:
    """Every minute: send what is pending (including anything a broker outage held up)."""
    result = services.reminders_send_pending(max_seconds=30)
    from reminders.notices import notices_send_pending

    notices = notices_send_pending(max_seconds=15)
    return {**result.__dict__, "notices": notices.__dict__}


@shared_task(ignore_result=True, acks_late=True, time_limit=120, soft_time_limit=100)
def notices_send() -> dict:
    """Published after a change commits (a TAF member added, a meeting arranged): send the
    notices it owed now. The per-minute sender catches anything this misses."""
    from reminders.notices import notices_send_pending

    return notices_send_pending(max_seconds=45).__dict__


@shared_task(ignore_result=True, acks_late=True, time_limit=600, soft_time_limit=540)
def reminders_send_digests() -> int:
    """Daily at 07:00 Europe/London: one digest email per person who chose it."""
    return services.reminders_send_digests()
