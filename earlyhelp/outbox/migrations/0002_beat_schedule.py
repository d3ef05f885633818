"""The outbox sender runs every minute from beat (editable under Periodic tasks). It replaces
the notifications' five-minute "owed emails" catch-up, which re-sent emails."""

from django.db import migrations
from django.utils import timezone

NAME = "Outbox: send emails"
OLD = "Notifications: send owed emails"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "outbox.send",
            "interval": every,
            "crontab": None,
            "description": "Hands owed emails to the mail server; retries with back-off.",
        },
    )
    PeriodicTask.objects.filter(name=OLD).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("earlyhelp", "0006_owed_email_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
