from django.contrib import admin

from reminders.models import ReminderDigest, ReminderOccurrence


@admin.register(ReminderOccurrence)
class ReminderOccurrenceAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "digest_on", "reminder_count", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
