"""The outbox's sender: beat runs it every minute, and each transaction that owes an email
wakes it after commit. It takes no arguments: everything is in the database."""

from celery import shared_task

from earlyhelp.outbox import conf


@shared_task(
    name="outbox.send",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=conf.task_soft_time_limit(),
    time_limit=conf.task_time_limit(),
)
def outbox_send() -> dict:
    from earlyhelp.outbox import services

    return services.outbox_send().__dict__
