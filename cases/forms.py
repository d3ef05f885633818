"""Input checking for the casework pages. Every form keeps what the user typed when it
fails, and long text gets a clear message rather than a database error."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy

from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    ChronologyKind,
    ConsentRecord,
    LevelOfNeed,
    NoConsentDecision,
)
from earlyhelp.dates import within_the_calendar
from earlyhelp.forms import LimitsInWords, not_a_real_date, the_thing
from earlyhelp.wording import term_lazy
from partners.models import Agency

TOO_LONG = (
    "{label} must be {limit:,} characters or fewer; you entered {count:,}. "
    "Nothing has been saved yet: shorten it and save again"
)


EH = term_lazy("early help")


class GovukForm(LimitsInWords, forms.Form):
    """Adds GOV.UK classes to widgets, and a clear message for over-long text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = {
                forms.Textarea: "govuk-textarea",
                forms.Select: "govuk-select",
                forms.DateInput: "govuk-input govuk-input--width-10",
                forms.NumberInput: "govuk-input govuk-input--width-3",
            }
            for kind, klass in css.items():
                if isinstance(widget, kind) and not isinstance(
                    widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
                ):
                    widget.attrs.setdefault("class", klass)
                    break
            else:
                if isinstance(widget, (forms.TextInput, forms.EmailInput)):
                    widget.attrs.setdefault("class", "govuk-input")
            if isinstance(field, forms.CharField) and isinstance(widget, forms.Textarea):
                limit = field.max_length or MAX_TEXT
                field.max_length = None  # checked in clean() so the message is clear
                field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
                field.limit = limit
                widget.attrs.pop("maxlength", None)
                widget.attrs.setdefault("rows", 5)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            limit = getattr(field, "limit", None)
            value = cleaned.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                self.add_error(
                    name,
                    TOO_LONG.format(label=field.label, limit=limit, count=len(value)),
                )
        return cleaned

    def require_for(self, choice_field: str, choice: str, text_field: str, message: str):
        """A text answer needed only with one choice: the reasons for declining, say."""
        data = self.cleaned_data
        if data.get(choice_field) == choice and not (data.get(text_field) or "").strip():
            self.add_error(text_field, message)


def date_field(
    label: str,
    *,
    named: str = "",
    messages: dict | None = None,
    not_future: str = "",
    **kwargs,
) -> forms.DateField:
    """A native date input; `messages` replaces the standard wording of its errors.
    `not_future` is the message for a date after today (the day something happened).
    `named`: what the messages call the date where its label is no name ("Or from",
    "Child: date of birth"): "Start date", "Child's date of birth"."""
    messages = messages or {}
    own = set(messages) >= {"required", "invalid"}
    name = "" if own and not named else the_thing(named or label)
    kwargs["validators"] = [
        *kwargs.get("validators", ()),
        within_the_calendar(named or label, not_future),
    ]
    return forms.DateField(
        label=label,
        # A native date input shows only an ISO value; the en-GB default (25/11/2026) would
        # leave it blank and the pre-filled date would be lost on submit.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": f"Enter {name}",
            "invalid": not_a_real_date(name),
            **messages,
        },
        **kwargs,
    )


def time_field(label: str, *, messages: dict | None = None, **kwargs) -> forms.TimeField:
    """A native time input, as date_field."""
    name = the_thing(label)
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(
            format="%H:%M", attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}
        ),
        error_messages={
            "required": f"Enter {name}",
            "invalid": f"Enter {name} as a time, like 10:30",
            **(messages or {}),
        },
        **kwargs,
    )


