"""Summary tables for figures that need not be live to the second (indicators, dashboards,
the board report): one narrow row per record, with what each figure needs already worked
out (the review's due date from the meeting before, whether a request was a re-referral,
whether a child had a plan on the day of an exclusion...). They are rebuilt from the
records by summaries/refresh.py on a beat schedule, and the pages say when.

The columns that point at records are foreign keys WITHOUT database constraints: the
tables are a derived copy, rebuilt as a whole, and must never block a change to the
records themselves. Scoping works as everywhere else: `case_id IN cases_visible_to(user)`.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models


def record_ref(model: str, **kwargs):
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs
    )


def record_key(model: str):
    """The record a fact is one row for, as its primary key (no database constraint)."""
    return models.OneToOneField(
        model, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class Fact(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class SummaryRefresh(models.Model):
    """When the summaries were last rebuilt, and how long it took (one row)."""

    name = models.CharField(max_length=40, unique=True)
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField()
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "summary refresh"
        verbose_name_plural = "summary refreshes"

    def __str__(self) -> str:
        return f"{self.name} at {self.refreshed_at:%Y-%m-%d %H:%M}"


class CaseColumns(Fact):
    """Copies of the case columns the access rules read (cases.access
    .case_columns_visible_to), so each fact is scoped without joining back to the cases."""

    family = record_ref("cases.Family")
    district = record_ref("partners.District")
    lead_agency = record_ref("partners.Agency")
    family_restricted = models.BooleanField()

    class Meta:
        abstract = True


class CaseFact(CaseColumns):
    case = record_key("cases.EarlyHelpCase")
    lead_professional = record_ref("partners.User", null=True)
    status = models.CharField(max_length=30)
    level_of_need = models.PositiveSmallIntegerField(null=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    closure_reason = models.CharField(max_length=40, blank=True)
    family_view = models.CharField(max_length=20, null=True)  # null: no closure record
    has_plan = models.BooleanField()
    origin = models.CharField(max_length=20, default="front_door")  # cases.models.CaseOrigin

    class Meta:
        indexes = [models.Index(fields=["opened_on", "closed_on"]), models.Index(fields=["status"])]


class CaseChildFact(CaseColumns):
    """A child on a case (EarlyHelpCase.children)."""

    case = record_ref("cases.EarlyHelpCase")
    person = record_ref("cases.Person")
    case_status = models.CharField(max_length=30)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["case", "person"]), models.Index(fields=["opened_on"])]


class ChildFact(Fact):
    """The attributes of a child on any case, for the breakdowns."""

    person = record_key("cases.Person")
    date_of_birth = models.DateField(null=True)
    gender = models.CharField(max_length=10)
    ethnicity = models.CharField(max_length=10)
    send = models.BooleanField()
    deciles = ArrayField(models.PositiveSmallIntegerField())  # 0: not known


class ReferralFact(Fact):
    referral = record_key("referrals.Referral")
    district = record_ref("partners.District", null=True)
    family = record_ref("cases.Family", null=True)
    created_by = record_ref("partners.User", null=True)
    referrer_user = record_ref("partners.User", null=True)
    referrer_agency = record_ref("partners.Agency", null=True)
    status = models.CharField(max_length=30)
    channel = models.CharField(max_length=30)
    urgency = models.CharField(max_length=20)
    received_date = models.DateField(null=True)
    due_on = models.DateField(null=True)
    decided_date = models.DateField(null=True)
    outcome = models.CharField(max_length=30, null=True)  # null: no decision
    allocated_agency = record_ref("partners.Agency", null=True)
    re_referral = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["received_date"]),
            models.Index(fields=["decided_date"]),
            models.Index(fields=["status"]),
        ]


class AssessmentFact(CaseColumns):
    """The first sign-off of each assessment."""

    version = record_key("assessments.AssessmentVersion")
    case = record_ref("cases.EarlyHelpCase")
    signed_date = models.DateField()
    due_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["signed_date"])]


class ReviewFact(CaseColumns):
    """A held review, and the date it was due by (set at the held meeting before)."""

    meeting = record_key("assessments.TafMeeting")
    case = record_ref("cases.EarlyHelpCase")
    held_on = models.DateField()
    due = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["held_on"])]


class PlanOutcomeFact(CaseColumns):
    """A family plan outcome with a baseline, and its scaling at the latest held review:
    "distance travelled" for the outcomes dashboard (issue 15), which would otherwise sort
    every review's scaling in the county on each view."""

    outcome = record_key("assessments.PlanOutcome")
    case = record_ref("cases.EarlyHelpCase")
    baseline = models.PositiveSmallIntegerField()
    latest = models.PositiveSmallIntegerField()


class EducationFact(Fact):
    event = record_key("reporting.EducationEvent")
    person = record_ref("cases.Person")
    kind = models.CharField(max_length=20)
    occurred_on = models.DateField()
    with_plan = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["occurred_on"])]


class DeadlineKind(models.TextChoices):
    ASSESSMENT = "assessment", "Draft first assessment"
    FIRST_TAF = "first_taf", "Plan not yet agreed at a first TAF meeting"
    REVIEW = "review", "Next review set at the case's latest held meeting"


class DeadlineFact(CaseColumns):
    """Outstanding casework on open and awaiting cases, with its due date: the dashboard
    compares the dates with today when it is drawn, so the figures move with the calendar
    between refreshes."""

    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    record_id = models.BigIntegerField()
    case = record_ref("cases.EarlyHelpCase")
    case_status = models.CharField(max_length=30)
    due_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["kind", "due_on"])]
