"""Quality assurance: the monthly case sample per district, and recording an audit.

An early help consultant audits a sample of cases in each of their districts (Blackpool:
'the lead professional will be expected to engage with a quality assurance process'),
grading the assessment, the plan and the review on Ofsted's four-point scale, with feedback
the lead professional sees. Audits feed the quality indicators (reporting/indicators.py).
"""

import datetime

from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value, Window
from django.db.models.functions import MD5, Cast, Concat, RowNumber
from django.urls import reverse

from cases.access import cases_visible_to, get_case_for
from cases.models import MAX_TEXT, CaseStatus, EarlyHelpCase
from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from reporting.access import may_audit_quality
from reporting.models import Grade, QualityAudit

SAMPLE_PER_DISTRICT = 5


def sample_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def qa_sample_for(
    user, month: datetime.date, *, per_district: int = SAMPLE_PER_DISTRICT
) -> QuerySet:
    """The month's sample: up to `per_district` cases in each of the consultant's districts,
    drawn from open cases with an assessment. The draw is repeatable for the month (ordered by
    a hash of case and month) so every consultant sees the same sample, and it changes next
    month. One query, whatever the number of districts."""
    seed = month.strftime("%Y-%m")
    eligible = (
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN, assessment__isnull=False)
        .filter(district_id__in=user.districts.values("pk"))
        .annotate(
            draw=MD5(Concat(Cast("pk", CharField()), Value(seed), output_field=CharField())),
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("district_id")], order_by=F("draw").asc())
        )
    )
    return (
        eligible.filter(rank__lte=per_district)
        .select_related("district", "lead_professional", "family")
        .order_by("district__name", "draw")
    )


def _grade(value: str, label: str) -> str:
    if value not in Grade.values:
        raise DomainError(f"Choose a grade for the {label}.")
    return value


@transaction.atomic
def quality_audit_record(
    *,
    case: EarlyHelpCase,
    acting_user,
    assessment_grade: str,
    plan_grade: str,
    review_grade: str,
    overall_grade: str,
    feedback: str,
    audited_on: datetime.date,
    request=None,
) -> QualityAudit:
    """Record a consultant's audit of a case in their districts, and tell the lead
    professional that feedback is waiting."""
    from earlyhelp.notifications import notify

    if not may_audit_quality(acting_user):
        raise DomainError(f"Only {term('early help')} consultants audit cases.")
    case = get_case_for(acting_user, case.pk)
    if not acting_user.districts.filter(pk=case.district_id).exists():
        raise DomainError("You can audit cases in your own districts only.")
    feedback = (feedback or "").strip()
    if not feedback:
        raise DomainError(f"Write feedback for the {term('lead professional')}.")
    if len(feedback) > MAX_TEXT:
        raise DomainError(f"Feedback must be {MAX_TEXT:,} characters or fewer.")
    month = sample_month(audited_on)
    if QualityAudit.objects.filter(case=case, sample_month=month).exists():
        raise DomainError("This case has already been audited for this month's sample.")
    record = QualityAudit.objects.create(
        case=case,
        district_id=case.district_id,
        auditor=acting_user,
        lead_professional_id=case.lead_professional_id,
        sample_month=month,
        audited_on=audited_on,
        assessment_grade=_grade(assessment_grade, "assessment"),
        plan_grade=_grade(plan_grade, "plan"),
        review_grade=_grade(review_grade, "review"),
        overall_grade=_grade(overall_grade, "case overall"),
        feedback=feedback,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=record, request=request)
    if case.lead_professional_id:
        notify(
            user=case.lead_professional,
            subject=f"Quality audit feedback on {case.reference}",
            body=f"{term('Early help')} quality assurance has audited this case. Read it.",
            url=reverse("qa_feedback_detail", args=[record.pk]),
        )
    return record


def audits_for_lead_professional(user) -> QuerySet:
    """The audits of cases a lead professional led at the time of the audit."""
    return QualityAudit.objects.filter(lead_professional=user).select_related(
        "case", "auditor", "district"
    )


def audits_for_case(user, case: EarlyHelpCase) -> QuerySet:
    """Audits of one case, for the case page (the viewer must be able to read the case)."""
    get_case_for(user, case.pk)
    return QualityAudit.objects.filter(case=case).select_related("auditor")
