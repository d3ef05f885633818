"""Every email once through faults, measured with the real components: Celery workers in
their own processes, an SMTP server in the test (aiosmtpd) that can be slow or refuse a
recipient, PostgreSQL and Redis. Emails are counted at the SMTP server per outbox key, and
each reminder key is one (reminder, stage, person)."""

import time
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from config.celery import app as celery_app
from earlyhelp.outbox.models import MessageStatus, OutboxMessage
from reminders import services as reminder_services
from reminders.models import OccurrenceStatus, ReminderOccurrence
from tests import factories
from tests.conftest import signed_in
from tests.reminders.conftest import deadlines_for

from .conftest import drain, record_fault, tally

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def reminder_keys() -> list[str]:
    return [f"reminder:{pk}" for pk in ReminderOccurrence.objects.values_list("pk", flat=True)]


def per_reminder_stage_person(smtp) -> Counter:
    """Emails received per (reminder, stage, person)."""
    got = smtp.handler.keys()
    rows = ReminderOccurrence.objects.values_list("pk", "kind", "record_id", "stage", "recipient")
    return Counter({(k, r, s, p): got[f"reminder:{pk}"] for pk, k, r, s, p in rows})


def kick(queue: str):
    return lambda: celery_app.send_task("outbox.send", queue=queue)


def send_reminders(queue: str, **options):
    return celery_app.send_task("reminders.tasks.reminders_send_pending", queue=queue, **options)


def test_a_worker_killed_while_emails_are_in_flight_repeats_at_most_the_one_in_hand(
    mail_workers, smtp_server, practitioner, district_manager
):
    """The worker is killed at the worst moment, known rather than hoped for: the mail
    server has the sixth email and holds its answer (continuation lines keep the sender
    from timing out) until the worker is dead. So exactly that email is in flight, and only
    it may go twice; none is lost."""
    smtp_server.handler.delay = 0.15
    smtp_server.handler.hold_at = 6
    deadlines_for(practitioner, count=8)
    reminder_services.reminders_sweep()
    keys = reminder_keys()
    assert len(keys) == 32
    # 5 s, not FAST's 1.5 s, for an answer: on a loaded machine a late answer would count as
    # a failed try and that email would go twice with no kill at all. Each worker is solo and
    # only one sends at a time, so no run reclaims a message another is still sending.
    slow_answers = {
        "OUTBOX_SMTP_TIMEOUT": "5",
        "OUTBOX_TASK_SOFT_TIME_LIMIT": "30",
        "OUTBOX_TASK_TIME_LIMIT": "40",
    }
    doomed = mail_workers.start("doomed", **slow_answers)
    takes_over = f"{mail_workers.queue}-after"
    # Starts up meanwhile, on its own queue: it sends nothing until the kill.
    mail_workers.start("fresh", queue=takes_over, **slow_answers)
    send_reminders(mail_workers.queue)
    # A bound for a broken run only: the worker starting up on a loaded machine took 60 s.
    assert smtp_server.handler.held.wait(timeout=300), "the sixth email never arrived"
    held = smtp_server.handler.held_key
    mail_workers.kill(doomed)
    smtp_server.handler.release.set()
    in_flight = list(
        OutboxMessage.objects.filter(status=MessageStatus.SENDING).values_list("key", flat=True)
    )
    assert in_flight == [held]  # the outbox knows the one email that may go twice
    assert ReminderOccurrence.objects.filter(status=OccurrenceStatus.SENT).count() == 32

    drain(kick(takes_over), owed=len(keys))
    duplicates, losses = tally(smtp_server, keys)
    record_fault(
        "worker killed mid-send (SIGKILL)",
        len(keys),
        duplicates,
        losses,
        f"{len(in_flight)} message in flight at the kill",
    )
    assert losses == 0
    repeated = {key for key, count in smtp_server.handler.keys().items() if count > 1}
    assert repeated <= {held} and duplicates <= 1
    assert max(per_reminder_stage_person(smtp_server).values()) <= 2
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 32


