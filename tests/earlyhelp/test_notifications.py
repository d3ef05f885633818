from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from earlyhelp.models import Notification
from earlyhelp.notifications import notification_email_send, notify
from tests.conftest import signed_in


def test_a_notification_email_is_sent_once_and_names_no_family(practitioner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    n = notify(
        user=practitioner,
        subject="An assessment is due in 5 working days",
        url="/cases/1/",
    )
    assert notification_email_send(n.pk) is True
    assert notification_email_send(n.pk) is False
    assert len(mail.outbox) == 1
    assert "/cases/1/" in mail.outbox[0].body
    assert "no personal details" in mail.outbox[0].body


def test_unread_count_shows_in_the_header_and_clears_when_read(client, practitioner):
    notify(user=practitioner, subject="Something needs you", url="/", email=False)
    signed_in(client, practitioner)
    assert '1<span class="govuk-visually-hidden"> unread' in client.get("/").content.decode()
    client.post(reverse("notification_list"))
    assert Notification.objects.get().read_at is not None


def test_nobody_can_open_another_users_notification(client, practitioner, district_manager):
    n = notify(user=practitioner, subject="Private", url="/", email=False)
    response = signed_in(client, district_manager).post(reverse("open_notification", args=[n.pk]))
    assert response.status_code == 404


def test_an_email_owed_when_the_broker_was_down_is_sent_later_exactly_once(practitioner, settings):
    """The email is owed in the outbox with the notification; the catch-up sends it once and
    a late task (or a second catch-up) finds nothing to do."""
    from earlyhelp.notifications import owed_emails_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    n = notify(user=practitioner, subject="A request was decided", url="/requests/1/")
    assert n.email_wanted and n.emailed_at is None
    assert owed_emails_send() == 1
    assert owed_emails_send() == 0
    assert notification_email_send(n.pk) is False  # a late task finds nothing to do
    assert len(mail.outbox) == 1
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_a_notification_without_email_owes_none(practitioner, settings):
    from earlyhelp.notifications import owed_emails_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notify(user=practitioner, subject="In the app only", url="/", email=False)
    assert owed_emails_send() == 0
    assert mail.outbox == []


def test_the_catch_up_never_repeats_an_email_when_one_mailbox_is_refused(
    practitioner, district_manager, front_door_officer, settings
):
    from earlyhelp.notifications import owed_emails_send
    from earlyhelp.outbox.models import OutboxMessage

    settings.EMAIL_BACKEND = "tests.earlyhelp.test_notifications.RefusingRelay"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    RefusingRelay.refuse = district_manager.email
    for user in (practitioner, district_manager, front_door_officer):
        notify(user=user, subject="A request was decided", url="/requests/1/")
    for _ in range(3):  # three catch-up runs, the refused one due again each time
        owed_emails_send()
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [practitioner.email, front_door_officer.email]
    )
    refused = OutboxMessage.objects.get(to_address=district_manager.email)
    assert (refused.status, refused.attempts) == ("failed", 2)


class RefusingRelay(LocmemBackend):
    """A relay that refuses one mailbox (550), as it does for someone who has left."""

    refuse = ""

    def send_messages(self, messages):
        import smtplib

        if messages and messages[0].to == [self.refuse]:
            raise smtplib.SMTPRecipientsRefused({self.refuse: (550, b"Mailbox unavailable")})
        return super().send_messages(messages)
