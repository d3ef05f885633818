from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from partners.admin_audit import AdministratorAdmin
from partners.models import Agency, District, FamilyHub, Service, User


class FamilyHubInline(admin.TabularInline):
    model = FamilyHub
    extra = 0


@admin.register(District)
class DistrictAdmin(AdministratorAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [FamilyHubInline]


@admin.register(FamilyHub)
class FamilyHubAdmin(AdministratorAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(AdministratorAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active", "districts"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]


@admin.register(Service)
class ServiceAdmin(AdministratorAdmin):
    list_display = ["name", "organisation", "status"]
    readonly_fields = ["updated_at"]
    list_filter = ["status", "districts"]
    search_fields = ["name", "description"]
    filter_horizontal = ["districts"]


@admin.register(User)
class UserAdmin(AdministratorAdmin, BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "agency__kind", "districts"]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["districts", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "phone")}),
        ("Place", {"fields": ("role", "agency", "districts")}),
        ("Reminders", {"fields": ("digest_reminders",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "agency",
                    "districts",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
