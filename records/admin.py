"""What administrators manage in the Django admin beyond partners/admin.py: leavers and
two-factor resets on users, the reminder and job schedule (django-celery-beat) and the
retention schedule. Every change is audited (earlyhelp/admin_audit.py)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from cases import staff
from cases.models import FirstLanguage
from earlyhelp.errors import DomainError
from partners import admin as partners_admin
from partners.admin_audit import AdministratorAdmin, ReadOnlyAdmin
from partners.models import User
from records.models import PersonMerge, RetentionReview, RetentionSchedule


class StaffUserAdmin(partners_admin.UserAdmin):
    """Users are switched off, never deleted: the audit trail names them."""

    actions = ["switch_off_leavers", "reset_two_factor"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        leaving = change and "is_active" in form.changed_data and not obj.is_active
        if leaving:
            obj.is_active = True  # the service switches it off, audited, with the cases
        super().save_model(request, obj, form, change)
        if leaving:
            cases = staff.user_switch_off(user=obj, acting_user=request.user, request=request)
            self._leaver_message(request, obj, cases)

    def _leaver_message(self, request, user, cases):
        refs = ", ".join(c.reference for c in cases) or "none"
        messages.warning(
            request,
            f"{user} is switched off. Open cases to reallocate: {refs}. Their team managers "
            "have been told.",
        )

    @admin.action(description="Switch off (leaver) and list their cases for reallocation")
    def switch_off_leavers(self, request, queryset):
        rows = []
        for user in queryset:
            try:
                cases = staff.user_switch_off(user=user, acting_user=request.user, request=request)
            except DomainError as error:
                messages.error(request, str(error))
                continue
            rows.append((user, cases))
        return TemplateResponse(
            request,
            "admin/records/leavers.html",
            {**self.admin_site.each_context(request), "rows": rows, "title": "Cases to reallocate"},
        )

    @admin.action(description="Reset two-factor device (they set up a new one at sign-in)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            staff.two_factor_reset(user=user, acting_user=request.user, request=request)
        messages.success(
            request,
            f"Two-factor reset for {queryset.count()} user(s). They set up a new authenticator "
            "at their next sign-in.",
        )


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


# The reminder schedule and other periodic jobs (django-celery-beat), audited.
for model, base in (
    (PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{base.__name__}", (AdministratorAdmin, base), {}))


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(AdministratorAdmin):
    list_display = ["name", "keep_until_youngest_is", "extra_years", "updated_at"]


@admin.register(RetentionReview)
class RetentionReviewAdmin(ReadOnlyAdmin):
    """The disposal stubs: what was disposed of, when, on whose approval."""

    list_display = ["family_number", "district_name", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    fields = [
        "family_number",
        "district_name",
        "last_closed_on",
        "retain_until",
        "listed_on",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "disposed_summary",
    ]


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ["kept_id", "retired_id", "merged_by", "merged_at", "undone_at"]
    fields = ["kept", "retired", "merged_by", "merged_at", "undone_by", "undone_at"]


@admin.register(FirstLanguage)
class FirstLanguageAdmin(AdministratorAdmin):
    """The DfE first-language list (loaded by migration): a new edition's codes are added,
    an entry no longer used is switched off (records keep the code they hold)."""

    list_display = ["code", "label", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label"]
