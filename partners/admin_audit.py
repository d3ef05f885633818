"""The Django admin for administrators: what they may manage there, each change audited.

The admin's own model permissions are not used: the door is the administrator role (as
for every page, earlyhelp/access_rules.py), and each save or delete writes an audit row
with the old and new values. Case data is never changed here (ReadOnlyAdmin)."""

from django.contrib import admin

from earlyhelp.admin import NeverChangedHere, in_words  # cases.admin imports it from here
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction
from partners.doors import ADMINISTRATORS

SECRET_FIELDS = {"password", "key", "password1", "password2"}


def is_administrator(request) -> bool:
    return ADMINISTRATORS.allows(request.user)


def form_changes(form) -> dict:
    """{field: [old, new]} for what an admin form changed (secrets named, never shown)."""
    changes = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            changes[name] = ["(hidden)", "(changed)"]
            continue
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        if hasattr(new, "all") or isinstance(new, (list, tuple)):
            new = sorted(str(v) for v in new)
            old = sorted(str(v) for v in (old or []))
        changes[name] = [str(old) if old is not None else "", str(new) if new is not None else ""]
    return changes


class AdministratorAdmin(admin.ModelAdmin):
    """Administrators add, change and delete these records; every change is audited. Their
    forms say what is wrong in the product's words (earlyhelp.admin.in_words)."""

    def get_form(self, request, obj=None, **kwargs):
        return in_words(super().get_form(request, obj, **kwargs))

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._pending_audit = (obj, change, form_changes(form))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, change, changes = getattr(self, "_pending_audit", (form.instance, change, {}))
        for formset in formsets:
            for item in formset.new_objects + formset.changed_objects:
                item = item[0] if isinstance(item, tuple) else item
                changes[f"{item._meta.verbose_name}: {item}"] = ["", "saved"]
        audit(
            user=request.user,
            action=AuditAction.CHANGE if change else AuditAction.CREATE,
            record=obj,
            request=request,
            changes=changes,
            reason="Django admin",
        )

    def delete_model(self, request, obj):
        audit(
            user=request.user,
            action=AuditAction.CHANGE,
            record=obj,
            request=request,
            changes={"deleted": [str(obj), ""]},
            reason="Django admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(NeverChangedHere, admin.ModelAdmin):
    """Case data: administrators may look (within break glass), never change it here."""

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)
