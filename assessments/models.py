"""The Early Help Assessment (with signed-off versions), the family plan, and Team Around
the Family meetings and reviews. Deadlines are computed in assessments/deadlines.py and
stored on the rows, so overdue lists are plain indexed filters at county scale."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models import MAX_TEXT, EarlyHelpCase, Need, Person, TeamAroundFamilyMember
from earlyhelp.constraints import empty_or_after, when
from earlyhelp.recorded import staff_member
from earlyhelp.transitions import StatusHistory
from earlyhelp.wording import term


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class Assessment(models.Model):
    """The case's Early Help Assessment: the working copy. Every save checks `lock_version`
    (optimistic locking); sign-off copies it into an immutable AssessmentVersion, and a
    later change starts the next version from the signed-off text."""

    case = models.OneToOneField(EarlyHelpCase, on_delete=models.CASCADE, related_name="assessment")
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    version_number = models.PositiveIntegerField(default=1)
    lock_version = models.PositiveIntegerField(default=1)
    content = models.JSONField(default=dict, blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="assessments")
    started_on = models.DateField()
    due_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = staff_member(optional=True)
    last_saved_at = models.DateTimeField(auto_now=True)
    last_saved_by = staff_member(optional=True)
    created_by = staff_member()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # No "due after start" constraint: the EHA is due 20 working days after the case
        # starts, so an assessment started late is due before it started (and overdue).
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{term('Early Help Assessment')} for {self.case} (version {self.version_number})"

    @property
    def is_locked(self) -> bool:
        return self.status != AssessmentStatus.DRAFT


class AssessmentVersion(models.Model):
    """A signed-off assessment: never changed after it is written."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    need_codes = models.JSONField(default=list)
    field_labels = models.JSONField(default=list, help_text="[[key, label], ...] at sign-off")
    started_on = models.DateField()
    submitted_at = models.DateTimeField(null=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    signed_off_at = models.DateTimeField()
    signed_off_by = staff_member()
    sign_off_comment = models.TextField(blank=True, max_length=MAX_TEXT)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="unique_eha_version")
        ]

    def __str__(self) -> str:
        return f"{self.assessment.case} EHA version {self.number}"


class AssessmentContributor(models.Model):
    """Someone the lead professional invited to help complete the assessment (an early help
    consultant, say). They may edit the draft while the invitation stands; the lead still
    submits it. Recorded on the assessment as a contributor."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="contributors"
    )
    user = staff_member(related_name="assessment_invitations")
    invited_by = staff_member()
    invited_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, max_length=MAX_TEXT)
    last_contributed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_open_invitation_per_contributor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} contributes to {self.assessment_id}"


class SignOffDecision(models.Model):
    """A manager's sign-off or return of a submitted assessment (product history)."""

    class Outcome(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned for changes"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="decisions")
    version_number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    comment = models.TextField(blank=True, max_length=MAX_TEXT)
    decided_by = staff_member()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outcome} v{self.version_number}"


class FamilyPlan(models.Model):
    """The family's plan. Agreed at the first TAF meeting, which is due within 10 working
    days of the plan being drawn up (Blackpool Appendix 1)."""

    case = models.OneToOneField(EarlyHelpCase, on_delete=models.CASCADE, related_name="family_plan")
    created_on = models.DateField()
    first_taf_due_on = models.DateField()
    agreed_on = models.DateField(null=True, blank=True)
    version_number = models.PositiveIntegerField(default=1)
    lock_version = models.PositiveIntegerField(default=1)
    created_by = staff_member()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["agreed_on", "first_taf_due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_taf_due_on__gte=F("created_on")),
                name="plan_first_taf_due_after_created",
            ),
            empty_or_after(
                "agreed_on", "created_on", name="plan_agreed_after_created", same_day=True
            ),
        ]

    def __str__(self) -> str:
        return f"Family plan for {self.case}"


