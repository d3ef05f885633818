"""The reminders' beat schedule, in the database (django-celery-beat's DatabaseScheduler), so
administrators can change it under Administration > Periodic tasks.

- sweep every 15 minutes; send what is pending every minute;
- the daily digest at 07:00 Europe/London (clear of the 01:00-02:00 clock changes).
"""

from django.db import migrations

TASKS = [
    ("Reminders: sweep deadlines", "reminders.tasks.reminders_sweep", "interval", 15),
    ("Reminders: send pending", "reminders.tasks.reminders_send_pending", "interval", 1),
    ("Reminders: daily digest", "reminders.tasks.reminders_send_digests", "crontab", None),
]


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, kind, minutes in TASKS:
        if kind == "interval":
            schedule, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
            defaults = {"task": task, "interval": schedule, "crontab": None}
        else:
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour="7",
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Europe/London",
            )
            defaults = {"task": task, "crontab": schedule, "interval": None}
        defaults["description"] = "Added by the reminders app; safe to re-time."
        PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
    # Tell running beat processes the schedule changed.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