def test_a_slow_mail_server_never_runs_a_send_past_its_time_limit_and_sends_each_once(
    mail_workers, smtp_server, practitioner, district_manager
):
    """0.8 s a message, soft limit 4 s: a run claims only what its time allows and the
    next run carries on; nothing is rolled back and sent again."""
    smtp_server.handler.delay = 0.8
    deadlines_for(practitioner, count=3)
    reminder_services.reminders_sweep()
    reminder_services.reminders_send_pending(email=False)  # rows -> outbox, no SMTP
    keys = reminder_keys()
    assert len(keys) == 12  # 12 x 0.8 s = 9.6 s: over twice the task's soft limit
    mail_workers.start(OUTBOX_TASK_SOFT_TIME_LIMIT="4", OUTBOX_TASK_TIME_LIMIT="6")
    started = time.monotonic()
    drain(kick(mail_workers.queue), owed=len(keys))
    duplicates, losses = tally(smtp_server, keys)
    record_fault(
        "slow SMTP (0.8 s a message)",
        len(keys),
        duplicates,
        losses,
        f"drained in {time.monotonic() - started:.0f} s, soft limit 4 s",
    )
    assert (duplicates, losses) == (0, 0)
    assert not OutboxMessage.objects.exclude(status=MessageStatus.SENT).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_a_refused_mailbox_fails_after_its_tries_and_never_holds_up_the_others(
    mail_workers,
    smtp_server,
    practitioner,
    district_manager,
    eh_team,
    district,
    client,
    administrator,
):
    refused = factories.UserFactory(
        full_name="Rhys Refused",
        agency=eh_team,
        districts=[district],
        email="gone@example.test",
    )
    smtp_server.handler.refuse = {"gone@example.test"}
    deadlines_for(refused, count=3)
    deadlines_for(practitioner, count=5)
    reminder_services.reminders_sweep()
    keys = reminder_keys()
    bad = [
        f"reminder:{pk}"
        for pk in ReminderOccurrence.objects.filter(recipient=refused).values_list("pk", flat=True)
    ]
    good = [k for k in keys if k not in bad]
    assert len(bad) == 9 and len(good) == 23
    mail_workers.start()
    send_reminders(mail_workers.queue)
    drain(kick(mail_workers.queue), owed=len(keys), every=0.5)
    duplicates, losses = tally(smtp_server, good)
    record_fault(
        "refused recipient (550)",
        len(good),
        duplicates,
        losses,
        f"{len(bad)} to the refused mailbox failed after 3 tries each "
        f"({smtp_server.handler.refusals} attempts)",
    )
    assert (duplicates, losses) == (0, 0)
    failed = OutboxMessage.objects.filter(status=MessageStatus.FAILED)
    assert sorted(failed.values_list("key", flat=True)) == sorted(bad)
    assert set(failed.values_list("attempts", flat=True)) == {3}
    assert smtp_server.handler.refusals == 3 * len(bad)
    assert "refused the recipient (code 550)" in failed.first().last_error
    assert "gone@example.test" not in failed.first().last_error
    # An administrator sees them.
    page = signed_in(client, administrator).get(
        reverse("admin:outbox_outboxmessage_changelist") + "?status__exact=failed"
    )
    assert page.status_code == 200
    assert page.content.decode().count("refused the recipient") == len(bad)


