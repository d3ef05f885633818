from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Max
from django.utils import timezone

from earlyhelp.admin import AdminForm, in_words
from earlyhelp.models import ApiScope, ApiToken, ServiceAccount
from partners import service_accounts
from partners.admin_audit import AdministratorAdmin
from partners.models import Agency, District, FamilyHub, Role, Service, User


class FamilyHubInline(admin.TabularInline):
    model = FamilyHub
    form = AdminForm
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
    change_password_form = in_words(BaseUserAdmin.change_password_form)
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


# --- Service accounts for partner systems (issue 17, point 5) ------------------------------

# The places a partner system may hold: never an administrator's.
SERVICE_ACCOUNT_ROLES = (
    Role.PRACTITIONER,
    Role.FRONT_DOOR,
    Role.TEAM_MANAGER,
    Role.CONSULTANT,
    Role.STRATEGIC,
)
SERVICE_ROLES = [(r.value, r.label) for r in SERVICE_ACCOUNT_ROLES]


def _expiry_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=1, max_value=service_accounts.MAX_TOKEN_DAYS, initial=90
    )


class ServiceAccountAddForm(AdminForm):
    """A partner system and its first token: the place (agency, districts, role) scopes what
    the token reaches; the scope and expiry bound what it may do and for how long."""

    email = forms.EmailField(help_text="The system's own address, used as its account name.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(active=True))
    role = forms.ChoiceField(choices=SERVICE_ROLES, initial=Role.PRACTITIONER)
    districts = forms.ModelMultipleChoiceField(queryset=District.objects.all(), required=False)
    scope = forms.ChoiceField(choices=ApiScope.choices, initial=ApiScope.READ)
    days = _expiry_field("Token expires after (days)")

    class Meta:
        model = ServiceAccount
        fields = ["system_name", "contact_email"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


class TokenIssueForm(AdminForm):
    days = _expiry_field("Expires after (days)")

    class Meta:
        model = ApiToken
        fields = ["account", "scope"]


def _show_key_once(request, account, token, key):
    messages.warning(
        request,
        f"The token for {account} ({token.get_scope_display().lower()}, expires "
        f"{token.expires_at:%-d %B %Y}) is {key} — copy it now: it is not shown again, "
        "only its digest is kept.",
    )


class ApiTokenInline(admin.TabularInline):
    """A service account's tokens: when last used, expiry, revoked; never the key."""

    model = ApiToken
    extra = 0
    fields = ["prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AddedThroughService:
    """An admin whose add page is `add_form` (save_model calls the service that writes the
    record) and whose change page shows `fields`, the `readonly_fields` among them fixed."""

    add_form: type[forms.ModelForm]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            return self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return list(self.add_form.base_fields) if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []


@admin.register(ServiceAccount)
class ServiceAccountAdmin(AddedThroughService, AdministratorAdmin):
    """Administrators create a partner system's account and token (the key shown once), list
    them with their last use, and revoke tokens (ApiTokenAdmin); every step audited
    (partners/service_accounts.py)."""

    list_display = ["system_name", "agency", "role", "created_at", "last_used"]
    search_fields = ["system_name", "user__email"]
    readonly_fields = ["user", "agency", "role", "created_at", "created_by"]
    fields = ["system_name", "contact_email", *readonly_fields]
    inlines = [ApiTokenInline]
    add_form = ServiceAccountAddForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user__agency")
            .annotate(last_token_use=Max("tokens__last_used_at"))
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke its tokens: the audit trail names the account

    @admin.display(description="Agency")
    def agency(self, obj):
        return obj.user.agency

    @admin.display(description="Role")
    def role(self, obj):
        return obj.user.get_role_display()

    @admin.display(description="Last used", ordering="last_token_use")
    def last_used(self, obj):
        return getattr(obj, "last_token_use", None) or "Never"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        account = service_accounts.service_account_create(
            acting_user=request.user,
            email=data["email"],
            system_name=data["system_name"],
            agency=data["agency"],
            role=data["role"],
            districts=data["districts"],
        )
        if data.get("contact_email"):
            account.contact_email = data["contact_email"]
            account.save(update_fields=["contact_email"])
        token, key = service_accounts.api_token_issue(
            account=account, acting_user=request.user, scope=data["scope"], days=data["days"]
        )
        form.instance = account
        obj.pk = account.pk
        _show_key_once(request, account, token, key)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AddedThroughService, AdministratorAdmin):
    """Tokens: issue one (key shown once), see when each was last used, revoke."""

    list_display = ["__str__", "scope", "created_at", "expires_at", "last_used_at", "state"]
    list_filter = ["scope", "account"]
    actions = ["revoke"]
    add_form = TokenIssueForm
    fields = [
        "account",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")

    def has_change_permission(self, request, obj=None):
        return False  # a token is issued or revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="State")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        return "Expired" if obj.expires_at <= timezone.now() else "Live"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        token, key = service_accounts.api_token_issue(
            account=data["account"],
            acting_user=request.user,
            scope=data["scope"],
            days=data["days"],
        )
        obj.pk = token.pk
        _show_key_once(request, token.account, token, key)

    def save_related(self, request, form, formsets, change):
        pass  # issued and audited by the service

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            service_accounts.api_token_revoke(token=token, acting_user=request.user)
            revoked += 1
        messages.success(request, f"{revoked} token{'s' if revoked != 1 else ''} revoked.")
