"""Filters for dashboards and indicators, export requests and quality audits."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import format_lazy

from cases.forms import date_field, optional_select, radios
from cases.models import MAX_TEXT
from earlyhelp.wording import term_lazy
from reporting import education
from reporting.models import ExportKind, Grade
from reporting.selectors import Period


def quarter_choices(today: datetime.date, count: int = 8) -> list[tuple[str, str]]:
    current = Period.quarter_of(today)
    quarters = [*current.previous_quarters(count - 1), current]
    return [(q.start.isoformat(), f"{q.quarter_label} ({q.label})") for q in reversed(quarters)]


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(_s(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def _s(value):
    return value if isinstance(value, SafeData) else str(value)


class QuickSelect(forms.Select):
    """forms.Select giving the same HTML as Django's select templates, built in Python: the
    templates render one include per option, and a county's 160 agencies took longer to
    draw than every figure on the indicators page took to count."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(_s(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


class ReportFilterForm(forms.Form):
    """District, agency and period. A chosen quarter, or a custom start and end."""

    district = optional_select("District", empty_label="All districts", widget=QuickSelect)
    agency = optional_select("Lead agency", empty_label="All agencies", widget=QuickSelect)
    quarter = forms.ChoiceField(label="Quarter", required=False, widget=QuickSelect)
    start = date_field("Or from", named="Start date", required=False)
    end = date_field("To", named="End date", required=False)

    def __init__(self, *args, districts, agencies, options=None, today=None, **kwargs):
        """`districts`, `agencies`: what may be chosen; `options`: their (id, name) rows,
        districts then agencies, drawn instead of a model per option (None: drawn from the
        querysets)."""
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["district"].queryset = districts
        self.fields["agency"].queryset = agencies
        if options is not None:
            for name, rows in zip(("district", "agency"), options, strict=True):
                field = self.fields[name]
                field.widget.choices = [("", field.empty_label), *rows]
        self.fields["quarter"].choices = [("", "This quarter so far")] + quarter_choices(self.today)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError("Enter both a start and an end date, or choose a quarter")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        if start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Choose a period of 3 years or less")
        return data

    def period(self) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        if data.get("quarter"):
            start = datetime.date.fromisoformat(data["quarter"])
            return Period.quarter_of(start)
        current = Period.quarter_of(self.today)
        return Period(current.start, self.today)

    def params(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = self.period()
        return {
            "district": data["district"].pk if data.get("district") else None,
            "agency": data["agency"].pk if data.get("agency") else None,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=ExportKind.choices)


GRADE_HELP = "Outstanding, good, requires improvement or inadequate"


class QualityAuditForm(forms.Form):
    assessment_grade = radios(
        term_lazy("Early Help Assessment"),
        Grade.choices,
        missing="Choose a grade for the assessment",
    )
    plan_grade = radios("Family plan", Grade.choices, missing="Choose a grade for the plan")
    review_grade = radios(
        "Reviews (TAF meetings)", Grade.choices, missing="Choose a grade for the reviews"
    )
    overall_grade = radios(
        "The case overall", Grade.choices, missing="Choose a grade for the case overall"
    )
    feedback = forms.CharField(
        label=format_lazy("Feedback for the {}", term_lazy("lead professional")),
        help_text="What is working well, and what would make the work better",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": format_lazy("Write feedback for the {}", term_lazy("lead professional")),
            "max_length": f"Feedback must be {MAX_TEXT:,} characters or fewer",
        },
    )


class EducationImportForm(forms.Form):
    """A CSV file of education events; `rows` in cleaned_data once it can be read."""

    file = forms.FileField(
        label="CSV file of education events",
        help_text="Columns upn, kind, occurred_on and, if you like, source. Kind is "
        "ehc_request or exclusion; dates like 03/03/2026 or 2026-03-03.",
        error_messages={
            "required": "Choose a CSV file of education events",
            "empty": "The chosen file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["rows"] = education.read_csv(upload)
        except education.EducationFileRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload
