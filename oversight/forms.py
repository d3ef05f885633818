from django import forms

from cases.forms import GovukForm, date_field, long_text, radios
from oversight.models import ConsultationOutcome, SupervisionKind
from partners.models import Agency


class SupervisionForm(GovukForm):
    kind = radios(
        "Kind of record",
        SupervisionKind.choices,
        missing="Choose case supervision or management oversight",
    )
    held_on = date_field("Date of the supervision")
    discussion = long_text("What was discussed")
    decisions = long_text("Decisions and actions")
    next_supervision_on = date_field("Date of the next supervision", required=False)


class ConsultationForm(GovukForm):
    asked_on = date_field("Date of the consultation")
    asked_by_name = forms.CharField(
        label="Who asked", max_length=150, error_messages={"required": "Enter who asked"}
    )
    asked_by_agency = forms.ModelChoiceField(
        label="Their agency (optional)",
        queryset=Agency.objects.filter(active=True).order_by("name"),
        required=False,
    )
    family_id = forms.IntegerField(
        label="Family number (optional)",
        required=False,
        min_value=1,
        help_text="Leave blank to record the consultation anonymously.",
        error_messages={"invalid": "Enter the family's number, using digits only"},
    )
    question = long_text("The question")
    advice = long_text("The advice you gave")
    outcome = radios(
        "Outcome", ConsultationOutcome.choices, missing="Choose the outcome of the consultation"
    )
    follow_up_on = date_field("Follow up by (optional)", required=False)


class ConsultationOutcomeForm(GovukForm):
    outcome = radios(
        "Outcome", ConsultationOutcome.choices, missing="Choose the outcome of the consultation"
    )
