"""Read-only administration of requests: nothing is changed or deleted here (use the
services), so history and audit stay whole."""

from django.contrib import admin

from partners.admin_audit import ReadOnlyAdmin as ReadOnly
from referrals.models import Referral, ReferralStatusHistory, TriageDecision


@admin.register(Referral)
class ReferralAdmin(ReadOnly):
    list_display = ("reference", "status", "channel", "district", "urgency", "received_at")
    list_filter = ("status", "channel", "urgency", "district")
    list_select_related = ("district",)
    fields = ("status", "channel", "district", "urgency", "received_at", "due_on", "version")


@admin.register(TriageDecision)
class TriageDecisionAdmin(ReadOnly):
    list_display = ("referral", "outcome", "level_of_need", "decided_at")
    list_filter = ("outcome", "level_of_need")
    fields = ("referral", "outcome", "level_of_need", "decided_at")


@admin.register(ReferralStatusHistory)
class ReferralStatusHistoryAdmin(ReadOnly):
    list_display = ("referral", "from_status", "to_status", "verb", "at")
    fields = ("referral", "from_status", "to_status", "verb", "at")
