"""One outbox for every email the product sends (docs/adr/0004-reminders-exactly-once.md).

A message is written in the same transaction as the change that owes it (a notification, a
reminder, a triage decision), so nothing is owed only in the broker. Senders move each
message through its own states, committing each step, and talk to the mail server outside
any transaction:

    pending -> claimed -> sending -> sent
                   ^          |
                   +----------+-- (error, tries left: back to pending after a back-off)
                              +-- (error, no tries left) -> failed

A sender that dies leaves at most the one message it was handing to the mail server in
`sending`; that message is the only one that can go twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.constraints import when


class MessageKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    REMINDER = "reminder", "Reminder"
    DIGEST = "digest", "Daily reminder digest"
    REFERRER_OUTCOME = "referrer_outcome", "Outcome to an outside referrer"
    NOTICE = "notice", "Notice to a team member or action owner"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    CLAIMED = "claimed", "Claimed by a sender"
    SENDING = "sending", "Being handed to the mail server"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: not sent after every try"


class OutboxMessage(models.Model):
    key = models.CharField(
        max_length=120,
        unique=True,
        help_text="Idempotency key: what this email is for, e.g. reminder:42. "
        "Owing the same email twice writes one message.",
    )
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # [{"filename", "content" (text), "mimetype"}]: a meeting's calendar file, say.
    attachments = models.JSONField(default=list, blank=True)
    notification = models.ForeignKey(
        "earlyhelp.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(
        max_length=300, blank=True, help_text="The mail server's answer, without the address."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="outbox_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status__in=["claimed", "sending"]),
                name="outbox_in_flight_idx",
            ),
            models.Index(fields=["status", "-created_at"]),
        ]
        constraints = [
            when(Q(status="sent"), then=Q(sent_at__isnull=False), name="sent_message_has_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} ({self.status})"
