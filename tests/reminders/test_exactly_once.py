"""Exactly once with the real components: a Celery worker subprocess, Redis and the test
database. Emails are counted from the files the worker's email backend writes."""

import os
import signal
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from earlyhelp.notifications import notify, publish
from earlyhelp.outbox.models import MessageStatus, OutboxMessage
from partners import tasks as core_tasks
from reminders import services
from reminders import tasks as reminder_tasks
from reminders.models import OccurrenceStatus, ReminderOccurrence
from tests.conftest import signed_in

from .conftest import deadlines_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
DEAD_REDIS = "redis://127.0.0.1:1/0"


def barrier(queue: str) -> None:
    """Wait until a solo worker has finished everything queued before this."""
    assert core_tasks.health_check.apply_async(queue=queue).get(timeout=60)["districts"] >= 1


def assert_each_reminder_sent_once(workers, also: list[str] = ()) -> None:
    rows = list(ReminderOccurrence.objects.all())
    assert rows and all(r.status == OccurrenceStatus.SENT for r in rows)
    keys = [(r.kind, r.record_id, r.due_on, r.stage, r.recipient_id) for r in rows]
    assert len(keys) == len(set(keys))
    # The emails leave after the rows are marked (outside the claim transaction).
    wait_until(lambda: not OutboxMessage.objects.exclude(status=MessageStatus.SENT).exists())
    emails = workers.emails()
    for subject in also:
        emails.remove(subject)
    assert len(emails) == len(rows), emails


def test_a_rerun_sweep_through_a_real_worker_sends_each_reminder_once(
    workers, practitioner, district_manager
):
    workers.start()
    deadlines_for(practitioner)
    for _ in range(2):
        reminder_tasks.reminders_sweep.apply_async(queue=workers.queue)
        reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    barrier(workers.queue)
    # 3 cases x (due soon + due today + overdue) to the lead, + 3 escalations to the manager
    assert ReminderOccurrence.objects.count() == 12
    assert_each_reminder_sent_once(workers)
    assert "no personal details" in workers.mail_text()


def test_two_concurrent_sweeps_and_senders_on_two_workers_send_each_reminder_once(
    workers, practitioner, district_manager
):
    workers.start("a")
    workers.start("b")
    deadlines_for(practitioner, count=5)
    time.sleep(0.5)  # both consuming before the messages arrive
    for _ in range(2):
        reminder_tasks.reminders_sweep.apply_async(queue=workers.queue)
    for _ in range(4):
        reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    expected = 5 * 3 + 5
    # Under load the senders may all run before the sweep commits: beat's next minute.
    wait_until(lambda: ReminderOccurrence.objects.count() == expected, timeout=120)
    reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    wait_until(
        lambda: ReminderOccurrence.objects.filter(status=OccurrenceStatus.SENT).count() == expected,
        timeout=120,
    )
    for _ in range(2):
        barrier(workers.queue)
    assert_each_reminder_sent_once(workers)


def test_a_worker_killed_mid_send_leaves_the_reminders_pending_and_they_go_once(
    workers, practitioner, district_manager
):
    workers.pause_file.write_text("hold")
    doomed = workers.start("doomed")
    deadlines_for(practitioner, count=2)
    services.reminders_sweep()
    total = ReminderOccurrence.objects.count()
    reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    wait_until(lambda: os.path.exists(f"{workers.pause_file}.claimed"))
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    workers.pause_file.unlink()
    # Its transaction died with it: nothing marked sent, no email, no notification.
    wait_until(
        lambda: ReminderOccurrence.objects.filter(status=OccurrenceStatus.PENDING).count() == total
    )
    assert workers.emails() == []

    workers.start("fresh")
    reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)  # beat's next minute
    reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)  # and a redelivery
    barrier(workers.queue)
    assert_each_reminder_sent_once(workers)
    assert practitioner.notifications.count() == total - 2  # 2 escalations are the manager's


@contextmanager
def redis_down(settings):
    """Point this process's broker and cache at a port where nothing listens."""
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_REDIS
    celery_app._after_fork()  # drop pooled connections to the real broker
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    try:
        yield
    finally:
        celery_app.conf.broker_url = old
        celery_app._after_fork()


def test_no_reminder_is_lost_across_a_redis_outage_and_pages_keep_working(
    workers, practitioner, district_manager, client, settings, caplog
):
    workers.start()  # a worker on the real Redis, waiting for it to come back
    deadlines_for(practitioner, count=2)
    with redis_down(settings):
        # The web keeps working.
        for user, page in [
            (district_manager, "overdue"),
            (practitioner, "notification_list"),
            (practitioner, "notification_preferences"),
        ]:
            assert signed_in(client, user).get(reverse(page)).status_code == 200
        # A notification's email cannot be queued: logged, not raised.
        started = time.monotonic()
        notify(user=practitioner, subject="A request you made was decided", url="/")
        assert publish(reminder_tasks.reminders_send_pending) is False
        assert time.monotonic() - started < 10
        assert "task publish failed" in caplog.text
        assert "Priya" not in caplog.text
        # The sweep (run by hand, or by beat once it can) writes the reminders down.
        services.reminders_sweep()
    pending = ReminderOccurrence.objects.filter(status=OccurrenceStatus.PENDING).count()
    assert pending == 8

    # Redis is back: the worker and beat's periodic sender pick everything up, once, and
    # the notification's email, owed in the outbox, is no longer lost.
    reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    barrier(workers.queue)
    assert_each_reminder_sent_once(workers, also=["Early help: A request you made was decided"])
