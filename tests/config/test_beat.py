"""Beat catches up after a broker outage (issue 17, point 12): a sweep or digest it could
not publish stays due, is not shown as run, and is published once when the broker is back.
Real beat scheduler, real Redis (a test-local redis-server that the test stops), real
database schedule."""

import datetime
import shutil
import tempfile
from pathlib import Path

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.celery import app as celery_app
from earlyhelp.beat import CatchUpScheduler
from tests.earlyhelp.outbox.conftest import LocalRedis

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = "beat-catch-up-test"


@pytest.fixture
def broker():
    folder = Path(tempfile.mkdtemp(prefix="ehb"))
    server = LocalRedis(folder)
    server.start()
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = server.url
    celery_app._after_fork()
    yield server
    celery_app.conf.broker_url = old
    celery_app._after_fork()
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


def sweep_every_15_minutes(last_run_at):
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    return dict(interval=every, last_run_at=last_run_at)


def digest_at_seven(last_run_at):
    seven, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    return dict(crontab=seven, last_run_at=last_run_at)


@pytest.mark.parametrize(
    "schedule, missed",
    [
        (sweep_every_15_minutes, datetime.timedelta(hours=1)),  # four sweeps missed
        (digest_at_seven, datetime.timedelta(days=2)),  # two digests missed
    ],
    ids=["sweep", "digest"],
)
def test_a_task_missed_while_the_broker_was_down_runs_once_when_it_is_back(
    broker, settings, schedule, missed
):
    settings.BEAT_PUBLISH_RETRY_SECONDS = 0.2
    last_run = timezone.now() - missed
    PeriodicTask.objects.all().delete()
    task = PeriodicTask.objects.create(
        name="Missed during the outage",
        task="earlyhelp.tasks.health_check",
        queue=QUEUE,
        **schedule(last_run),
    )
    scheduler = CatchUpScheduler(app=celery_app)
    assert scheduler.producer  # beat is connected before the outage
    counter = redis.Redis.from_url(broker.url)
    broker.stop()

    scheduler.tick()  # due, but the publish fails
    task.refresh_from_db()
    assert task.last_run_at == last_run  # not shown as run
    assert task.total_run_count == 0
    assert scheduler.tick() > 0  # waits before trying again, no busy loop

    broker.start()
    for _ in range(30):  # beat's loop, until the retry wait is over and it is sent
        scheduler.tick()
        if counter.llen(QUEUE):
            break
        __import__("time").sleep(0.1)
    for _ in range(5):
        scheduler.tick()
    assert counter.llen(QUEUE) == 1  # once, not once per missed slot
    scheduler.sync()
    task.refresh_from_db()
    assert task.last_run_at > last_run and task.total_run_count == 1


@celery_app.task(name="tests.beat.refused_by_celery", time_limit=1, soft_time_limit=2)
def refused_by_celery():
    """Celery refuses to publish it: its soft time limit is above its hard one."""


def test_an_entry_celery_refuses_is_logged_and_holds_back_no_other(broker, caplog):
    """Only an unreachable broker is an outage: an entry Celery itself refuses counts as run
    and is logged as an error, and the other entries due go at once, not after the wait
    meant for a broker that is down."""
    PeriodicTask.objects.all().delete()
    long_ago = timezone.now() - datetime.timedelta(days=1)
    broken = PeriodicTask.objects.create(
        name="Refused by Celery",
        task="tests.beat.refused_by_celery",
        queue=QUEUE,
        **sweep_every_15_minutes(long_ago - datetime.timedelta(hours=1)),  # first in line
    )
    PeriodicTask.objects.create(
        name="Healthy",
        task="earlyhelp.tasks.health_check",
        queue=QUEUE,
        **sweep_every_15_minutes(long_ago),
    )
    scheduler = CatchUpScheduler(app=celery_app)
    counter = redis.Redis.from_url(broker.url)
    for _ in range(3):
        scheduler.tick()
    assert counter.llen(QUEUE) == 1  # the healthy entry went without waiting
    assert "beat could not publish Refused by Celery: soft_time_limit" in caplog.text
    scheduler.sync()
    broken.refresh_from_db()
    assert broken.total_run_count == 1  # counted as run, not retried every few seconds
