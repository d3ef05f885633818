"""The audit trail: who did what to which record, when, and from where.

Append-only: a trigger in the migration makes PostgreSQL reject UPDATE and DELETE.
Features never read it for business decisions; it is evidence, not state.
"""

from django.conf import settings
from django.db import models

from earlyhelp.recorded import staff_member


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    DENIED = "denied", "Access denied"
    SEARCH = "search", "Searched"
    BREAK_GLASS = "break_glass", "Break glass opened"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    # The password step alone is not a sign-in for roles that need a second factor.
    PASSWORD_ACCEPTED = "password_ok", "Password accepted, second factor pending"
    SECOND_FACTOR_FAILED = "2fa_failed", "Second factor code refused"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = staff_member(optional=True, related_name="audit_events")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    record_type = models.CharField(max_length=40, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)
    # The person the record is about, when there is one: "who has seen this child's record".
    person_id = models.BigIntegerField(null=True, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "-at"]),
            models.Index(fields=["person_id", "-at"]),
            models.Index(fields=["family_id", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.record_type}"


class Notification(models.Model):
    """An in-app message to one user (reminders, triage outcomes). The text names no family:
    it says what kind of thing needs attention and links to it; the link applies access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The database, not the broker, remembers that an email is owed: if Redis was down when
    # the task was published, the periodic catch-up sends it later.
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_owed",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class ApiScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ServiceAccount(models.Model):
    """A partner system (a school's MIS, a health record) that uses the API.

    Its user holds the place (agency, districts, role) that scopes what it sees, exactly as
    for a person, but has no usable password: it cannot sign in to the pages, and a person
    cannot use a token to skip the second factor, because tokens belong only to these."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_account"
    )
    system_name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = staff_member(optional=True, related_name="service_accounts_created")

    def __str__(self) -> str:
        return self.system_name


class ApiToken(models.Model):
    """A service account's API key: only its SHA-256 digest is stored; it expires; its scope
    says whether it may change anything."""

    account = models.ForeignKey(ServiceAccount, on_delete=models.CASCADE, related_name="tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters.")
    scope = models.CharField(max_length=20, choices=ApiScope.choices, default=ApiScope.READ)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return f"{self.account} {self.prefix}…"


class UsedFormToken(models.Model):
    """A recording form's one-time token, once its save has gone through (earlyhelp.pages):
    the same form sent again (a resend after a slow network, back and resubmit, two tabs)
    finds its row and records nothing twice. A row lives only as long as its transaction
    succeeded; beat removes rows older than FORM_TOKEN_DAYS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.token}"
