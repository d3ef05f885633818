from django.db import migrations

NAME = "Records: list records past retention"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    monthly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_month="1", month_of_year="*", day_of_week="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "records.tasks.retention_list_due",
            "crontab": monthly,
            "interval": None,
            "description": "Monthly: families past the retention schedule, for a manager.",
        },
    )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    apps.get_model("records", "RetentionSchedule").objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
