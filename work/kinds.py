"""The kinds of item a work tray holds. The codes are the API's `kind` values (a contract)."""

from django.db.models import TextChoices


class TrayKind(TextChoices):
    # practitioner / lead professional
    ASSESSMENT_START = "assessment_start", "Start the Early Help Assessment"
    ASSESSMENT_SUBMIT = "assessment_submit", "Complete and submit the Early Help Assessment"
    ASSESSMENT_CORRECT = "assessment_correct", "Correct the returned Early Help Assessment"
    FIRST_TAF = "first_taf", "Hold the first TAF meeting"
    MEETING = "meeting", "TAF meeting or review"
    REVIEW = "review", "Review overdue: arrange the next TAF review"
    ACTION = "action", "Family plan action you own"
    CONSENT = "consent", "Renew or record the family's consent"
    HANDOVER = "handover", "Case handed to you"
    CONTRIBUTION = "contribution", "Help complete an assessment (invited)"
    # team manager
    ALLOCATION = "allocation", "Allocate a lead professional"
    SIGNOFF = "signoff", "Sign off the Early Help Assessment"
    CLOSURE = "closure", "Authorise the closure of a case"
    OVERDUE_WORK = "overdue_work", "Overdue work in the team"
    DRIFT = "drift", "Case drifting: no recorded activity"
    NO_PROGRESS = "no_progress", "Repeated reviews without progress"
    LONG_OPEN = "long_open", "Open longer than expected"
    LEAVER_CASE = "leaver_case", "Lead professional has left"
    SUPERVISION = "supervision", "Supervision due"
    # front door
    TRIAGE = "triage", "Triage decision"
    # consultant
    PARTNER_DRIFT = "partner_drift", "Partner-led case drifting or overdue"
    CONSULTATION = "consultation", "Consultation to follow up"
    # administrator
    LEAVER = "leaver", "Person who has left still holds work"
