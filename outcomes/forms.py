"""Input checking for the family outcomes pages. Business rules stay in services.py; these
forms check shape (a date is a date, a choice is offered) and keep what was typed."""

from django import forms
from django.utils import timezone

from cases.forms import GovukForm, date_field, optional_select, radios
from cases.models import MAX_TEXT
from earlyhelp.forms import the_thing
from outcomes.models import EvidenceSource, NetworkMeetingKind, ProgressStatus
from outcomes.returns import column_choices, quarter_choices


def _date(
    label: str, *, named: str = "", required: bool = True, help_text: str = ""
) -> forms.DateField:
    return date_field(label, named=named, required=required, help_text=help_text)


def _text(label: str, *, missing: str = "", help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": missing or f"Enter {the_thing(label)}",
            "max_length": f"{label} must be {MAX_TEXT:,} characters or fewer",
        },
    )


class NeedForm(GovukForm):
    headline = forms.ChoiceField(
        label="Headline outcome",
        error_messages={"required": "Choose the headline outcome this need is against"},
    )
    source = radios(
        "Where the evidence comes from",
        EvidenceSource.choices,
        missing="Say where the evidence comes from",
    )
    evidence = _text(
        "Evidence",
        help_text="What shows the need: the data, what you saw, or what the family told you",
    )
    identified_on = _date("Date identified")

    def __init__(self, *args, headlines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headline"].choices = [("", "Choose a headline outcome")] + [
            (h.code, h.label) for h in headlines
        ]
        self.fields["identified_on"].initial = timezone.localdate()


class ProgressForm(GovukForm):
    at = radios("Recorded at", missing="Say whether this is progress at a review or at closure")
    status = radios("Progress", ProgressStatus.choices, missing="Choose the progress on this need")
    significant_since = _date(
        "Significant progress since",
        named="Date significant progress began",
        required=False,
        help_text="For significant progress only. Leave empty to keep the date already "
        "recorded, or to use the date of the review.",
    )
    evidence = _text("Evidence of progress")

    def __init__(self, *args, meetings, closed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (f"meeting:{m.pk}", f"{m.get_kind_display()} held on {m.held_on:%-d %B %Y}")
            for m in meetings
        ]
        if closed:
            choices.append(("closure", "Closure of the case"))
        self.fields["at"].choices = choices

    def place(self, meetings):
        at = self.cleaned_data["at"]
        if at == "closure":
            return None, True
        meeting_id = int(at.split(":", 1)[1])
        return next(m for m in meetings if m.pk == meeting_id), False


class HubForm(forms.Form):
    family_hub = optional_select("Family hub working with the family", empty_label="No family hub")

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_hub"].queryset = hubs


class NetworkMeetingForm(GovukForm):
    kind = radios(
        "Kind of meeting", NetworkMeetingKind.choices, missing="Choose the kind of meeting"
    )
    held_on = _date("Date held")
    participants = _text(
        "Who from the family network took part",
        help_text="One person a line, with how they are connected to the family",
    )
    family_plan = _text("The family's own plan", help_text="In the family's words")
    network_commitments = _text("What the family network will do")
    next_meeting_on = _date("Date of the next meeting", required=False)


class ClaimDeclineForm(GovukForm):
    reason = _text("Why the family is not being claimed for")


class ClaimAuditForm(GovukForm):
    result = radios(
        "Audit result", [("pass", "Pass"), ("fail", "Fail")], missing="Choose pass or fail"
    )
    notes = _text(
        "Audit notes",
        help_text="What you checked; for a failure, why it failed and what would fix it",
    )


class ClaimWithdrawForm(GovukForm):
    reason = _text("Why the claim is withdrawn")


class ReturnForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices(today or timezone.localdate())


class ReturnColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label="Columns in the return",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one column"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = column_choices()


class PlanVersionForm(GovukForm):
    title = forms.CharField(label="Title of this version", max_length=200)
    effective_from = _date("In force from", named="Date it is in force from")
    min_needs = forms.IntegerField(
        label="Needs a family must have to count",
        min_value=1,
        max_value=10,
        error_messages={"invalid": "Enter a whole number from 1 to 10"},
    )
    audit_sample_percent = forms.IntegerField(
        label="Share of claims internal audit checks (per cent)",
        min_value=0,
        max_value=100,
        error_messages={"invalid": "Enter a whole number from 0 to 100"},
    )
    note = forms.CharField(
        label="What changed", required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )

    def __init__(self, *args, headlines, **kwargs):
        super().__init__(*args, **kwargs)
        self.headlines = list(headlines)
        for h in self.headlines:
            self.fields[f"{h.code}__descriptors"] = _text(
                f"{h.label}: what counts as the need",
                missing=f"Enter what counts as the need for {h.label}",
                rows=2,
            )
            self.fields[f"{h.code}__measures"] = _text(
                f"{h.label}: what counts as significant and sustained progress",
                missing=f"Enter what counts as significant and sustained progress for {h.label}",
                rows=2,
            )
            self.fields[f"{h.code}__days"] = forms.IntegerField(
                label=f"{h.label}: days progress must be sustained",
                min_value=1,
                max_value=3650,
                error_messages={
                    "invalid": "Enter a whole number of days",
                    "required": f"Enter the days progress must be sustained for {h.label}",
                },
            )
            self.initial.setdefault(f"{h.code}__descriptors", h.eligibility_descriptors)
            self.initial.setdefault(f"{h.code}__measures", h.success_measures)
            self.initial.setdefault(f"{h.code}__days", h.sustain_days)

    def headline_rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "code": h.code,
                "label": h.label,
                "eligibility_descriptors": data[f"{h.code}__descriptors"],
                "success_measures": data[f"{h.code}__measures"],
                "sustain_days": data[f"{h.code}__days"],
            }
            for h in self.headlines
        ]
