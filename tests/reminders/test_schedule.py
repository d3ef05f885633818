import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app


@pytest.mark.django_db
def test_the_beat_schedule_is_in_the_database_and_names_real_tasks():
    tasks = {t.task: t for t in PeriodicTask.objects.filter(name__startswith="Reminders:")}
    assert set(tasks) == {
        "reminders.tasks.reminders_sweep",
        "reminders.tasks.reminders_send_pending",
        "reminders.tasks.reminders_send_digests",
    }
    assert tasks["reminders.tasks.reminders_sweep"].interval.every == 15
    assert tasks["reminders.tasks.reminders_send_pending"].interval.every == 1
    digest = tasks["reminders.tasks.reminders_send_digests"].crontab
    assert (digest.hour, digest.minute, str(digest.timezone)) == ("7", "0", "Europe/London")
    celery_app.loader.import_default_modules()
    assert set(tasks) <= set(celery_app.tasks)


def test_reminder_tasks_acknowledge_late_and_have_time_limits():
    from reminders import tasks

    for task in (tasks.reminders_sweep, tasks.reminders_send_pending, tasks.reminders_send_digests):
        assert task.acks_late and task.time_limit and task.ignore_result
    assert celery_app.conf.task_reject_on_worker_lost is True
