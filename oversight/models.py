"""Management oversight of casework, and the early help consultants' advice log.

- Supervision: a manager records case supervision or management oversight on the case
  (date, discussion, decisions, next supervision date). The authority sets how often each
  open case is supervised (settings.SUPERVISION_INTERVAL_DAYS).
- Consultation: a partner asks a consultant "should I make a request?"; the consultant
  records the question, the advice and the outcome, about a known family or anonymously.
"""

from django.db import models
from django.utils.text import format_lazy

from cases.models import MAX_TEXT, EarlyHelpCase, Family
from earlyhelp.constraints import empty_or_after
from earlyhelp.recorded import Recorded, staff_member
from earlyhelp.references import Referenced
from earlyhelp.wording import term_lazy
from partners.models import Agency, District


class SupervisionKind(models.TextChoices):
    SUPERVISION = "supervision", "Case supervision"
    OVERSIGHT = "oversight", "Management oversight"


class Supervision(Recorded):
    case = models.ForeignKey(EarlyHelpCase, on_delete=models.CASCADE, related_name="supervisions")
    kind = models.CharField(max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField()
    discussion = models.TextField(max_length=MAX_TEXT)
    decisions = models.TextField(max_length=MAX_TEXT)
    next_supervision_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["case", "-held_on"])]
        constraints = [
            empty_or_after("next_supervision_on", "held_on", name="next_supervision_after_this_one")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case} on {self.held_on}"


class ConsultationOutcome(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    MAKE_REQUEST = "make_request", "Make a request for support"
    PARTNER_LED = "partner_led", format_lazy("Partner-led {}, with advice", term_lazy("early help"))
    SIGNPOST = "signpost", "Information and signposting"
    SOCIAL_CARE = "social_care", "Contact children's social care now"
    NO_ACTION = "no_action", "No further action"


class Consultation(Referenced, models.Model):
    reference_prefix = "CON"

    consultant = staff_member(related_name="consultations")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField()
    asked_by_name = models.CharField(max_length=150)
    asked_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Null: an anonymous consultation (the partner did not name the family).
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    question = models.TextField(max_length=MAX_TEXT)
    advice = models.TextField(max_length=MAX_TEXT)
    outcome = models.CharField(
        max_length=20, choices=ConsultationOutcome.choices, default=ConsultationOutcome.PENDING
    )
    follow_up_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-asked_on", "-pk"]
        indexes = [
            models.Index(fields=["consultant", "-asked_on"]),
            models.Index(fields=["consultant", "outcome", "follow_up_on"]),
        ]
        constraints = [
            empty_or_after(
                "follow_up_on", "asked_on", name="consultation_follow_up_after_asked", same_day=True
            )
        ]

    def __str__(self) -> str:
        return f"Consultation {self.pk} on {self.asked_on}"

    @property
    def is_anonymous(self) -> bool:
        return self.family_id is None
