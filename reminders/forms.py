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


# What a message calls each kind (its label is a heading with its parts).
GETTING = {
    "deadlines": "deadline reminders",
    "actions": "reminders of the family plan actions you own",
    "team": "messages about being added to or removed from a Team Around the Family",
    "meetings": "TAF meeting invitations, changes and cancellations",
}


class MessagePreferencesForm(forms.Form):
    """One choice per kind of message (reminders.models.MessageKind)."""

    def __init__(self, *args, **kwargs):
        from reminders.models import Delivery, MessageKind

        super().__init__(*args, **kwargs)
        for kind, label in MessageKind.choices:
            self.fields[kind] = radios(
                label, Delivery.choices, missing=f"Choose how you want to get {GETTING[kind]}"
            )
