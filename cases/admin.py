"""Admin for children's records: read-only (changes go through the pages and their audited
services). Administrators reach case data only through break glass, so every queryset here
starts from the access rules, like the pages do."""

from django.contrib import admin

from cases import access
from cases.models import (
    BreakGlass,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    Person,
    TeamAroundFamilyMember,
)
from partners.admin_audit import NeverChangedHere, ReadOnlyAdmin


class ScopedAdmin(ReadOnlyAdmin):
    scope = None  # a function (user) -> queryset from cases.access

    def get_queryset(self, request):
        return type(self).scope(request.user)


class ReadOnlyInline(NeverChangedHere, admin.TabularInline):
    extra = 0


class MembershipInline(ReadOnlyInline):
    model = FamilyMembership
    raw_id_fields = ["person"]


@admin.register(Family)
class FamilyAdmin(ScopedAdmin):
    scope = access.families_visible_to
    list_display = ["name", "postcode", "district", "restricted"]
    list_filter = ["district", "restricted"]
    search_fields = ["name", "postcode"]
    inlines = [MembershipInline]
    filter_horizontal = ["named_people"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    scope = access.people_visible_to
    list_display = ["last_name", "first_name", "date_of_birth", "restricted"]
    search_fields = ["last_name", "first_name", "nhs_number", "upn"]
    filter_horizontal = ["named_people"]


class TafInline(ReadOnlyInline):
    model = TeamAroundFamilyMember
    raw_id_fields = ["user"]


@admin.register(EarlyHelpCase)
class EarlyHelpCaseAdmin(ScopedAdmin):
    scope = access.cases_visible_to
    list_display = ["reference", "family", "district", "status", "level_of_need", "opened_on"]
    list_filter = ["status", "level_of_need", "district"]
    raw_id_fields = ["family", "lead_professional", "children"]
    inlines = [TafInline]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    raw_id_fields = ["case", "given_by", "recorded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=access.cases_visible_to(request.user))


@admin.register(BreakGlass)
class BreakGlassAdmin(ReadOnlyAdmin):
    list_display = ["user", "family_id", "opened_at", "expires_at"]
    readonly_fields = ["user", "family", "reason", "opened_at", "expires_at"]

    def has_add_permission(self, request):
        return False  # opened only through the audited break-glass page

    def has_delete_permission(self, request, obj=None):
        return False
