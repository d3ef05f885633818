from django import forms

from cases.forms import radios

SINGLE = "single"
DIGEST = "digest"


class ReminderPreferencesForm(forms.Form):
    delivery = radios(
        "How do you want to get reminder emails?",
        [
            (SINGLE, "One email for each reminder, as it happens"),
            (DIGEST, "One email a day at 7am, listing all my new reminders"),
        ],
        missing="Select how you want to get reminder emails",
    )


class MessagePreferencesForm(forms.Form):
    """One choice per kind of message (reminders.models.MessageKind)."""

    def __init__(self, *args, **kwargs):
        from reminders.models import Delivery, MessageKind

        super().__init__(*args, **kwargs)
        for kind, label in MessageKind.choices:
            self.fields[kind] = radios(
                label, Delivery.choices, missing=f"Choose how you want to get: {label.lower()}"
            )
