import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("earlyhelp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_process_init.connect
def _settle(**_):
    """Each worker process, once forked with the tasks loaded (config/process.py)."""
    from config.process import settle_after_start

    settle_after_start()
