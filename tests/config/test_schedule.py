"""Every entry of the beat schedule, as the migrations set it, can be published: each goes
through the real scheduler to a broker of the test's own. A task whose settings Celery
refuses (a soft time limit above its hard limit, say) would never run at all, and nothing
but a line in beat's log would say so."""

import inspect

import pytest
import redis
from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django_celery_beat.models import PeriodicTask
from kombu import Connection

from config.celery import app as celery_app
from earlyhelp.beat import CatchUpScheduler
from tests.earlyhelp.outbox.conftest import local_redis as broker  # noqa: F401 - fixture

# The scheduler closes the connection as beat does (close_old_connections), so the test
# cannot run inside a rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def schedule_as_migrated() -> set[str]:
    """The schedule the migrations write (a transactional test before this one emptied it)."""
    for migration in MigrationLoader(None).disk_migrations.values():
        for operation in migration.operations:
            if isinstance(operation, RunPython) and "PeriodicTask" in inspect.getsource(
                operation.code
            ):
                operation.code(apps, None)
    return set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True))


def test_every_entry_of_the_schedule_is_published(broker):  # noqa: F811
    scheduled = schedule_as_migrated()
    assert "Exports: start those asked for while the broker was down" in scheduled
    scheduler = CatchUpScheduler(app=celery_app)
    entries = [entry for name, entry in scheduler.schedule.items() if name in scheduled]
    assert {entry.name for entry in entries} == scheduled
    celery_app.loader.import_default_modules()  # as beat does: Celery checks a known task
    with Connection(broker.url) as connection:
        producer = celery_app.amqp.Producer(connection)
        for entry in entries:
            scheduler.apply_async(entry, producer=producer, advance=False)
    assert redis.Redis.from_url(broker.url).llen("celery") == len(entries)