class PlanOutcome(models.Model):
    """An outcome the family sets, in their own words, linked to the assessed needs."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(max_length=MAX_TEXT, help_text="In the family's own words")
    needs = models.ManyToManyField(Need, blank=True, related_name="plan_outcomes")
    priority = models.PositiveSmallIntegerField(default=1)
    baseline_scaling = models.PositiveSmallIntegerField(null=True, blank=True)
    created_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_scaling__isnull=True) | Q(baseline_scaling__lte=10),
                name="outcome_baseline_scaling_0_to_10",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "No longer needed"


class PlanAction(models.Model):
    """What will happen, who does it (a TAF member or the family), by when."""

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(max_length=MAX_TEXT)
    owner_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
    )
    owner_is_family = models.BooleanField(default=False)
    set_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    services = models.ManyToManyField("partners.Service", blank=True, related_name="plan_actions")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("set_on")), name="action_due_on_or_after_set"
            ),
            models.CheckConstraint(
                condition=Q(owner_member__isnull=False) | Q(owner_is_family=True),
                name="action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def owner_name(self) -> str:
        return "The family" if self.owner_is_family else self.owner_member.name


class MeetingKind(models.TextChoices):
    FIRST_TAF = "first_taf", "First TAF meeting (agree the plan)"
    REVIEW = "review", "TAF review"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MeetingDecision(models.TextChoices):
    CONTINUE = "continue", "Continue with the plan"
    CHANGE_PLAN = "change_plan", "Change the plan"
    STEP_UP = "step_up", "Step up to children's social care"
    STEP_DOWN = "step_down", "Step down to universal services"
    CLOSE = "close", "Close the case"


class TafMeeting(models.Model):
    """A Team Around the Family meeting: the first (agrees the plan) or a review, every 4 to
    6 weeks (Blackpool Appendix 1)."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="taf_meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    scheduled_for = models.DateField()
    # Time of day in Europe/London; the invitation's calendar file carries it (none: all day).
    starts_at = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # Bumped by every change sent to members, so calendars replace the old invitation.
    sequence = models.PositiveIntegerField(default=0)
    # What members without an account are told, as the lead chooses (no case details).
    note_for_external = models.TextField(blank=True, max_length=2000)
    change_reason = models.TextField(blank=True, max_length=MAX_TEXT)
    held_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    discussion = models.TextField(blank=True, max_length=MAX_TEXT)
    child_voice = models.TextField(blank=True, max_length=MAX_TEXT)
    decision = models.CharField(max_length=20, choices=MeetingDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True, max_length=MAX_TEXT)
    next_review_on = models.DateField(null=True, blank=True)
    scheduled_by = staff_member()
    recorded_by = staff_member(optional=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "TAF meeting"
        ordering = ["-scheduled_for", "-pk"]
        indexes = [
            models.Index(fields=["case", "-scheduled_for"]),
            models.Index(fields=["status", "scheduled_for"]),
            models.Index(fields=["status", "next_review_on"]),
            # "Was this review on time?" looks up the case's previous held meeting.
            models.Index(
                fields=["case", "held_on"], condition=Q(status="held"), name="meeting_held_by_case"
            ),
        ]
        constraints = [
            when(
                Q(status="held"),
                then=Q(held_on__isnull=False) & ~Q(decision=""),
                name="held_meeting_has_date_and_decision",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(held_on__isnull=True)
                | Q(next_review_on__gt=F("held_on")),
                name="next_review_after_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case} on {self.scheduled_for}"


class Attendance(models.TextChoices):
    PRESENT = "present", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(TafMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        TeamAroundFamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    attendance = models.CharField(max_length=20, choices=Attendance.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(person__isnull=False),
                name="attendee_is_member_or_family",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.attendance}"


class OutcomeProgress(models.Model):
    """Progress on one plan outcome at one meeting: scaling now, and distance travelled
    from the outcome's baseline."""

    meeting = models.ForeignKey(TafMeeting, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="progress")
    scaling = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=MAX_TEXT)

    class Meta:
        verbose_name = "outcome progress"
        verbose_name_plural = "outcome progress"
        ordering = ["outcome__priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "outcome"], name="unique_progress_row"),
            models.CheckConstraint(condition=Q(scaling__lte=10), name="progress_scaling_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id} at {self.meeting_id}: {self.scaling}"

    @property
    def distance_travelled(self) -> int | None:
        base = self.outcome.baseline_scaling
        return None if base is None else self.scaling - base


# --- Status history (written only by assessments/transitions.py; ADR 0014) ---------------


class AssessmentStatusChange(StatusHistory):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusHistory.Meta):
        pass


class PlanActionStatusChange(StatusHistory):
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusHistory.Meta):
        pass


class MeetingStatusChange(StatusHistory):
    meeting = models.ForeignKey(TafMeeting, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusHistory.Meta):
        pass
