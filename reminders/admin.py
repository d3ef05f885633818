from django.contrib import admin

from earlyhelp.admin import NeverChangedHere
from reminders.models import ReminderDigest, ReminderOccurrence


@admin.register(ReminderOccurrence)
class ReminderOccurrenceAdmin(NeverChangedHere, admin.ModelAdmin):
    """Read-only: what the engine has written and sent, for support. No personal details."""

    list_display = ["kind", "record_id", "case_id", "due_on", "stage", "recipient", "status"]
    # In the order the columns were first laid out (the shared ones come from OwedMessage).
    fields = [
        "kind",
        "record_type",
        "record_id",
        "case_id",
        "due_on",
        "stage",
        "recipient",
        "status",
        "by_digest",
        "notification",
        "sent_at",
        "digested_at",
        "cancelled_reason",
    ]
    list_filter = ["kind", "stage", "status"]
    date_hierarchy = "due_on"


@admin.register(ReminderDigest)
class ReminderDigestAdmin(NeverChangedHere, admin.ModelAdmin):
    """Read-only: the daily digests the engine sent, one per person per day."""

    list_display = ["recipient", "digest_on", "reminder_count", "sent_at"]
