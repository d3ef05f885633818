"""The outbox's rules, in one process against the real database."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from earlyhelp.notifications import notify
from earlyhelp.outbox import services
from earlyhelp.outbox.models import MessageKind, MessageStatus, OutboxMessage
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def owe(n: int, **kwargs) -> list[OutboxMessage]:
    return [
        services.message_enqueue(
            key=f"test:{i}",
            kind=MessageKind.NOTIFICATION,
            to_address=f"person{i}@example.test",
            subject="Something needs you",
            body="Sign in to see it.",
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 3


def test_owing_the_same_email_twice_writes_one_message(locmem):
    assert owe(1)[0] is not None
    assert owe(1) == [None]
    assert OutboxMessage.objects.count() == 1


class TimeLimitOnSecond(LocmemBackend):
    calls = 0

    def send_messages(self, messages):
        TimeLimitOnSecond.calls += 1
        if TimeLimitOnSecond.calls == 2:
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)


def test_the_soft_time_limit_is_raised_not_swallowed_and_nothing_is_left_claimed(settings, locmem):
    settings.EMAIL_BACKEND = f"{__name__}.TimeLimitOnSecond"
    TimeLimitOnSecond.calls = 0
    owe(5)
    with pytest.raises(SoftTimeLimitExceeded):
        services.outbox_send(max_seconds=30)
    statuses = sorted(OutboxMessage.objects.values_list("status", flat=True))
    # one sent, the one in hand back in the queue with its try counted, three never touched
    assert statuses == ["pending"] * 4 + ["sent"]
    in_hand = OutboxMessage.objects.get(attempts=1, status=MessageStatus.PENDING)
    assert "time limit" in in_hand.last_error
    assert len(mail.outbox) == 1


class RefuseFirstAddress(LocmemBackend):
    def send_messages(self, messages):
        import smtplib

        if messages[0].to == ["person0@example.test"]:
            raise smtplib.SMTPRecipientsRefused({"person0@example.test": (550, b"No such user")})
        return super().send_messages(messages)


def test_a_refused_address_backs_off_then_fails_and_the_others_go(settings, locmem):
    settings.EMAIL_BACKEND = f"{__name__}.RefuseFirstAddress"
    owe(4)
    result = services.outbox_send(max_seconds=30)
    assert (result.sent, result.retried) == (3, 1)
    refused = OutboxMessage.objects.get(key="test:0")
    assert refused.status == MessageStatus.PENDING and refused.attempts == 1
    assert refused.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert services.outbox_send(max_seconds=30).sent == 0  # not due yet: no hammering
    for attempt in (2, 3):
        OutboxMessage.objects.filter(pk=refused.pk).update(next_attempt_at=timezone.now())
        services.outbox_send(max_seconds=30)
        refused.refresh_from_db()
        assert refused.attempts == attempt
    assert refused.status == MessageStatus.FAILED
    assert refused.last_error == "The mail server refused the recipient (code 550)."
    assert services.backoff_seconds(2) == 120


def test_a_message_left_sending_by_a_dead_sender_goes_again_and_one_left_claimed_is_untouched(
    locmem, settings
):
    settings.OUTBOX_STALE_SECONDS = 60
    sending, claimed, fresh = owe(3)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=sending.pk).update(
        status=MessageStatus.SENDING, sending_at=long_ago, claimed_at=long_ago, attempts=1
    )
    OutboxMessage.objects.filter(pk=claimed.pk).update(
        status=MessageStatus.CLAIMED, claimed_at=long_ago
    )
    OutboxMessage.objects.filter(pk=fresh.pk).update(
        status=MessageStatus.SENDING, sending_at=timezone.now(), attempts=1
    )
    assert services.outbox_send(max_seconds=30).sent == 2
    assert OutboxMessage.objects.get(pk=sending.pk).attempts == 2
    assert OutboxMessage.objects.get(pk=claimed.pk).attempts == 1
    # still within its time: another sender may be talking to the mail server right now
    assert OutboxMessage.objects.get(pk=fresh.pk).status == MessageStatus.SENDING


def test_a_run_claims_only_what_its_time_allows(locmem, settings):
    settings.OUTBOX_SMTP_TIMEOUT = 10
    owe(6)
    result = services.outbox_send(max_seconds=25)
    # 25 s at 10 s worst case a message: claims of 2, three of them for 6 messages
    assert (result.sent, result.claims) == (6, 3)


def test_a_notification_owes_its_email_in_the_same_transaction(locmem, practitioner):
    n = notify(user=practitioner, subject="A request was decided", url="/requests/1/")
    message = OutboxMessage.objects.get()
    assert (message.key, message.notification, message.to_address) == (
        f"notification:{n.pk}",
        n,
        practitioner.email,
    )
    assert "/requests/1/" in message.body and "no personal details" in message.body
    services.outbox_send(max_seconds=30)
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_an_administrator_reads_an_email_in_the_admin_but_cannot_add_change_or_delete_it(
    locmem, administrator, client
):
    """The outbox is written by its services only: the admin shows it and sends failed
    emails again, nothing more, even to a superuser (createsuperuser's administrator)."""
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    message = owe(1)[0]
    signed_in(client, administrator)
    change_url = reverse("admin:outbox_outboxmessage_change", args=[message.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and "Something needs you" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"subject": "Changed"}).status_code == 403
    delete_url = reverse("admin:outbox_outboxmessage_delete", args=[message.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.subject == "Something needs you"
    add_url = reverse("admin:outbox_outboxmessage_add")
    assert client.get(add_url).status_code == 403
    listing = client.get(reverse("admin:outbox_outboxmessage_changelist")).content.decode()
    assert "send_again" in listing and add_url not in listing
