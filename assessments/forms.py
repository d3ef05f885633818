"""Input checking for assessment, plan, meeting and closure pages."""

from django import forms
from django.utils import timezone

from assessments import services as casework
from assessments.models import ActionStatus, Attendance, MeetingDecision
from assessments.sections import AREAS, SCALING, area_field
from assessments.services import OUTCOME_RESULTS
from cases.forms import GovukForm, checkboxes, date_field, long_text, radios, time_field
from cases.models import ClosureReason, FamilyView, Need
from earlyhelp.forms import NamesEveryWrongField
from earlyhelp.wording import term
from partners.models import Service


def need_choices():
    needs = Need.objects.filter(active=True).order_by("framework", "order")
    return [(n.pk, n.label) for n in needs if n.framework == "supporting_families"], [
        (n.pk, n.label) for n in needs if n.framework == "vulnerability"
    ]


class AssessmentForm(GovukForm):
    """Built from the assessment's sections (assessments/sections.py) for this family."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        scaling_keys = {area_field(a.code, SCALING[0]) for a in AREAS}
        for key, label in labels:
            if key in scaling_keys:
                field = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "Not scored yet")] + [(str(i), str(i)) for i in range(11)],
                    widget=forms.Select(attrs={"class": "govuk-select"}),
                )
            else:
                field = long_text(label, required=False, rows=4)
            self.fields[key] = field
        sf, vulnerability = need_choices()
        self.fields["needs_sf"] = checkboxes(
            "Needs: Supporting Families headline outcomes", choices=sf
        )
        self.fields["needs_vulnerability"] = checkboxes("Vulnerabilities", choices=vulnerability)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["data-autosave"] = "1"

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            k: v
            for k, v in data.items()
            if k not in ("lock_version", "needs_sf", "needs_vulnerability")
        }

    def need_ids(self) -> list[int]:
        return list(self.cleaned_data.get("needs_sf") or []) + list(
            self.cleaned_data.get("needs_vulnerability") or []
        )


class SignOffForm(GovukForm):
    decision = radios(
        "Your decision",
        [("sign_off", "Sign off this assessment"), ("return", "Return it for changes")],
        missing="Choose whether to sign off or return the assessment",
    )
    comment = long_text("Comment", required=False, help_text="Required when you return it.")

    def clean(self):
        cleaned = super().clean()
        self.require_for("decision", "return", "comment", "Say what needs to change")
        return cleaned


class OutcomeForm(GovukForm):
    text = long_text(
        "What does the family want to be different?",
        missing="Enter what the family want to be different",
        help_text="In the family's own words.",
        rows=3,
    )
    needs = checkboxes("Which needs does this outcome address?")
    priority = forms.IntegerField(
        label="Priority",
        min_value=1,
        max_value=99,
        initial=1,
        help_text="1 is the most important.",
        error_messages={"invalid": "Enter the priority as a whole number, like 1"},
    )
    baseline_scaling = forms.IntegerField(
        label="Where are things now, from 0 to 10?",
        min_value=0,
        max_value=10,
        required=False,
        error_messages={
            "invalid": "Enter a whole number from 0 to 10",
            "min_value": "Enter a whole number from 0 to 10",
            "max_value": "Enter a whole number from 0 to 10",
        },
    )

    def __init__(self, *args, need_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(need_options)
        self.fields["priority"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self.fields["baseline_scaling"].widget.attrs["class"] = "govuk-input govuk-input--width-3"


class ActionForm(GovukForm):
    what = long_text("What will happen?", missing="Enter what will happen", rows=3)
    owner = radios("Who will do it?", missing="Choose who will do it")
    due_on = date_field("Date it is due by")
    services = checkboxes(
        "Services from the directory this action uses (optional)", Service.objects.none()
    )

    def __init__(self, *args, members=(), lead=None, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["services"].queryset = services
        lead_id = getattr(lead, "pk", None)
        choices = [("family", "The family")]
        if lead is not None and not any(m.user_id == lead_id for m in members):
            choices.append(("lead", f"{lead.full_name} ({term('lead professional')})"))
        self.fields["owner"].choices = choices + [
            (
                str(m.pk),
                f"{m.name} ({m.agency})"
                + (f" ({term('lead professional')})" if m.user_id == lead_id else ""),
            )
            for m in members
        ]

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if due < today:
            raise forms.ValidationError(
                f"The date it is due by cannot be before today ({today:%-d %B %Y}), "
                "the date the action is set"
            )
        return due


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


def duration_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="How long, in minutes",
        min_value=15,
        max_value=480,
        initial=60,
        error_messages={
            "required": "Enter how long the meeting lasts, in minutes",
            "invalid": "Enter how long the meeting lasts as a number of minutes, for example 60",
            "min_value": "A meeting lasts at least 15 minutes",
            "max_value": "A meeting lasts at most 8 hours (480 minutes)",
        },
    )


class ScheduleMeetingForm(GovukForm):
    scheduled_for = date_field("Date of the meeting")
    starts_at = time_field(
        "Start time",
        required=False,
        help_text="UK time. Members get a calendar invitation at this time.",
    )
    duration_minutes = duration_field()
    location = forms.CharField(label="Where", max_length=200, required=False)
    note_for_external = long_text(
        "What to tell members without an account",
        required=False,
        rows=3,
        help_text="They get the date, time and place by email. Add only what they need: "
        "never the family's details.",
    )


class RescheduleMeetingForm(GovukForm):
    scheduled_for = date_field("New date of the meeting")
    starts_at = time_field("Start time", required=False, help_text="UK time.")
    location = forms.CharField(label="Where", max_length=200, required=False)
    reason = long_text("Why the meeting is moving", rows=3)


class CancelMeetingForm(GovukForm):
    reason = long_text("Why the meeting is cancelled", rows=3)


class InviteContributorForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Who to invite",
        queryset=None,
        empty_label="Choose someone",
        error_messages={
            "required": "Choose who to invite",
            "invalid_choice": "Choose who to invite",
        },
    )
    note = long_text("Note for them (optional)", required=False, rows=3)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name}, {u.get_role_display().lower()}, {u.agency}"
        )


class MeetingRecordForm(GovukForm):
    held_on = date_field(
        "Date the meeting was held",
        not_future="The date the meeting was held cannot be in the future",
    )
    discussion = long_text("What was discussed", required=False)
    child_voice = long_text(
        "The child's voice",
        required=False,
        help_text="What the children said, or how they took part.",
    )
    decision = radios(
        "Decision", MeetingDecision.choices, missing="Choose the decision the meeting made"
    )
    decision_reason = long_text("Reasons for the decision", required=False, rows=3)
    next_review_on = date_field(
        "Date of the next review",
        required=False,
    )

    def __init__(self, *args, attendees=(), outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_review_on"].help_text = (
            "4 to 6 weeks after the meeting. Leave blank for 6 weeks. Not needed when the case "
            "steps up, steps down or closes."
        )
        self.attendee_keys = []
        for key, name, hint in attendees:
            field = forms.ChoiceField(
                label=f"Did {name} attend?",
                help_text=hint,
                required=False,
                choices=[("", "Not recorded")] + list(Attendance.choices),
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields[f"attend_{key}"] = field
            self.attendee_keys.append((key, name))
        self.outcome_ids = []
        for outcome in outcomes:
            self.fields[f"scaling_{outcome.pk}"] = forms.TypedChoiceField(
                label=f"Scaling now (0 to 10): {outcome.text[:80]}",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Not scored")] + [(str(i), str(i)) for i in range(11)],
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields[f"comment_{outcome.pk}"] = long_text(
                f"Progress: {outcome.text[:80]}", required=False, rows=2
            )
            self.outcome_ids.append(outcome.pk)


class ClosureForm(NamesEveryWrongField, GovukForm):
    reason = radios(
        "Why is the case closing?",
        ClosureReason.choices,
        missing="Choose the reason for closing the case",
    )
    closed_on = date_field("Closure date")
    family_view = radios(
        "Does the family feel family life has improved?",
        FamilyView.choices,
        missing="Say whether the family feels family life has improved",
    )
    family_view_text = long_text("The family's view, in their words", required=False, rows=3)
    child_voice = long_text("The child's voice at closure", required=False, rows=3)
    summary = long_text("Closing summary", required=False, rows=4)
    unmet_outcomes_explanation = long_text(
        "If you are closing as 'needs met' but an outcome was not achieved, explain why the "
        "family's needs are met",
        required=False,
        rows=3,
    )
    signposted_services = checkboxes(
        "Universal services the family has been signposted to",
        Service.objects.none(),
        help_text="From the directory, when stepping down; say anything else in the summary.",
    )

    def __init__(self, *args, case, acting_user, outcomes=(), services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.acting_user = case, acting_user
        if services is not None:
            self.fields["signposted_services"].queryset = services
        self.outcome_ids = []
        for outcome in outcomes:
            self.fields[f"result_{outcome.pk}"] = radios(
                f"Outcome: {outcome.text[:120]}",
                list(OUTCOME_RESULTS.items()),
                missing="Say whether this outcome was achieved",
            )
            self.outcome_ids.append(outcome.pk)

    def outcome_results(self) -> dict:
        return {pk: {"result": self.cleaned_data.get(f"result_{pk}")} for pk in self.outcome_ids}

    def answers(self, data: dict | None = None) -> dict:
        """The closure's answers as assessments.services.closure_prepare takes them (from
        `data`, the fields taken so far, when some are wrong)."""
        data = self.cleaned_data if data is None else data
        return {
            "outcome_results": self.outcome_results(),
            "reason": data.get("reason", ""),
            "closed_on": data.get("closed_on"),
            "family_view": data.get("family_view", ""),
            "family_view_text": data.get("family_view_text", ""),
            "child_voice": data.get("child_voice", ""),
            "summary": data.get("summary", ""),
            "unmet_outcomes_explanation": data.get("unmet_outcomes_explanation", ""),
        }

    def record_rules(self, data: dict) -> None:
        # A wrong signposted service (or any field) is named with the closure's own rules.
        casework.closure_prepare(case=self.case, acting_user=self.acting_user, **self.answers(data))
