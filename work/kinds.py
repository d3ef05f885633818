"""The kinds of item a work tray holds. The codes are the API's `kind` values (a contract)."""

from django.db.models import TextChoices
from django.utils.text import format_lazy

from earlyhelp.wording import term_lazy

EHA = term_lazy("Early Help Assessment")


class TrayKind(TextChoices):
    # practitioner / lead professional
    ASSESSMENT_START = "assessment_start", format_lazy("Start the {}", EHA)
    ASSESSMENT_SUBMIT = "assessment_submit", format_lazy("Complete and submit the {}", EHA)
    ASSESSMENT_CORRECT = "assessment_correct", format_lazy("Correct the returned {}", EHA)
    FIRST_TAF = "first_taf", "Hold the first TAF meeting"
    MEETING = "meeting", "TAF meeting or review"
    REVIEW = "review", "Review overdue: arrange the next TAF review"
    ACTION = "action", "Family plan action you own"
    CONSENT = "consent", "Renew or record the family's consent"
    HANDOVER = "handover", "Case handed to you"
    CONTRIBUTION = "contribution", "Help complete an assessment (invited)"
    # team manager
    ALLOCATION = "allocation", format_lazy("Allocate a {}", term_lazy("lead professional"))
    SIGNOFF = "signoff", format_lazy("Sign off the {}", EHA)
    CLOSURE = "closure", "Authorise the closure of a case"
    OVERDUE_WORK = "overdue_work", "Overdue work in the team"
    DRIFT = "drift", "Case drifting: no recorded activity"
    NO_PROGRESS = "no_progress", "Repeated reviews without progress"
    LONG_OPEN = "long_open", "Open longer than expected"
    LEAVER_CASE = "leaver_case", format_lazy("{} has left", term_lazy("Lead professional"))
    SUPERVISION = "supervision", "Supervision due"
    # front door
    TRIAGE = "triage", "Triage decision"
    # consultant
    PARTNER_DRIFT = "partner_drift", "Partner-led case drifting or overdue"
    CONSULTATION = "consultation", "Consultation to follow up"
    # administrator
    LEAVER = "leaver", "Person who has left still holds work"
