"""One row per reminder that is due to go to one person: the database, not the broker, is
the source of truth (docs/adr/0004-reminders-exactly-once.md).

The UNIQUE key (kind, record, due date, stage, recipient) is the idempotency key: a sweep
that runs twice, two beat processes, or a redelivered task can only ever insert it once,
and the sender claims each pending row under a row lock and marks it sent in the same
transaction as the in-app notification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, TextChoices

from earlyhelp.constraints import when
from earlyhelp.wording import term_lazy


class DeadlineKind(models.TextChoices):
    ASSESSMENT = "assessment", term_lazy("Early Help Assessment")
    FIRST_TAF = "first_taf", "First TAF meeting"
    REVIEW = "review", "TAF review"
    TRIAGE = "triage", "Triage decision"
    DRIFT = "drift", "Case activity (drift)"
    ALLOCATION = "allocation", "Allocation of a waiting case"
    ACTION = "action", "Family plan action"
    SERVICE_REVIEW = "service_review", "Directory entry review"


class Stage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalated to a manager"


class OccurrenceStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Not sent: no longer due, or the person cannot see the case"


class OwedMessage(models.Model):
    """A message owed to one person about one record, written once under its UNIQUE key:
    whether it has gone, by digest or not, and the in-app notification it became."""

    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    case_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=OccurrenceStatus.choices, default=OccurrenceStatus.PENDING
    )
    by_digest = models.BooleanField(default=False)
    notification = models.ForeignKey(
        "earlyhelp.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True
        ordering = ["pk"]


class ReminderOccurrence(OwedMessage):
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    due_on = models.DateField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )

    class Meta(OwedMessage.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_type", "record_id", "due_on", "stage", "recipient"],
                name="reminder_once_per_deadline_stage_person",
            ),
            when(Q(status="sent"), then=Q(sent_at__isnull=False), name="sent_reminder_has_sent_at"),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="reminder_pending_idx"),
            models.Index(
                fields=["recipient", "digested_at"],
                condition=Q(by_digest=True, status="sent", digested_at__isnull=True),
                name="reminder_undigested_idx",
            ),
            models.Index(fields=["due_on", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} {self.stage} -> {self.recipient_id}"


class ReminderDigest(models.Model):
    """One daily digest email per person per day: the UNIQUE key makes a re-run a no-op."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    digest_on = models.DateField()
    reminder_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-digest_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_on"], name="one_reminder_digest_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient_id} on {self.digest_on}"


# --- Per-person message preferences and one-off notices (issue 14) ---


class MessageKind(TextChoices):
    """The kinds of message a person chooses how to receive."""

    DEADLINES = "deadlines", "Deadline reminders (assessments, meetings, reviews, triage, drift)"
    ACTIONS = "actions", "Family plan actions you own: assigned, due soon and overdue"
    TEAM = "team", "Being added to or removed from a Team Around the Family"
    MEETINGS = "meetings", "TAF meeting invitations, changes and cancellations"


class Delivery(TextChoices):
    EMAIL = "email", "An email each time"
    DIGEST = "digest", "In one email a day, at 7am"
    IN_APP = "in_app", "In my notifications only, no email"


class MessagePreference(models.Model):
    """How one person wants one kind of message. No row: an email each time (deadline
    reminders follow the older single digest switch, User.digest_reminders)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class NoticeKind(TextChoices):
    TAF_ADDED = "taf_added", "Added to a Team Around the Family"
    TAF_REMOVED = "taf_removed", "Removed from a Team Around the Family"
    MEETING_INVITE = "meeting_invite", "TAF meeting invitation"
    MEETING_CHANGED = "meeting_changed", "TAF meeting changed"
    MEETING_CANCELLED = "meeting_cancelled", "TAF meeting cancelled"
    ACTION_ASSIGNED = "action_assigned", "Family plan action assigned"


NOTICE_MESSAGE_KIND = {
    NoticeKind.TAF_ADDED: MessageKind.TEAM,
    NoticeKind.TAF_REMOVED: MessageKind.TEAM,
    NoticeKind.MEETING_INVITE: MessageKind.MEETINGS,
    NoticeKind.MEETING_CHANGED: MessageKind.MEETINGS,
    NoticeKind.MEETING_CANCELLED: MessageKind.MEETINGS,
    NoticeKind.ACTION_ASSIGNED: MessageKind.ACTIONS,
}


class Notice(OwedMessage):
    """One message owed to one person (a user, or an external TAF member's address) about
    one event. Written in the same transaction as the change it tells of; the UNIQUE key
    (kind, record, stage, recipient) makes it exactly once, as for reminders (ADR 0004).
    `stage` distinguishes events on the same record: a meeting's sequence number."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    stage = models.CharField(max_length=20, default="")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    recipient_key = models.CharField(max_length=260)
    recipient_email = models.EmailField(blank=True)

    class Meta(OwedMessage.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_type", "record_id", "stage", "recipient_key"],
                name="notice_once_per_event_person",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_email=""),
                name="notice_has_user_or_address",
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="notice_pending_idx"),
            models.Index(
                fields=["recipient", "digested_at"],
                condition=Q(by_digest=True, status="sent", digested_at__isnull=True),
                name="notice_undigested_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} {self.stage} -> {self.recipient_key}"