def radios(label, choices=(), *, missing=None, **kwargs) -> forms.ChoiceField:
    """A question answered with GOV.UK radios; `missing` is the message when nothing is
    chosen. With `coerce` the answer is typed (a level of need, a person's number)."""
    if missing is not None:
        kwargs["error_messages"] = {"required": missing}
    field = forms.TypedChoiceField if "coerce" in kwargs else forms.ChoiceField
    return field(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def checkboxes(label, queryset=None, **kwargs) -> forms.MultipleChoiceField:
    """An optional question answered with GOV.UK checkboxes: records from `queryset`, or
    numbered choices (needs, say) given as `choices` or set by the form."""
    if queryset is not None:
        return forms.ModelMultipleChoiceField(
            label=label,
            queryset=queryset,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )
    return forms.TypedMultipleChoiceField(
        label=label, coerce=int, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def optional_select(label, queryset=None, *, empty_label, **kwargs) -> forms.ModelChoiceField:
    """A select of records that may be left on its first, empty, choice (`queryset` None:
    the form sets it)."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, required=False, empty_label=empty_label, **kwargs
    )


def offer(field: forms.TypedChoiceField, records, label, *, prompt: str) -> None:
    """Offer `records` (the page has them already) on a select whose answer is the chosen
    record itself, so the view needs no second look-up."""
    records = list(records)
    chosen = {r.pk: r for r in records}
    field.choices = [("", prompt)] + [(r.pk, label(r)) for r in records]
    field.coerce = lambda pk: chosen[int(pk)]


def long_text(
    label: str, *, required: bool = True, missing: str = "", help_text: str = "", rows: int = 5
):
    """Free text capped at MAX_TEXT, checked in GovukForm.clean() with a clear message (no
    maxlength attribute, so a long paste is not silently cut off in the browser). `missing`
    is the message when a required answer is left empty: a question label needs one."""
    if required and not missing:
        missing = f"Enter {the_thing(label)}"
    field = forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea"}),
        error_messages={"required": missing} if missing else {},
    )
    field.limit = MAX_TEXT
    return field


class NoteForm(GovukForm):
    kind = radios(
        "What kind of note is this?",
        [(k.value, k.label) for k in NOTE_KINDS],
        initial=ChronologyKind.NOTE,
    )
    occurred_on = date_field(
        "Date it happened",
        required=False,
        not_future="The date it happened cannot be in the future",
    )
    text = long_text("Note")


class NoteCorrectionForm(GovukForm):
    text = long_text(
        "Corrected note", help_text="The original stays on the record, marked as corrected."
    )
    reason = forms.CharField(
        label="Why is it being corrected?",
        max_length=500,
        error_messages={
            "required": "Enter why the note is being corrected",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class ConsentForm(GovukForm):
    given_by = radios(
        "Who gave consent?",
        missing="Choose who gave consent",
        coerce=int,
        help_text="Each adult gives their own consent; so can a young person where appropriate.",
    )
    given_on = date_field(
        "Date consent was given", not_future="The date consent was given cannot be in the future"
    )
    method = radios(
        "How was consent recorded?",
        ConsentRecord.Method.choices,
        missing="Choose how consent was recorded",
    )
    to_assessment = forms.BooleanField(
        label=format_lazy("They consent to {}", term_lazy("an early help assessment")),
        required=False,
        initial=True,
    )
    shared_with = checkboxes(
        "Which agencies may information be shared with?",
        Agency.objects.none(),
        help_text="Members from these agencies can join the Team Around the Family.",
    )

    def __init__(self, *args, people=(), agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].choices = list(people)
        self.fields["shared_with"].queryset = (
            agencies if agencies is not None else Agency.objects.none()
        )


class ConsentWithdrawForm(GovukForm):
    withdrawn_on = date_field(
        "Date consent was withdrawn",
        not_future="The date consent was withdrawn cannot be in the future",
    )
    note = long_text("What did they say?", required=False, rows=3)


class NoConsentForm(GovukForm):
    decided_on = date_field("Date of your decision")
    escalation = radios(
        format_lazy(
            "In your judgement, will the needs escalate without {}?", term_lazy("early help")
        ),
        NoConsentDecision.Escalation.choices,
        missing="Say whether the needs are likely to escalate",
    )
    next_step = radios(
        "What happens next?", NoConsentDecision.NextStep.choices, missing="Choose what happens next"
    )
    rationale = long_text("Your reasons")


class TafMemberForm(GovukForm):
    user = forms.TypedChoiceField(
        label="Professional with an account",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Leave blank to add someone without an account as a contact.",
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(active=True),
        error_messages={"required": "Choose the member's agency"},
        required=False,
    )
    contact_name = forms.CharField(
        label="Contact name (no account)", max_length=150, required=False
    )
    contact_email = forms.EmailField(label="Contact email (no account)", required=False)
    role_in_team = forms.CharField(label="Role in the team", max_length=150, required=False)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "No account: add as a contact")] + list(users)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("user") and not (cleaned.get("contact_name") or "").strip():
            self.add_error("contact_name", "Choose a professional, or enter a contact name")
        if not cleaned.get("user") and not cleaned.get("agency"):
            self.add_error("agency", "Choose the contact's agency")
        return cleaned


class HandoverForm(GovukForm):
    to_user = radios(
        format_lazy("New {}", term_lazy("lead professional")),
        missing=format_lazy("Choose the new {}", term_lazy("lead professional")),
        coerce=int,
    )
    note = long_text("Handover note", help_text="What the new lead needs to know.")

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = list(users)


def early_help_levels() -> list[tuple[int, str]]:
    """The levels a case moves between within early help (universal plus and targeted),
    with the authority's labels: read when a form is drawn, as configuration allows."""
    return [(c, label) for c, label in LevelOfNeed.configured_choices() if c in (2, 3)]


class StepUpForm(GovukForm):
    occurred_on = date_field("Date of the step up")
    other_service = forms.CharField(label="Social care team", max_length=200, required=False)
    significant_harm = forms.BooleanField(
        label="A child is at risk of significant harm", required=False
    )
    reason = long_text("Why is the case stepping up?", missing="Enter why the case is stepping up")


class StepDownForm(GovukForm):
    across = radios(
        "Where does the family come from?",
        [
            ("down", "Step down: children's social care has been working with the family"),
            ("across", format_lazy("Step across: a statutory assessment ended in {}", EH)),
        ],
        initial="down",
        required=False,
    )
    occurred_on = date_field("Date of the step down")
    level_of_need = radios(
        "Level of need after stepping down",
        early_help_levels,
        missing="Choose the level of need",
        coerce=int,
    )
    other_service = forms.CharField(
        label="Social care team stepping down", max_length=200, required=False
    )
    reason = long_text(
        "Why is the case stepping down?", missing="Enter why the case is stepping down"
    )


class CaseListFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, label="Status")
    level = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Level of need"
    )
    district = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="District"
    )

    def __init__(self, *args, districts=(), **kwargs):
        from cases.models import CaseStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status")] + list(CaseStatus.choices)
        self.fields["level"].choices = [("", "Any level")] + LevelOfNeed.configured_choices()
        self.fields["district"].choices = [("", "Any district")] + [
            (d.pk, d.name) for d in districts
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-select"


def today() -> datetime.date:
    return timezone.localdate()


class AllocateForm(GovukForm):
    lead_professional = forms.TypedChoiceField(
        label=term_lazy("Lead professional"),
        choices=[],
        error_messages={
            "required": format_lazy("Choose who will be the {}", term_lazy("lead professional"))
        },
        help_text="Practitioners and managers who work for the team the case is allocated to.",
    )
    note = long_text(
        format_lazy("Note for the {} (optional)", term_lazy("lead professional")),
        required=False,
        rows=3,
    )

    def __init__(self, *args, leads=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["lead_professional"],
            leads,
            lambda u: f"{u.full_name}{', ' + u.job_title if u.job_title else ''}",
            prompt="Choose a person",
        )


class SendToTeamForm(GovukForm):
    agency = forms.TypedChoiceField(
        label="Team or agency",
        choices=[],
        error_messages={"required": "Choose the team to send the case to"},
    )
    reason = long_text(
        "Why is the case going to this team?",
        missing="Enter why the case is going to this team",
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["agency"], teams, lambda a: a.name, prompt="Choose a team")


class StepUpDecisionForm(GovukForm):
    decision = radios(
        "Does children's social care accept this step up?",
        [("accept", "Accept"), ("decline", format_lazy("Decline: {} carries on", EH))],
        missing="Choose whether social care accepts the step up",
    )
    social_care_team = forms.CharField(
        label="Social care team taking the case (if accepted)", max_length=200, required=False
    )
    reason = long_text(
        "Reasons",
        required=False,
        help_text=format_lazy(
            "Required when declining: the {} reads this.", term_lazy("lead professional")
        ),
    )

    def clean(self):
        data = super().clean()
        self.require_for(
            "decision", "decline", "reason", "Enter why social care is declining this step up"
        )
        return data


class LevelChangeForm(GovukForm):
    level_of_need = radios(
        "New level of need", early_help_levels, missing="Choose the new level of need", coerce=int
    )
    reason = long_text(
        "Why is the level of need changing?",
        missing="Enter why the level of need is changing",
    )


class ClosureDecisionForm(GovukForm):
    decision = radios(
        "Do you authorise this closure?",
        [
            ("authorise", "Authorise: the case closes"),
            ("return", format_lazy("Return it to the {}", term_lazy("lead professional"))),
        ],
        missing="Choose whether you authorise the closure",
    )
    reason = long_text(
        "Why are you returning it?",
        required=False,
        help_text=format_lazy(
            "Required when returning: the {} reads this.", term_lazy("lead professional")
        ),
    )

    def clean(self):
        data = super().clean()
        self.require_for(
            "decision",
            "return",
            "reason",
            "Enter why the closure is returned, so the lead knows what to do",
        )
        return data
