"""Families, people and early help episodes (cases), with the Team Around the Family.

The access rules that decide who sees these records live in cases/access.py.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.codes import Disability, Ethnicity, Gender, Language, Relationship, SenStatus
from cases.validators import validate_nhs_number, validate_postcode, validate_upn
from earlyhelp.constraints import empty_or_after, when
from earlyhelp.recorded import Recorded, staff_member
from earlyhelp.references import Referenced
from earlyhelp.transitions import StatusHistory
from earlyhelp.wording import term_lazy
from partners.models import Agency, District

MAX_TEXT = 20_000  # a long note is fine; 100 KB pasted by mistake is not


class Family(models.Model):
    """A household: the unit a lead professional works with."""

    name = models.CharField(max_length=150, help_text="For example, 'Smith household'")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10, validators=[validate_postcode])
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="families")
    deprivation_decile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Index of Multiple Deprivation decile, 1 most deprived"
    )
    restricted = models.BooleanField(
        default=False, help_text="Only the named people may see this family's details."
    )
    restricted_contact = models.CharField(
        max_length=200, blank=True, help_text="Who to contact about a restricted record."
    )
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_families"
    )
    moved_out_on = models.DateField(
        null=True, blank=True, help_text="When the family moved out of the authority's area"
    )
    moved_to = models.CharField(
        max_length=150, blank=True, help_text="The authority the family moved to"
    )
    # Optimistic lock (as assessments have): every change through cases/upkeep.py bumps it,
    # and a save carrying an older one is refused as a conflict.
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "families"
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["district", "name"]),
            GinIndex(fields=["postcode"], name="family_postcode_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deprivation_decile__isnull=True)
                | Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="family_deprivation_decile_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("family_detail", args=[self.pk])


class Person(models.Model):
    first_name = models.CharField(max_length=100)
    # Blank for a person with a single name (a mononym), common in several cultures.
    last_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="The name they like to be called"
    )
    other_names = models.CharField(max_length=200, blank=True, help_text="Previous or known-as")
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date = models.DateField(
        null=True, blank=True, help_text="Expected date of delivery, for an unborn child"
    )
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.NOT_RECORDED)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices), default=list, blank=True
    )
    sen_status = models.CharField(max_length=20, choices=SenStatus.choices, default=SenStatus.NONE)
    nhs_number = models.CharField(
        max_length=10, null=True, blank=True, unique=True, validators=[validate_nhs_number]
    )
    upn = models.CharField(
        "Unique pupil number",
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_upn],
    )
    # A code from FirstLanguage (the DfE list, kept as data); checked by cases/upkeep.py.
    first_language = models.CharField(max_length=4, default=Language.NOT_OBTAINED)
    interpreter_needed = models.BooleanField(default=False)
    interpreter_notes = models.CharField(
        max_length=200, blank=True, help_text="Language or dialect, sign language, preferences"
    )
    care_leaver = models.BooleanField(
        default=False,
        help_text=format_lazy("A care leaver may have {} up to 25", term_lazy("early help")),
    )
    restricted = models.BooleanField(default=False)
    restricted_contact = models.CharField(max_length=200, blank=True)
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_people"
    )
    # Set when this record was merged into another (records/merge.py): a retired record is
    # never offered by matching or search again, and the merge can be undone.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            GinIndex(
                fields=["last_name"], name="person_last_name_trgm", opclasses=["gin_trgm_ops"]
            ),
            GinIndex(
                fields=["first_name"], name="person_first_name_trgm", opclasses=["gin_trgm_ops"]
            ),
            # "Starts with" in any case is UPPER(name) LIKE 'X%': without these the one-word
            # search (first name or surname) scans every person.
            GinIndex(
                OpClass(Upper("first_name"), name="gin_trgm_ops"), name="person_first_upper_trgm"
            ),
            GinIndex(
                OpClass(Upper("last_name"), name="gin_trgm_ops"), name="person_last_upper_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date__isnull=False),
                name="person_has_date_of_birth_or_expected_date",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(expected_date__isnull=True),
                name="person_born_or_expected_not_both",
            ),
            models.CheckConstraint(
                condition=Q(nhs_number__isnull=True) | Q(nhs_number__regex=r"^\d{10}$"),
                name="person_nhs_number_ten_digits",
            ),
            models.CheckConstraint(
                condition=Q(upn__isnull=True) | Q(upn__regex=r"^[A-Z]\d{11}[0-9A-Z]$"),
                name="person_upn_format",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def first_language_label(self) -> str:
        return FirstLanguage.label_for(self.first_language)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class FamilyMembership(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="unique_family_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()}) in {self.family}"

    @property
    def is_child(self) -> bool:
        return self.relationship == Relationship.CHILD


class LevelOfNeed(models.IntegerChoices):
    """The continuum of need. Codes are fixed; authorities relabel them in configuration
    (settings.LEVEL_OF_NEED_LABELS, e.g. Cumbria's Thriving / Getting Help / ...)."""

    UNIVERSAL = 1, "Universal"
    UNIVERSAL_PLUS = 2, "Universal Plus"
    TARGETED = 3, "Targeted / intensive"
    STATUTORY = 4, "Statutory"

    @classmethod
    def label_for(cls, code: int) -> str:
        labels = getattr(settings, "LEVEL_OF_NEED_LABELS", {}) or {}
        return labels.get(int(code)) or cls(int(code)).label

    @classmethod
    def configured_choices(cls) -> list[tuple[int, str]]:
        return [(level.value, cls.label_for(level.value)) for level in cls]


class CaseStatus(models.TextChoices):
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    OPEN = "open", "Open"
    # Social care accepted a step up and the authority keeps early help open alongside:
    # early help deadlines pause (they count open cases only) until the lead closes it.
    STEPPED_UP = "stepped_up", "Stepped up (open alongside social care)"
    # The lead asked to close a case at a level that needs a manager's authorisation
    # (settings.CLOSURE_AUTHORISATION_LEVELS): the manager authorises (closed) or returns it.
    CLOSURE_PENDING = "closure_pending", "Closure awaiting authorisation"
    CLOSED = "closed", "Closed"


class CaseOrigin(models.TextChoices):
    """How the episode started: the indicators count partner-started episodes apart (the
    strategies want front-door contacts to fall as those who know families help them)."""

    FRONT_DOOR = "front_door", "Front door decision"
    PARTNER = "partner", "Started by a partner agency"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn or family disengaged"
    MOVED_AWAY = "moved_away", "Moved out of area"
    TRANSFERRED = "transferred", "Transferred to another service"
    STEPPED_DOWN = "stepped_down", "Stepped down to universal services"


class EarlyHelpCase(Referenced, models.Model):
    """One early help episode for a family, from allocation to closure."""

    reference_prefix = "EH"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    children = models.ManyToManyField(Person, related_name="cases", blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="cases")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    lead_professional = staff_member(optional=True, related_name="led_cases")
    level_of_need = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    origin = models.CharField(
        max_length=20, choices=CaseOrigin.choices, default=CaseOrigin.FRONT_DOOR
    )
    # Who sent the case to the team's queue and why (the front door's decision), shown to
    # the manager who allocates it.
    queued_by = staff_member(optional=True)
    queued_reason = models.TextField(blank=True, max_length=MAX_TEXT)
    queued_on = models.DateField(null=True, blank=True)
    significant_harm = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        permissions = [("work_on_case", "Work on the case as a Team Around the Family member")]
        indexes = [
            models.Index(fields=["district", "status", "-opened_on"]),
            models.Index(fields=["lead_agency", "status", "-opened_on"]),
            models.Index(fields=["lead_professional", "status"]),
            models.Index(fields=["family", "-opened_on"]),
        ]
        constraints = [
            empty_or_after(
                "closed_on", "opened_on", name="case_closed_after_opened", same_day=True
            ),
            when(
                Q(status="closed"),
                then=Q(closed_on__isnull=False) & ~Q(closure_reason=""),
                name="closed_case_has_date_and_reason",
            ),
            when(
                Q(status="open"),
                then=Q(lead_professional__isnull=False),
                name="open_case_has_lead_professional",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def deadlines_paused(self) -> bool:
        """While children's social care hold a stepped-up family, early help's deadlines
        pause: the reminders, the work tray and the overdue lists count open cases only, so
        the pages say "paused" rather than count down to a date nobody chases."""
        return self.status == CaseStatus.STEPPED_UP

    @property
    def awaiting_allocation(self) -> bool:
        return self.status == CaseStatus.AWAITING_ALLOCATION


class EarlyHelpCaseUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grants (TAF membership), so lookups join on an indexed integer."""

    content_object = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE)


class EarlyHelpCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE)


class TeamAroundFamilyMember(models.Model):
    """A professional on the TAF. Members with an account get an object grant on the case;
    external members are contacts only."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="taf_members")
    user = staff_member(optional=True, related_name="taf_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="taf_memberships")
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    role_in_team = models.CharField(max_length=150, blank=True)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(contact_name=""),
                name="taf_member_is_user_or_named_contact",
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(left_on__isnull=True, user__isnull=False),
                name="unique_current_taf_member",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.contact_name

    @property
    def name(self) -> str:
        return self.user.full_name if self.user_id else self.contact_name


class ConsentRecord(models.Model):
    """Who consented, when, to what, and with which agencies information may be shared."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person, signed"
        VERBAL = "verbal", "Verbal, recorded by the professional"
        PHONE = "phone", "By phone"
        WRITTEN = "written", "In writing or by email"

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    given_on = models.DateField()
    to_assessment = models.BooleanField(default=True)
    shared_with = models.ManyToManyField(Agency, blank=True, related_name="consents")
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = staff_member()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_note = models.TextField(blank=True, max_length=MAX_TEXT)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            empty_or_after(
                "withdrawn_on", "given_on", name="consent_withdrawn_after_given", same_day=True
            )
        ]

    def __str__(self) -> str:
        return f"Consent by {self.given_by} on {self.given_on:%d/%m/%Y}"


class BreakGlass(models.Model):
    """An administrator's explicit, time-limited, audited access to one family's records."""

    user = staff_member()
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Break glass by {self.user_id} on family {self.family_id}"


class FirstLanguage(models.Model):
    """DfE first-language codes (the Common Basic Data Set list the school census uses),
    loaded by migration; an entry can be switched off or added without a code change."""

    code = models.CharField(max_length=4, primary_key=True)
    label = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return list(cls.objects.filter(active=True).values_list("code", "label"))

    @classmethod
    def codes(cls) -> set[str]:
        return set(cls.objects.filter(active=True).values_list("code", flat=True))

    @classmethod
    def label_for(cls, code: str) -> str:
        return cls.objects.filter(pk=code).values_list("label", flat=True).first() or code


class NeedFramework(models.TextChoices):
    SUPPORTING_FAMILIES = "supporting_families", "Supporting Families headline outcome"
    VULNERABILITY = "vulnerability", "Working Together vulnerability"


class Need(models.Model):
    """A versioned code list entry: Supporting Families headlines (2022-25 guidance) and the
    Working Together vulnerability list. Stable codes; labels and versions may change."""

    framework = models.CharField(max_length=30, choices=NeedFramework.choices)
    version = models.CharField(max_length=20)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version", "code"], name="unique_need_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.label


# --- Casework: status history, chronology, notes and corrections, step up/down, closure ---


class CaseStatusChange(StatusHistory):
    """Product history of a case's status (who, when, from, to, why). Written only by the
    case machine (cases/transitions.py); separate from the audit trail."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusHistory.Meta):
        indexes = [models.Index(fields=["case", "-at"])]


class ChronologyKind(models.TextChoices):
    """What an entry in a case's chronology records. The first group is typed by people
    (case notes); the rest are written by services when something happens."""

    NOTE = "note", "Case note"
    CONTACT = "contact", "Contact"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    DECISION = "decision", "Decision"
    CONSENT = "consent", "Consent"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Family plan"
    REVIEW = "review", "TAF meeting or review"
    TEAM = "team", "Team Around the Family"
    STEP = "step", "Step up or step down"
    STATUS = "status", "Case status"


NOTE_KINDS = [
    ChronologyKind.NOTE,
    ChronologyKind.CONTACT,
    ChronologyKind.HOME_VISIT,
    ChronologyKind.PHONE_CALL,
    ChronologyKind.MEETING,
    ChronologyKind.DECISION,
]


class ChronologyEntry(models.Model):
    """One line of a case's chronology. Case notes are entries typed by a person; events
    (consent, assessment sign-off, meetings, step up...) are written by the services that
    make them, so the case page reads one table, newest first.

    Entries are never edited: a correction is a NoteCorrection row, and the original text
    stays visible, marked as corrected."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=20, choices=ChronologyKind.choices)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, max_length=MAX_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["case", "-occurred_at"]),
            models.Index(fields=["case", "kind", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.occurred_at:%d/%m/%Y}"

    @property
    def is_note(self) -> bool:
        return self.kind in NOTE_KINDS


class NoteCorrection(models.Model):
    """A correction to a case note. The note itself is never changed."""

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=MAX_TEXT)
    reason = models.CharField(max_length=500)
    corrected_by = staff_member()
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"Correction to {self.entry_id}"


class StepDirection(models.TextChoices):
    UP = "up", "Step up to children's social care"
    DOWN = "down", "Step down from children's social care"
    ACROSS = (
        "across",
        format_lazy(
            "Step across: a statutory assessment that ended in {}", term_lazy("early help")
        ),
    )


class StepEvent(Recorded):
    """A move between early help and children's social care, with reasons and dates."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="step_events")
    direction = models.CharField(max_length=6, choices=StepDirection.choices)
    occurred_on = models.DateField()
    reason = models.TextField(max_length=MAX_TEXT)
    other_service = models.CharField(
        max_length=200, blank=True, help_text="For example, the social care team involved"
    )
    level_of_need_before = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    level_of_need_after = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["direction", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.case} step {self.direction} on {self.occurred_on}"


class FamilyView(models.TextChoices):
    IMPROVED = "improved", "Yes, family life has improved"
    PARTLY = "partly", "Partly"
    NOT_IMPROVED = "not_improved", "No, it has not improved"
    NOT_ASKED = "not_asked", "The family could not be asked"


class CaseClosure(models.Model):
    """How an episode ended: reason, the outcome of each plan outcome (a snapshot of its
    words at closure), the family's own view and the child's voice."""

    case = models.OneToOneField(EarlyHelpCase, on_delete=models.CASCADE, related_name="closure")
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    closed_on = models.DateField()
    outcomes = models.JSONField(
        default=list, blank=True, help_text='[{"outcome_id", "outcome", "result", "comment"}]'
    )
    family_view = models.CharField(max_length=20, choices=FamilyView.choices)
    family_view_text = models.TextField(blank=True, max_length=MAX_TEXT)
    child_voice = models.TextField(blank=True, max_length=MAX_TEXT)
    summary = models.TextField(blank=True, max_length=MAX_TEXT)
    # Why the needs are met although some plan outcomes were not achieved (asked for then).
    unmet_outcomes_explanation = models.TextField(blank=True, max_length=MAX_TEXT)
    signposted_services = models.ManyToManyField(
        "partners.Service", blank=True, related_name="closures"
    )
    closed_by = staff_member()
    # The manager who authorised the lead's closure, when its level needed it.
    authorised_by = staff_member(optional=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["reason", "closed_on"])]

    def __str__(self) -> str:
        return f"Closure of {self.case}"


class ClosureRequest(models.Model):
    """A lead's closure of a case whose level needs a manager's authorisation: the answers
    as confirmed, kept whether the manager authorises it (the case closes with them) or
    returns it with a reason (the case is open again and the lead is told), or whether it
    is withdrawn because social care accepted a step up meanwhile (why, in return_reason)."""

    class Decision(models.TextChoices):
        AUTHORISED = "authorised", "Authorised"
        RETURNED = "returned", format_lazy("Returned to the {}", term_lazy("lead professional"))
        WITHDRAWN = "withdrawn", "Withdrawn: social care accepted a step up"

    case = models.ForeignKey(
        EarlyHelpCase, on_delete=models.CASCADE, related_name="closure_requests"
    )
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    closed_on = models.DateField()
    outcomes = models.JSONField(default=list, blank=True)
    family_view = models.CharField(max_length=20, choices=FamilyView.choices)
    family_view_text = models.TextField(blank=True, max_length=MAX_TEXT)
    child_voice = models.TextField(blank=True, max_length=MAX_TEXT)
    summary = models.TextField(blank=True, max_length=MAX_TEXT)
    unmet_outcomes_explanation = models.TextField(blank=True, max_length=MAX_TEXT)
    signposted_services = models.ManyToManyField("partners.Service", blank=True, related_name="+")
    requested_by = staff_member()
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = staff_member(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True, max_length=MAX_TEXT)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision=""), name="one_pending_closure_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"Closure of {self.case} awaiting authorisation"


class NoConsentDecision(Recorded):
    """Without consent the lead professional records a judgement on whether the needs will
    escalate, and if so the route to step up (DESIGN.md, 'Consent')."""

    class Escalation(models.TextChoices):
        LIKELY = "likely", "Needs are likely to escalate"
        UNLIKELY = "unlikely", "Needs are unlikely to escalate"

    class NextStep(models.TextChoices):
        STEP_UP = "step_up", "Refer to children's social care (step up)"
        TRY_AGAIN = "try_again", "Keep in touch and ask again"
        CLOSE = "close", "Close with advice and information"

    case = models.ForeignKey(
        EarlyHelpCase, on_delete=models.CASCADE, related_name="no_consent_decisions"
    )
    decided_on = models.DateField()
    escalation = models.CharField(max_length=10, choices=Escalation.choices)
    next_step = models.CharField(max_length=10, choices=NextStep.choices)
    rationale = models.TextField(max_length=MAX_TEXT)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"No-consent decision on {self.case}"


class LeadProfessionalHandover(Recorded):
    """The lead professional role passed to another TAF member, with a handover note."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="handovers")
    from_user = staff_member()
    to_user = staff_member()
    handed_over_on = models.DateField()
    note = models.TextField(max_length=MAX_TEXT)

    class Meta:
        ordering = ["-handed_over_on", "-pk"]

    def __str__(self) -> str:
        return f"Handover of {self.case} on {self.handed_over_on}"


class StepUpStatus(models.TextChoices):
    PENDING = "pending", "Waiting for social care"
    ACCEPTED = "accepted", "Accepted by social care"
    DECLINED = "declined", "Declined by social care"


class StepUpSource(models.TextChoices):
    CASE = "case", format_lazy("From {} case", term_lazy("an early help"))
    REVIEW = "review", "From a TAF review"
    FRONT_DOOR = "front_door", "From a front door decision"


class StepUpRequest(Referenced, models.Model):
    """A request to children's social care for the district: a hand-over, not a label.
    Social care accepts it (the case is marked stepped up) or declines it with a reason (the
    lead is told and early help carries on)."""

    reference_prefix = "SU"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="step_up_requests")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EarlyHelpCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="step_up_requests",
    )
    source = models.CharField(max_length=20, choices=StepUpSource.choices)
    source_reference = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=StepUpStatus.choices, default=StepUpStatus.PENDING
    )
    significant_harm = models.BooleanField(default=False)
    reason = models.TextField(max_length=MAX_TEXT)
    requested_by = staff_member()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = staff_member(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=MAX_TEXT)
    social_care_team = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["district", "status", "requested_at"])]
        constraints = [
            when(
                Q(status="declined"),
                then=~Q(decision_reason=""),
                name="declined_step_up_has_reason",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_step_up_per_case",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class StepUpRequestStatusChange(StatusHistory):
    step_up_request = models.ForeignKey(
        StepUpRequest, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusHistory.Meta):
        pass


class LevelOfNeedChange(models.Model):
    """Every change of a case's level of need, whatever caused it (a lead's or manager's
    judgement, a step up accepted, a step down): the chronology shows it and the indicators
    count it (issue 12, point 8)."""

    class Cause(models.TextChoices):
        REVIEW = (
            "review",
            format_lazy("Judgement of the {} or manager", term_lazy("lead professional")),
        )
        TRIAGE = "triage", "Front door decision on a request added to the case"
        STEP_UP = "step_up", "Step up accepted by social care"
        STEP_DOWN = "step_down", "Step down or step across"

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="level_changes")
    level_before = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    level_after = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    cause = models.CharField(max_length=20, choices=Cause.choices)
    reason = models.TextField(max_length=MAX_TEXT)
    changed_by = staff_member()
    changed_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        indexes = [models.Index(fields=["changed_on", "cause"])]

    def __str__(self) -> str:
        return f"{self.case} level {self.level_before} -> {self.level_after}"


class RecordChange(models.Model):
    """Product history of a person or family record: who changed what, when, from, to.
    Written only by cases/upkeep.py (and records/ for merges); the audit trail is separate."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    summary = models.CharField(max_length=200)
    # {field label: [from, to]} as the user reads them (labels, not codes).
    changes = models.JSONField(default=dict, blank=True)
    changed_by = staff_member()
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-changed_at"]),
            models.Index(fields=["family", "-changed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(family__isnull=False),
                name="record_change_is_about_a_record",
            )
        ]

    def __str__(self) -> str:
        return self.summary
