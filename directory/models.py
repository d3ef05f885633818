"""The services directory's detail (locations, contacts, opening times, eligible needs) and
family hubs at work (families registered, sessions, attendance registers).

The directory entry itself (partners.Service, partners.Organisation) lives in partners so
that referrals, assessments and cases can link to it without importing this app.
"""

import uuid

from django.db import models
from django.db.models import F, Q

from cases.models import Family, Need, Person
from earlyhelp.recorded import Recorded, staff_member
from partners.models import FamilyHub, Service, one_per_feed_record


class LocationType(models.TextChoices):
    """Open Referral UK location.location_type."""

    PHYSICAL = "physical", "A place people go to"
    POSTAL = "postal", "A postal address only"
    VIRTUAL = "virtual", "Online or by phone"


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    description = models.TextField(max_length=2000, blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    family_hub = models.ForeignKey(
        FamilyHub, on_delete=models.SET_NULL, null=True, blank=True, related_name="locations"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("edit_directory", "Can keep the services directory"),
            (
                "edit_whole_directory",
                "Can keep every entry in the directory, whatever hub it belongs to",
            ),
        ]
        constraints = [one_per_feed_record("unique_imported_location")]

    def __str__(self) -> str:
        return self.name

    @property
    def one_line(self) -> str:
        return ", ".join(p for p in (self.name, self.address_1, self.city, self.postcode) if p)


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Contact(models.Model):
    """A way to reach the service: a team or role, published openly (never a person's
    private details)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150, help_text="A team or role, for example 'Hub reception'")
    title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.TextChoices):
    """iCalendar BYDAY codes, as Open Referral UK schedules use them."""

    MO = "MO", "Monday"
    TU = "TU", "Tuesday"
    WE = "WE", "Wednesday"
    TH = "TH", "Thursday"
    FR = "FR", "Friday"
    SA = "SA", "Saturday"
    SU = "SU", "Sunday"


class Schedule(models.Model):
    """One weekly opening: a day, from, until."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    byday = models.CharField(max_length=2, choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="schedule_opens_before_closing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class ServiceNeed(models.Model):
    """Eligibility by need: a Supporting Families headline outcome or a vulnerability."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="eligible_needs")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "need"], name="unique_service_need")
        ]
        indexes = [models.Index(fields=["need", "service"])]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.need_id}"


class DirectoryImport(models.Model):
    """One run of an Open Referral UK import: what it did and what it could not read."""

    source = models.CharField(max_length=500)
    started_by = staff_member()
    started_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    # --- Family hubs at work ---

    def __str__(self) -> str:
        return f"Import of {self.source}"


class HubRegistration(models.Model):
    """A family registered at a family hub (the hub's own list, for registers and reach)."""

    hub = models.ForeignKey(FamilyHub, on_delete=models.PROTECT, related_name="registrations")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="hub_registrations")
    registered_on = models.DateField()
    registered_by = staff_member()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "family"], name="unique_hub_registration")
        ]

    def __str__(self) -> str:
        return f"Family {self.family_id} at hub {self.hub_id}"


class SessionKind(models.TextChoices):
    STAY_AND_PLAY = "stay_and_play", "Stay and play"
    PARENTING = "parenting", "Parenting programme"
    YOUTH = "youth", "Youth session"
    GROUP = "group", "Other group-based support"
    DROP_IN = "drop_in", "Drop-in advice (one to one)"


# Sessions counted as group-based support on the hub dashboard.
GROUP_KINDS = (
    SessionKind.STAY_AND_PLAY,
    SessionKind.PARENTING,
    SessionKind.YOUTH,
    SessionKind.GROUP,
)


class HubSession(models.Model):
    hub = models.ForeignKey(FamilyHub, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    title = models.CharField(max_length=150)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="hub_sessions"
    )
    held_on = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    created_by = staff_member()
    register_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-starts_at", "-pk"]
        permissions = [("run_hub", "Can run family hub registrations, sessions and registers")]
        indexes = [models.Index(fields=["hub", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="hub_session_starts_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%-d %B %Y}"


class SessionAttendance(Recorded):
    session = models.ForeignKey(HubSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hub_attendances")
    # Kept when the register is taken, so reach figures need no join to people or
    # memberships: the family through which the person is registered at the hub, and
    # whether they were a child (under 18) on the day.
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="unique_session_attendance")
        ]
        indexes = [models.Index(fields=["person", "session"])]

    def __str__(self) -> str:
        return f"Person {self.person_id} at session {self.session_id}"
