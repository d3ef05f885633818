"""Requests for support (referrals), their people, triage decisions and status history.

Statuses move only through referrals/transitions.py; every write goes through
referrals/services.py. Nothing here is ever deleted: a withdrawn or duplicate request is
closed with a reason.
"""

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy

from cases.codes import Gender, Relationship
from cases.models import MAX_TEXT, EarlyHelpCase, Family, LevelOfNeed, Need, Person
from earlyhelp.constraints import when
from earlyhelp.recorded import staff_member
from earlyhelp.references import Referenced
from earlyhelp.wording import term_lazy
from partners.models import Agency, District


class ReferralSource(models.TextChoices):
    """DfE Children in Need census referral source codes (2023-24 schema)."""

    FAMILY_MEMBER = "1A", "Family member or carer"
    ACQUAINTANCE = "1B", "Acquaintance"
    SELF = "1C", "Self (the family)"
    OTHER_INDIVIDUAL = "1D", "Other individual"
    SCHOOL = "2A", "School"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "GP"
    HEALTH_VISITOR = "3B", "Health visitor"
    SCHOOL_NURSE = "3C", "School nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Other primary health services"
    A_AND_E = "3E", "A&E"
    OTHER_HEALTH = "3F", "Other health services"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority children's social care"
    LA_INTERNAL = "5B", "Other internal local authority department"
    LA_EXTERNAL = "5C", "External local authority"
    LA_EARLY_HELP = "5D", term_lazy("Early help")
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other (children's centre, voluntary sector and others)"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


# A sensible default source for each kind of referring agency; the referrer can change it.
SOURCE_FOR_AGENCY_KIND = {
    "school": ReferralSource.SCHOOL,
    "early_years": ReferralSource.EDUCATION_SERVICES,
    "health": ReferralSource.OTHER_HEALTH,
    "police": ReferralSource.POLICE,
    "early_help_team": ReferralSource.LA_EARLY_HELP,
    "social_care": ReferralSource.LA_SOCIAL_CARE,
    "housing": ReferralSource.HOUSING,
    "voluntary": ReferralSource.OTHER,
    "youth_justice": ReferralSource.OTHER_LEGAL,
    "adult_services": ReferralSource.LA_INTERNAL,
    "other": ReferralSource.OTHER,
}


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Received"
    IN_TRIAGE = "in_triage", "Picked up"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


class Channel(models.TextChoices):
    """The door the request came through."""

    WEB = "web", "Online form"
    API = "api", "Partner system"
    PHONE = "phone", "Phone call to the front door"
    EMAIL = "email", "Email to the front door"
    STEP_DOWN = "step_down", "Step down from children's social care"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class FamilyConsent(models.TextChoices):
    """Whether the family knows about the request and agrees to it (early help is voluntary)."""

    CONSENTED = "consented", "Yes, the family knows and agrees"
    AWARE_NOT_CONSENTED = "aware_not_consented", "The family knows but does not agree"
    NOT_AWARE = "not_aware", "The family does not know about this request"


class ClosedReason(models.TextChoices):
    WITHDRAWN = "withdrawn", "Withdrawn by the referrer"
    DUPLICATE = "duplicate", "Duplicate of another request"


class Referral(Referenced, models.Model):
    """A request for support for a family, from any of the three doors (or a step down)."""

    reference_prefix = "RFS"

    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic lock: bumped by every status change."
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    created_by = staff_member(related_name="referrals_created")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )

    # Who is asking
    is_self_referral = models.BooleanField(default=False)
    referrer_user = staff_member(
        optional=True,
        related_name="referrals_made",
        help_text="The referrer's account, when they have one (told the outcome in-app).",
    )
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    referrer_organisation = models.CharField(
        max_length=200, blank=True, help_text="When the referrer's agency is not on the system."
    )
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=3, choices=ReferralSource.choices, blank=True)

    # The household
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    # The request
    worries = models.TextField("What are you worried about?", max_length=MAX_TEXT, blank=True)
    working_well = models.TextField("What is working well?", max_length=MAX_TEXT, blank=True)
    support_requested = models.TextField(max_length=MAX_TEXT, blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="referrals")
    family_consent = models.CharField(max_length=30, choices=FamilyConsent.choices, blank=True)
    no_consent_reason = models.TextField(max_length=MAX_TEXT, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    significant_harm = models.BooleanField(
        default=False, help_text="The referrer believes a child is at risk of significant harm."
    )
    possible_step_up = models.BooleanField(
        default=False, help_text="Flagged at once as a possible step up to social care."
    )
    step_down_summary = models.TextField(max_length=MAX_TEXT, blank=True)
    draft_data = models.JSONField(
        default=dict, blank=True, help_text="What was typed into the form, kept as typed."
    )

    # Triage
    received_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    picked_up_by = staff_member(optional=True, related_name="referrals_picked_up")
    picked_up_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = staff_member(optional=True)
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    is_re_referral = models.BooleanField(default=False)
    case = models.ForeignKey(
        EarlyHelpCase, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )

    # Closure without a decision
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    closed_note = models.TextField(max_length=MAX_TEXT, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["district", "status", "received_at"], name="referral_queue"),
            models.Index(fields=["created_by", "status"]),
            models.Index(fields=["referrer_agency", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                # A draft withdrawn by its author before sending is closed unreceived.
                condition=Q(status="draft")
                | Q(status="closed", received_at__isnull=True)
                | Q(received_at__isnull=False, district__isnull=False),
                name="referral_received_has_date_and_district",
            ),
            when(Q(status="closed"), then=~Q(closed_reason=""), name="closed_referral_has_reason"),
            when(
                Q(status="in_triage"),
                then=Q(picked_up_by__isnull=False),
                name="referral_in_triage_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_step_down(self) -> bool:
        return self.channel == Channel.STEP_DOWN

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.SUBMITTED, ReferralStatus.IN_TRIAGE)

    @property
    def referrer_display(self) -> str:
        if self.is_self_referral:
            return "Self-referral by the family"
        organisation = self.referrer_agency.name if self.referrer_agency_id else ""
        organisation = organisation or self.referrer_organisation
        return ", ".join(p for p in [self.referrer_name, organisation] if p)


class ReferralPerson(models.Model):
    """A person as the referrer described them; linked to a cases.Person by the front door."""

    class Match(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        LINKED = "linked", "Linked to an existing person"
        NEW = "new", "Confirmed new"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.NOT_RECORDED)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField("Unique pupil number", max_length=13, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    order = models.PositiveSmallIntegerField(default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="referral_entries"
    )
    match = models.CharField(max_length=20, choices=Match.choices, default=Match.UNCHECKED)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(expected_date__isnull=True),
                name="referral_person_born_or_expected_not_both",
            ),
            when(
                Q(match="linked"),
                then=Q(person__isnull=False),
                name="linked_referral_person_has_person",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child(self) -> bool:
        return self.relationship == Relationship.CHILD


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    SIGNPOSTING = "signposting", "Information and signposting"
    UNIVERSAL_PLUS = "universal_plus", "Universal Plus: allocate to a partner agency"
    TARGETED = (
        "targeted",
        format_lazy("Targeted {}: allocate to a district team", term_lazy("early help")),
    )
    STEP_UP = "step_up", "Step up to children's social care"
    ADD_TO_OPEN_CASE = "add_to_case", "Add to an already-open case"


ALLOCATING_OUTCOMES = (Outcome.UNIVERSAL_PLUS, Outcome.TARGETED)


class TriageDecision(models.Model):
    """The threshold decision on a request: level of need, outcome and why."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    level_of_need = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField(max_length=MAX_TEXT)
    allocated_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    lead_professional = staff_member(optional=True)
    case = models.ForeignKey(
        EarlyHelpCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signposted_to = models.TextField(max_length=MAX_TEXT, blank=True)
    signposted_services = models.ManyToManyField(
        "partners.Service", blank=True, related_name="signposting_decisions"
    )
    decided_by = staff_member()
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            when(
                Q(outcome__in=["universal_plus", "targeted"]),
                then=Q(allocated_agency__isnull=False, case__isnull=False),
                name="allocating_decision_has_agency_and_case",
            ),
            when(
                Q(outcome="add_to_case"),
                then=Q(case__isnull=False),
                name="add_to_case_decision_has_case",
            ),
            models.CheckConstraint(
                condition=Q(level_of_need__gte=1, level_of_need__lte=4),
                name="decision_level_of_need_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral}: {self.get_outcome_display()}"

    @property
    def level_label(self) -> str:
        return LevelOfNeed.label_for(self.level_of_need)


class ReferralStatusHistory(models.Model):
    """Product data: every status move, who made it and why (the audit trail is separate)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    verb = models.CharField(max_length=30)
    by = staff_member()
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "referral status history"

    def __str__(self) -> str:
        return f"{self.referral_id} {self.from_status}->{self.to_status}"
