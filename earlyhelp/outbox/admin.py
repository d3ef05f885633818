from django.contrib import admin, messages

from earlyhelp.access_rules import NAMESPACE_RULES
from earlyhelp.admin import NeverChangedHere
from earlyhelp.outbox.models import MessageStatus, OutboxMessage
from earlyhelp.outbox.services import message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NeverChangedHere, admin.ModelAdmin):
    """Every email the product owes or sent, read-only (the outbox's services write it).
    Failed ones (the relay refused the address, or every try failed) are listed first under
    "Failed"; "Send again" gives them new tries."""

    list_display = ["created_at", "kind", "recipient", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_module_permission(self, request):
        return NAMESPACE_RULES["admin"].allows(request.user)  # the admin site's own door

    def has_view_permission(self, request, obj=None):
        return NAMESPACE_RULES["admin"].allows(request.user)  # the admin site's own door

    @admin.action(description="Send the selected failed emails again", permissions=["view"])
    def send_again(self, request, queryset):
        count = 0
        for message in queryset.filter(status=MessageStatus.FAILED):
            message_retry(message=message, acting_user=request.user)
            count += 1
        self.message_user(request, f"{count} email(s) will be sent again.", messages.SUCCESS)
