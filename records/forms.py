from django import forms

from cases.forms import GovukForm, long_text, radios


class MergeForm(GovukForm):
    other = forms.IntegerField(
        label="Record number of the duplicate",
        help_text="The duplicate is retired and everything on it moves to this record",
        error_messages={
            "required": "Enter the record number of the duplicate",
            "invalid": "Enter the record number as digits, like 1234",
        },
    )
    reason = forms.CharField(
        label="Why are these the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these are the same person"},
    )


class UndoForm(GovukForm):
    reason = long_text("Why undo this merge?", required=False, rows=3)


class DecisionForm(GovukForm):
    decision = radios(
        "Decision",
        [("dispose", "Approve disposal"), ("keep", "Keep for longer")],
        missing="Choose whether to approve disposal or keep the record",
    )
    note = long_text(
        "Note", required=False, rows=2, help_text="Needed if you keep the record for longer"
    )
