"""Family outcomes: the authority's outcomes plan (versioned), each family's needs against the
headline outcomes and their progress over time, claims with internal audit and batches, and
family network meetings (Families First).

The national framework is the Supporting Families programme guidance 2022 to 2025, chapter 5
(ten headline outcomes, STANDARDS.md); Families First Partnership (DfE, 2025) carries it on.
See docs/adr/0012-family-outcomes.md for how plan versions, readiness and claims are kept.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from cases.models import MAX_TEXT, EarlyHelpCase, Family
from earlyhelp.constraints import empty_or_after, when
from earlyhelp.recorded import Recorded, staff_member
from earlyhelp.references import Referenced
from partners.models import FamilyHub
from reporting.summaries.models import CaseColumns, record_key, record_ref


class OutcomesPlanVersion(models.Model):
    """One version of the authority's local outcomes plan. Versions are never edited once
    written (services.plan_version_create makes the next one); a family's episode is judged
    against the version in force on the day the episode started."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    effective_from = models.DateField(unique=True)
    min_needs = models.PositiveSmallIntegerField(
        default=3, help_text="How many headline outcomes a family must have needs against"
    )
    audit_sample_percent = models.PositiveSmallIntegerField(
        default=10, help_text="The share of claims internal audit checks, in per cent"
    )
    note = models.TextField(blank=True, max_length=MAX_TEXT)
    created_by = staff_member(optional=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        permissions = [
            ("run_programme", "Run the family outcomes programme: claims and returns"),
            ("audit_claims", "Audit family outcomes claims (internal audit)"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(min_needs__gte=1), name="plan_min_needs_positive"),
            models.CheckConstraint(
                condition=Q(audit_sample_percent__lte=100), name="plan_audit_share_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class HeadlineOutcome(models.Model):
    """A headline outcome in one plan version: what counts as the need, and what counts as
    significant and sustained progress, and for how long it must be sustained."""

    plan = models.ForeignKey(
        OutcomesPlanVersion, on_delete=models.CASCADE, related_name="headlines"
    )
    code = models.SlugField(max_length=40, help_text="The Supporting Families need code")
    label = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=0)
    eligibility_descriptors = models.TextField(max_length=MAX_TEXT)
    success_measures = models.TextField(max_length=MAX_TEXT)
    sustain_days = models.PositiveIntegerField(
        help_text="Days significant progress must last before it counts as sustained"
    )

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_headline_per_plan"),
            models.CheckConstraint(condition=Q(sustain_days__gte=1), name="sustain_days_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class ProgrammeEpisode(models.Model):
    """A case's place in the programme: the plan version it is judged against (fixed when the
    episode is enrolled, from the case's opening date), the family hub working with it, and
    the date every need will have been sustained (kept by the services)."""

    case = models.OneToOneField(EarlyHelpCase, on_delete=models.CASCADE, related_name="programme")
    plan = models.ForeignKey(OutcomesPlanVersion, on_delete=models.PROTECT, related_name="+")
    family_hub = models.ForeignKey(
        FamilyHub, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ready_on = models.DateField(
        null=True,
        blank=True,
        help_text="When every need shows sustained progress; empty while one does not",
    )
    # Kept by the services so the cohort figures read columns, not subqueries.
    needs_count = models.PositiveSmallIntegerField(default=0)
    claim_status = models.CharField(
        max_length=20, blank=True, help_text="Status of the latest claim not withdrawn"
    )
    enrolled_on = models.DateField()
    enrolled_by = staff_member()

    class Meta:
        indexes = [models.Index(fields=["ready_on"])]

    def __str__(self) -> str:
        return f"Programme episode for {self.case}"


class EvidenceSource(models.TextChoices):
    DATA_MATCH = "data_match", "A data match"
    PRACTITIONER = "practitioner", "A practitioner's judgement, with evidence"
    FAMILY = "family", "The family's own view"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IMPROVING = "improving", "Improving"
    SIGNIFICANT = "significant", "Significant progress"


class FamilyNeed(Recorded):
    """A need identified for the family against one headline outcome, with its evidence and
    where the evidence came from. The current progress is copied from the latest
    NeedProgress row so lists read one table."""

    episode = models.ForeignKey(ProgrammeEpisode, on_delete=models.CASCADE, related_name="needs")
    headline = models.ForeignKey(HeadlineOutcome, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(max_length=MAX_TEXT)
    source = models.CharField(max_length=20, choices=EvidenceSource.choices)
    identified_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    significant_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["headline__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "headline"], name="unique_need_per_episode"),
            when(
                Q(status="significant"),
                then=Q(significant_since__isnull=False),
                name="significant_progress_has_since_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.headline} for {self.episode.case}"


class NeedProgress(Recorded):
    """Progress on one need, recorded at a review (TAF meeting) or at closure, with evidence.
    History: rows are only ever added."""

    need = models.ForeignKey(FamilyNeed, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField()
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    significant_since = models.DateField(null=True, blank=True)
    evidence = models.TextField(max_length=MAX_TEXT)
    meeting = models.ForeignKey(
        "assessments.TafMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at_closure = models.BooleanField(default=False)

    class Meta:
        verbose_name = "need progress"
        verbose_name_plural = "need progress"
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["need", "-recorded_on"])]
        constraints = [
            when(
                Q(status="significant"),
                then=Q(significant_since__isnull=False),
                name="progress_significant_has_since_date",
            ),
            models.CheckConstraint(
                condition=Q(significant_since__isnull=True)
                | Q(significant_since__lte=F("recorded_on")),
                name="progress_since_not_after_recorded",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(at_closure=True),
                name="progress_at_review_or_closure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} {self.status} on {self.recorded_on}"


class ClaimStatus(models.TextChoices):
    DECLINED = "declined", "Not claimed (reason recorded)"
    PREPARED = "prepared", "Prepared"
    IN_SAMPLE = "in_sample", "Sampled for audit"
    NOT_SAMPLED = "not_sampled", "Not sampled for audit"
    AUDIT_PASSED = "audit_passed", "Audit passed"
    AUDIT_FAILED = "audit_failed", "Audit failed"
    BATCHED = "batched", "In a claim batch"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Claims that hold the family's one place in a programme period.
NOT_HOLDING = [ClaimStatus.DECLINED, ClaimStatus.WITHDRAWN]


class ClaimBatch(models.Model):
    """Passed claims sent together for one programme period."""

    period = models.CharField(max_length=7, help_text="Financial year, for example 2026-27")
    number = models.PositiveIntegerField()
    created_on = models.DateField()
    created_by = staff_member()

    class Meta:
        verbose_name = "claim batch"
        verbose_name_plural = "claim batches"
        ordering = ["-period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="unique_batch_number")
        ]

    def __str__(self) -> str:
        return f"Claim batch {self.period}/{self.number}"


class Claim(Referenced, models.Model):
    """A payment-by-results claim for one family's episode, or the record of why the team
    did not claim. `rules` keeps the plan rules and need dates the claim was judged on."""

    reference_prefix = "CL"

    episode = models.ForeignKey(ProgrammeEpisode, on_delete=models.PROTECT, related_name="claims")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    prepared_on = models.DateField()
    prepared_by = staff_member()
    reason = models.TextField(blank=True, max_length=MAX_TEXT)
    rules = models.JSONField(default=dict)
    audit_notes = models.TextField(blank=True, max_length=MAX_TEXT)
    audited_by = staff_member(optional=True)
    audited_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        ClaimBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )

    class Meta:
        ordering = ["-prepared_on", "-pk"]
        indexes = [models.Index(fields=["period", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "period"],
                condition=~Q(status__in=["declined", "withdrawn"]),
                name="one_claim_per_family_per_period",
            ),
            when(Q(status="batched"), then=Q(batch__isnull=False), name="batched_claim_has_batch"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.period} for {self.episode.case}"


class ClaimEvent(models.Model):
    """The claim's own history (product data): each status change, by whom, with notes."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    by = staff_member()
    at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(blank=True, max_length=MAX_TEXT)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '-'} -> {self.to_status}"


class NetworkMeetingKind(models.TextChoices):
    FAMILY_NETWORK = "family_network", "Family network meeting"
    FGDM = "fgdm", "Family group decision-making conference"


class FamilyNetworkMeeting(Recorded):
    """Families First: the family and its network make their own plan. Who from the network
    took part, the family's own plan, what the network will do, and when they meet next."""

    case = models.ForeignKey(
        EarlyHelpCase, on_delete=models.CASCADE, related_name="network_meetings"
    )
    kind = models.CharField(max_length=20, choices=NetworkMeetingKind.choices)
    held_on = models.DateField()
    participants = models.TextField(
        max_length=MAX_TEXT, help_text="Who from the family network took part, one per line"
    )
    family_plan = models.TextField(max_length=MAX_TEXT)
    network_commitments = models.TextField(max_length=MAX_TEXT)
    next_meeting_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["case", "-held_on"])]
        constraints = [
            empty_or_after("next_meeting_on", "held_on", name="next_network_meeting_after_this_one")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case} on {self.held_on}"

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class ReturnLayout(models.Model):
    """The columns of the quarterly family-level data return, in order (one row, pk=1)."""

    columns = ArrayField(models.CharField(max_length=40), default=list)
    updated_by = staff_member(optional=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return ", ".join(self.columns)


# --- Summaries ---------------------------------------------------------------------------
# The cohort dashboard's counts, rebuilt with the reporting summaries (outcomes/summaries.py,
# registered in outcomes.apps): one narrow row per record with what the figures need worked
# out, scoped like every other fact by the copies of the case's columns.


class ProgrammeFact(CaseColumns):
    """An episode: whether the family meets the programme's conditions, and its claims. Its
    state is worked out when the dashboard is drawn (ready_on against today), so the figures
    move with the calendar between rebuilds."""

    episode = record_key("outcomes.ProgrammeEpisode")
    case = record_ref("cases.EarlyHelpCase")
    family_hub = record_ref("partners.FamilyHub", null=True)
    eligible = models.BooleanField()
    claim_status = models.CharField(max_length=20, blank=True)
    ready_on = models.DateField(null=True)
    claims_made = models.PositiveIntegerField()
    claims_passed = models.PositiveIntegerField()


class NeedFact(CaseColumns):
    """A family's need against a headline outcome, and the day its significant progress
    will count as sustained (None until progress is significant)."""

    need = record_key("outcomes.FamilyNeed")
    case = record_ref("cases.EarlyHelpCase")
    headline = record_ref("outcomes.HeadlineOutcome")
    status = models.CharField(max_length=20)
    sustained_from = models.DateField(null=True)


class NetworkFact(CaseColumns):
    """A case that has held at least one family network meeting."""

    case = record_key("cases.EarlyHelpCase")
