"""Where people work: districts, family hubs, agencies, services, and each user's place.

A user's place (agency, districts, role) is what every access rule is computed from.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import format_lazy

from earlyhelp.wording import term_lazy


class District(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FamilyHub(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="family_hubs")
    name = models.CharField(max_length=150)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unique_hub_per_district")
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    SCHOOL = "school", "School or college"
    EARLY_YEARS = "early_years", "Early years setting"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    EARLY_HELP_TEAM = "early_help_team", format_lazy("Council {} team", term_lazy("early help"))
    SOCIAL_CARE = "social_care", "Children's social care"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    ADULT_SERVICES = "adult_services", "Adult services"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    districts = models.ManyToManyField(District, related_name="agencies", blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    active = models.BooleanField(default=True)
    family_hub = models.ForeignKey(
        FamilyHub,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agencies",
        help_text="The family hub this agency or team works from, if any.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_council_early_help(self) -> bool:
        return self.kind == AgencyKind.EARLY_HELP_TEAM


def one_per_feed_record(name: str) -> models.UniqueConstraint:
    """An imported row is the one copy of its record in the feed it came from (a row typed
    in here has no source)."""
    return models.UniqueConstraint(
        fields=["source", "external_id"], condition=~Q(source=""), name=name
    )


class ServiceStatus(models.TextChoices):
    """Open Referral UK service.status."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Organisation(models.Model):
    """An organisation that provides services in the directory (Open Referral UK
    `organization`). Often one of our partner agencies; imported voluntary-sector
    organisations need not be, so they never appear where agencies are chosen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    agency = models.OneToOneField(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisation",
    )
    source = models.CharField(max_length=500, blank=True, help_text="Feed it was imported from")
    external_id = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [one_per_feed_record("unique_imported_organisation")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A services directory entry, for information and signposting (Open Referral UK shape).

    Its locations, contacts, opening times and eligible needs live in the directory app;
    what is here is what every app may link to (signposting from a decision, a plan action
    or a closure) without importing the directory."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services", null=True
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", null=True, blank=True
    )
    family_hub = models.ForeignKey(
        FamilyHub, on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    districts = models.ManyToManyField(District, related_name="services", blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    free = models.BooleanField(default=True)
    cost = models.CharField(max_length=300, blank=True, help_text="What it costs, if anything")
    how_to_access = models.TextField(max_length=5000, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="edited_services",
        help_text="Who keeps this entry up to date (and is reminded to review it).",
    )
    source = models.CharField(max_length=500, blank=True, help_text="Feed it was imported from")
    external_id = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="service_age_range_in_order",
            ),
            one_per_feed_record("unique_imported_service"),
        ]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    FRONT_DOOR = "front_door", "Front door officer"
    TEAM_MANAGER = "team_manager", "Team manager"
    CONSULTANT = "consultant", format_lazy("{} consultant", term_lazy("Early help"))
    STRATEGIC = "strategic", "Strategic viewer"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles whose work shows them children's records: they must sign in with a second factor.
ROLES_SEEING_CASE_DATA = frozenset(
    {Role.PRACTITIONER, Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT, Role.ADMINISTRATOR}
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    districts = models.ManyToManyField(District, related_name="staff", blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May use the Django admin (administrators only)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    digest_reminders = models.BooleanField(
        default=False, help_text="Send reminders as one daily email instead of one each."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_user_email_ci"),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(role="administrator"),
                name="user_has_agency_unless_administrator",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def needs_second_factor(self) -> bool:
        return self.role in ROLES_SEEING_CASE_DATA
