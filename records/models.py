"""Keeping records lawful over time: merges of duplicate people (undoable), the retention
schedule, and the reviews that dispose of records past retention (leaving a stub)."""

from django.db import models
from django.db.models import Q

from cases.models import Family, Person
from earlyhelp.recorded import staff_member


class PersonMerge(models.Model):
    """Two records found to be one person. `moved` lists every row moved from the retired
    record to the kept one, so the merge can be undone exactly."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    retired = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_retired")
    reason = models.TextField(max_length=2000)
    moved = models.JSONField(default=dict)
    merged_by = staff_member()
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = staff_member(optional=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kept=models.F("retired")), name="merge_not_with_itself"
            ),
            models.UniqueConstraint(
                fields=["retired"],
                condition=Q(undone_at__isnull=True),
                name="one_live_merge_per_retired",
            ),
        ]

    def __str__(self) -> str:
        return f"Person {self.retired_id} merged into {self.kept_id}"


class RetentionSchedule(models.Model):
    """How long closed early help records are kept. One row (the current schedule); an
    administrator changes it in the admin, audited."""

    name = models.CharField(max_length=100, default="Closed early help records")
    keep_until_youngest_is = models.PositiveSmallIntegerField(
        default=25, help_text="Keep until the youngest child in the family reaches this age"
    )
    extra_years = models.PositiveSmallIntegerField(
        default=0, help_text="Then keep for this many more years"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return (
            f"{self.name}: until the youngest child is {self.keep_until_youngest_is}"
            f" plus {self.extra_years} years"
        )

    @classmethod
    def current(cls) -> "RetentionSchedule":
        schedule = cls.objects.order_by("pk").first()
        return schedule or cls.objects.create()


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager's approval"
    KEPT = "kept", "Kept for longer"
    DISPOSED = "disposed", "Disposed of"


class RetentionReview(models.Model):
    """A family past retention, listed by the monthly job for a manager to approve. After
    disposal this row is the stub: what was disposed of, when, on whose approval."""

    family = models.ForeignKey(
        Family, on_delete=models.SET_NULL, null=True, blank=True, related_name="retention_reviews"
    )
    family_number = models.BigIntegerField(
        help_text="The family record's number, kept after disposal"
    )
    district_name = models.CharField(max_length=100)
    last_closed_on = models.DateField()
    retain_until = models.DateField()
    listed_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    decided_by = staff_member(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)
    disposed_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["retain_until", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family_number"],
                condition=Q(status="pending"),
                name="one_pending_review_per_family",
            )
        ]

    def __str__(self) -> str:
        return f"Retention review of family {self.family_number}"
