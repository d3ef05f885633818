"""Demo outbox: an email sent, one waiting, and one the relay refused until it failed, so an
administrator meets each state under Administration > Email outbox. Built through the real
enqueue and send services, with an in-memory relay that refuses one synthetic mailbox."""

from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from earlyhelp.outbox import conf
from earlyhelp.outbox.emails import notification_email
from earlyhelp.outbox.models import MessageKind, OutboxMessage
from earlyhelp.outbox.services import message_enqueue, outbox_send

REFUSED = "@refused.demo.test"


class DemoRelay(BaseEmailBackend):
    """Accepts every message except to REFUSED mailboxes (550, like a real relay)."""

    def send_messages(self, email_messages):
        import smtplib

        for message in email_messages:
            refused = [a for a in message.to if a.endswith(REFUSED)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {a: (550, b"Mailbox unavailable") for a in refused}
                )
        return len(email_messages)


def load_demo_outbox() -> None:
    owed = []
    for key, address, what in [
        ("demo:sent", "practitioner@demo.test", "A review is due on Friday"),
        ("demo:refused", f"left.the.council{REFUSED}", "A triage decision is overdue"),
        ("demo:waiting", "manager@demo.test", "A new case is waiting for allocation"),
    ]:
        subject, body = notification_email(subject=what, url="/notifications/")
        message = message_enqueue(
            key=key,
            kind=MessageKind.NOTIFICATION,
            to_address=address,
            subject=subject,
            body=body,
        )
        if message is not None:
            owed.append(message)
    to_send = [m.pk for m in owed if m.key in ("demo:sent", "demo:refused")]
    with override_settings(EMAIL_BACKEND="demo.outbox.DemoRelay", OUTBOX_WAKE_SENDER=False):
        for _ in range(conf.max_attempts()):
            OutboxMessage.objects.filter(pk__in=to_send).update(next_attempt_at=timezone.now())
            outbox_send(max_seconds=30, only_ids=to_send)
