"""Reporting records: export jobs, quality assurance audits, and education events that some
indicators count (EHC needs assessment requests and exclusions, where they are recorded).

Indicators themselves are never stored: they are computed from the casework records
(reporting/indicators.py), so a figure always agrees with the records behind it.
"""

from django.db import models
from django.db.models import Q

from cases.models import MAX_TEXT, EarlyHelpCase, Person
from earlyhelp.constraints import when
from earlyhelp.recorded import staff_member
from partners.models import District


class ExportKind(models.TextChoices):
    INDICATORS_CSV = "indicators_csv", "Indicators (CSV)"
    INDICATORS_XLSX = "indicators_xlsx", "Indicators (Excel)"
    CASES_CSV = "cases_csv", "List of cases (CSV)"
    CASES_XLSX = "cases_xlsx", "List of cases (Excel)"
    REQUESTS_CSV = "requests_csv", "Requests for support (CSV)"
    REQUESTS_XLSX = "requests_xlsx", "Requests for support (Excel)"
    ANNEX_A_CSV = "annex_a_csv", "Ofsted Annex A List 2 (CSV)"
    ANNEX_A_XLSX = "annex_a_xlsx", "Ofsted Annex A List 2 (Excel)"
    BOARD_REPORT = "board_report", "Partnership board report (PDF)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted after the keeping time"


class ExportJob(models.Model):
    """A long export, built by a Celery task (reporting/tasks.py) and downloaded only by the
    person who asked for it, whose access is checked again when the file is built and when it
    is downloaded."""

    requested_by = staff_member(related_name="export_jobs")
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True, help_text="Relative to MEDIA_ROOT")
    file_name = models.CharField(max_length=150, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the build task reached the broker. Empty while Redis is down: the job waits in
    # the database and beat's starter publishes it when the broker is back.
    published_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(
                fields=["created_at"], condition=Q(status="queued"), name="export_waiting_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_0_100"),
            when(Q(status="ready"), then=~Q(file_path=""), name="ready_export_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.requested_by_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED, ExportStatus.EXPIRED)

    @property
    def waiting_for_broker(self) -> bool:
        return self.status == ExportStatus.QUEUED and self.published_at is None


class Grade(models.TextChoices):
    """Ofsted's four-point scale, used by early help quality assurance."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


class QualityAudit(models.Model):
    """An early help consultant's audit of one case's assessment, plan and review (Blackpool:
    'consistently good quality assessments, plans and reviews'; Lancashire: 'increased
    prevalence of good/outstanding ... in evaluation of early help practice'). The lead
    professional sees the grades and feedback."""

    case = models.ForeignKey(EarlyHelpCase, on_delete=models.PROTECT, related_name="quality_audits")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    auditor = staff_member(related_name="quality_audits")
    lead_professional = staff_member(optional=True, related_name="quality_audits_received")
    sample_month = models.DateField(help_text="First day of the month the sample was drawn for")
    audited_on = models.DateField()
    assessment_grade = models.CharField(max_length=25, choices=Grade.choices)
    plan_grade = models.CharField(max_length=25, choices=Grade.choices)
    review_grade = models.CharField(max_length=25, choices=Grade.choices)
    overall_grade = models.CharField(max_length=25, choices=Grade.choices)
    feedback = models.TextField(max_length=MAX_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-audited_on", "-pk"]
        indexes = [
            models.Index(fields=["district", "audited_on"]),
            models.Index(fields=["lead_professional", "-audited_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "sample_month"], name="one_quality_audit_per_case_per_sample"
            )
        ]

    def __str__(self) -> str:
        return f"Audit of {self.case} on {self.audited_on}"


class EducationEventKind(models.TextChoices):
    EHC_REQUEST = "ehc_request", "Request for an EHC needs assessment"
    EXCLUSION = "exclusion", "Exclusion from school"


class EducationEvent(models.Model):
    """A request for an Education, Health and Care needs assessment, or an exclusion, for a
    child (usually loaded from the education system). Counted by the indicators 'early help
    plan in place before a request for an EHC needs assessment / before exclusion'
    (Lancashire Performance Management; Blackpool Outcomes)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="education_events")
    kind = models.CharField(max_length=20, choices=EducationEventKind.choices)
    occurred_on = models.DateField()
    source = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["kind", "occurred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "occurred_on"], name="unique_education_event"
            )
        ]
        # Granted to the education system's service account (partners/doors.py).
        permissions = [("load_education_events", "Can send education events through the API")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
