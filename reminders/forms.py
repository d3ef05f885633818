from django import forms

SINGLE = "single"
DIGEST = "digest"


class ReminderPreferencesForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How do you want to get reminder emails?",
        choices=[
            (SINGLE, "One email for each reminder, as it happens"),
            (DIGEST, "One email a day at 7am, listing all my new reminders"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to get reminder emails"},
    )