def test_a_postgresql_restart_mid_send_repeats_at_most_the_message_in_flight(
    private_database, mail_workers, smtp_server, practitioner, district_manager
):
    """The worker and the outbox run on a PostgreSQL server of our own, which is stopped
    (fast shutdown: every session cut) and started again while emails are going out.

    Each step waits for the one before it instead of for a time, so a loaded machine only
    makes it slower: the mail server holds its answer to the fifth email while PostgreSQL
    stops (the sender is then past the point of no return: the email has arrived, the
    sender cannot record it), the sender's task and a sender started meanwhile are seen to
    fail for want of a database before PostgreSQL starts again, and only then is the
    outbox read."""
    smtp_server.handler.delay = 0.15
    smtp_server.handler.hold_at = 5
    deadlines_for(practitioner, count=4)
    reminder_services.reminders_sweep()
    keys = reminder_keys()
    assert len(keys) == 16
    # 5 s, not FAST's 1.5 s, for an answer: on a loaded machine a late answer would count as
    # a failed try and that email would go twice with no restart at all.
    worker = mail_workers.start(
        OUTBOX_SMTP_TIMEOUT="5", OUTBOX_TASK_SOFT_TIME_LIMIT="30", OUTBOX_TASK_TIME_LIMIT="40"
    )
    sending = send_reminders(mail_workers.queue, ignore_result=False)
    # A bound for a broken run only: the worker starting up on a loaded machine took 60 s.
    assert smtp_server.handler.held.wait(timeout=300), "the fifth email never arrived"
    held = smtp_server.handler.held_key
    connection.close()
    started = time.monotonic()
    private_database.stop("primary")
    sent_while_down = sum(smtp_server.handler.keys().values())
    smtp_server.handler.release.set()  # the mail server accepts the email in hand
    sending.get(timeout=120, propagate=False)
    assert sending.failed()  # it could not record the email sent, nor anything after
    finds_none = celery_app.send_task("outbox.send", queue=mail_workers.queue, ignore_result=False)
    finds_none.get(timeout=120, propagate=False)
    assert finds_none.failed()  # the sender finds no database
    private_database.start("primary")
    down = time.monotonic() - started
    in_flight = list(
        OutboxMessage.objects.filter(status=MessageStatus.SENDING).values_list("key", flat=True)
    )
    assert in_flight == [held]  # the outbox knows the one email that may go twice
    assert worker.poll() is None  # the worker lives through it
    drain(kick(mail_workers.queue), owed=len(keys), timeout=120)
    duplicates, losses = tally(smtp_server, keys)
    record_fault(
        "PostgreSQL restarted mid-send",
        len(keys),
        duplicates,
        losses,
        f"pg_ctl stop -m fast + start, down {down:.1f} s after {sent_while_down} sent; "
        f"{len(in_flight)} in flight",
    )
    assert losses == 0
    repeated = {key for key, count in smtp_server.handler.keys().items() if count > 1}
    assert repeated <= {held} and duplicates <= 1
    assert max(per_reminder_stage_person(smtp_server).values()) <= 2
    assert ReminderOccurrence.objects.filter(status=OccurrenceStatus.SENT).count() == len(keys)
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == len(keys)


def test_redis_down_loses_no_email_and_sends_each_once_when_it_returns(
    mail_workers,
    smtp_server,
    local_redis,
    practitioner,
    district_manager,
    front_door_officer,
    settings,
    monkeypatch,
):
    """A worker on a Redis of our own; Redis stops while reminders and notifications are
    owed, and starts again: everything goes out once, from the database."""
    from earlyhelp.notifications import notify

    outage = float(__import__("os").environ.get("EARLYHELP_FAULT_REDIS_SECONDS", "3"))
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = local_redis.url
    celery_app._after_fork()
    try:
        mail_workers.start(REDIS_URL=local_redis.url)
        deadlines_for(practitioner, count=4)
        local_redis.stop()
        started = time.monotonic()
        settings.OUTBOX_WAKE_SENDER = True  # the publish fails quietly; the email is owed
        reminder_services.reminders_sweep()
        reminder_services.reminders_send_pending(email=False)
        for _ in range(3):
            notify(user=front_door_officer, subject="A request needs a decision", url="/")
        assert time.monotonic() - started < 30
        time.sleep(max(0.0, outage - (time.monotonic() - started)))
        local_redis.start()
        drain(kick(mail_workers.queue), owed=16 + 3, timeout=90, every=2.0)
    finally:
        celery_app.conf.broker_url = old
        celery_app._after_fork()
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) == 16 + 3
    duplicates, losses = tally(smtp_server, keys)
    record_fault(
        f"Redis down {outage:.0f} s",
        len(keys),
        duplicates,
        losses,
        "local redis-server stopped and started",
    )
    assert (duplicates, losses) == (0, 0)
