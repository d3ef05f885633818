"""Input checking for the front door pages. Messages follow the GOV.UK error pattern;
the API checks the same things through referrals/rules.py."""

from django import forms
from django.utils.text import format_lazy

from cases.codes import Gender, Relationship
from cases.forms import checkboxes, optional_select, radios, within_the_calendar
from cases.models import MAX_TEXT, LevelOfNeed, Need, NeedFramework
from earlyhelp.errors import by_field
from earlyhelp.forms import DATE_EXAMPLE, DATE_HINT, LimitsInWords, the_thing
from earlyhelp.wording import term, term_lazy
from partners.models import Agency, District, Service
from referrals import rules
from referrals.models import (
    SOURCE_FOR_AGENCY_KIND,
    Channel,
    ClosedReason,
    FamilyConsent,
    Outcome,
    ReferralSource,
    Urgency,
)

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y"]
YES_NO = [("yes", "Yes"), ("no", "No")]


class LongText(forms.CharField):
    """No `maxlength` in the browser: a long paste arrives whole and is refused with a
    message saying how long it is, as case notes do, instead of being cut without a word."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _required(label: str, required: bool, missing: str) -> dict:
    """The message for a required answer left empty; a question label needs `missing`."""
    if missing:
        return {"required": missing}
    return {"required": f"Enter {the_thing(label)}"} if required else {}


def text(label: str, *, required: bool = False, missing: str = "", rows: int = 5, **kw):
    return LongText(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            **_required(label, required, missing),
            "max_length": f"{label} must be {MAX_TEXT:,} characters or fewer; you entered "
            "%(show_value)s. Nothing is lost: shorten it and send again",
        },
        **kw,
    )


def line(label: str, *, max_length: int, required: bool = False, missing: str = "", **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            **_required(label, required, missing),
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


def date(label: str, help_text: str = DATE_HINT):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        # Said after the person's number on the request's page ("Person 2: Date of birth
        # must be a real date"), so the label leads.
        error_messages={"invalid": f"{label} must be a real date, like {DATE_EXAMPLE}"},
        validators=[within_the_calendar(label)],
    )


class ReferralForm(LimitsInWords, forms.Form):
    channel = radios(
        "How did the request reach the front door?",
        [(Channel.PHONE, "Phone call"), (Channel.EMAIL, "Email")],
        required=False,
    )
    is_self_referral = radios(
        "Who is asking for support?",
        [("no", "A professional"), ("yes", "The family themselves (self-referral)")],
        missing="Select who is asking for support",
        initial="no",
    )
    referrer_name = line("Referrer's full name", max_length=150)
    referrer_role = line("Job title or relationship to the family", max_length=150)
    referrer_agency = optional_select(
        "Agency",
        Agency.objects.filter(active=True),
        empty_label="Not listed, or not an agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    referrer_organisation = line(
        "Organisation, if not listed", max_length=200, help_text="Leave blank for a family member"
    )
    referrer_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    referrer_phone = line("Phone number", max_length=30)
    source = forms.ChoiceField(
        label="Referral source",
        choices=[("", "Select the source")] + list(ReferralSource.choices),
        required=False,
        help_text="The Department for Education code for who the request came from.",
    )
    district = forms.ModelChoiceField(
        label="District the family lives in",
        queryset=District.objects.all(),
        empty_label="Select a district",
        error_messages={
            "required": "Select the district the family lives in",
            "invalid_choice": "Select a district from the list",
        },
    )
    address_line_1 = line(
        "Address line 1", max_length=200, required=True, missing="Enter the family's address"
    )
    town = line("Town or city", max_length=100, required=True, missing="Enter the town or city")
    postcode = line(
        "Postcode",
        max_length=10,
        required=True,
        missing="Enter the family's postcode",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    worries = text(
        "What are you worried about?",
        required=True,
        missing="Enter what you are worried about",
        rows=8,
        help_text="What is happening, for whom, and since when. "
        "Use the family's words where you can.",
    )
    working_well = text(
        "What is working well?",
        help_text="The family's strengths and the support that already helps.",
    )
    support_requested = text("What support do you think would help?")
    needs = checkboxes(
        "Needs",
        Need.objects.filter(active=True),
        error_messages={"invalid_choice": "Select needs from the list"},
    )
    family_consent = radios(
        "Does the family know about this request, and agree to it?",
        FamilyConsent.choices,
        missing="Select whether the family knows about and agrees to this request",
    )
    no_consent_reason = text(
        "Why has the family not agreed, or not been told?",
        help_text=format_lazy(
            "{} is voluntary. If you have not asked, say why "
            "(for example, asking would put a child at risk).",
            term_lazy("Early help"),
        ),
    )
    urgency = radios(
        "How urgent is this?",
        Urgency.choices,
        missing="Select how urgent this is",
        initial=Urgency.ROUTINE,
    )
    significant_harm = radios(
        "Do you believe a child is at risk of significant harm?",
        YES_NO,
        missing="Select yes if you believe a child is at risk of significant harm",
    )
    step_down_summary = text(
        "Social care summary for the step down",
        rows=8,
        help_text=format_lazy(
            "Why social care is closing, what has changed, and what {} should focus on.",
            term_lazy("early help"),
        ),
    )

    def __init__(self, *args, door: str = Channel.WEB, **kwargs):
        super().__init__(*args, **kwargs)
        self.door = door
        if door != "front_door":
            del self.fields["channel"]
        else:
            self.fields["channel"].required = True
            self.fields["channel"].error_messages["required"] = (
                "Select how the request reached the front door"
            )
        if door == Channel.STEP_DOWN:
            self.fields["step_down_summary"].required = True
            self.fields["step_down_summary"].error_messages["required"] = (
                "Enter the social care summary for the step down"
            )
        else:
            del self.fields["step_down_summary"]

    def needs_by_framework(self):
        """The needs checkboxes grouped: Supporting Families headlines, then vulnerabilities."""
        field = self["needs"]
        groups = {NeedFramework.SUPPORTING_FAMILIES: [], NeedFramework.VULNERABILITY: []}
        frameworks = dict(Need.objects.filter(active=True).values_list("pk", "framework"))
        for option in field:
            key = frameworks.get(int(str(option.data["value"])))
            groups.setdefault(key, []).append(option)
        return [(NeedFramework(k).label, v) for k, v in groups.items() if k in NeedFramework.values]

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        error = rules.postcode_error(value)
        if error:
            raise forms.ValidationError(error)
        return rules.clean_postcode(value)

    def clean(self):
        """The rules between fields. Django asks them even when a field is wrong, so each is
        asked where the fields it needs were taken: named with the fields' own errors in one
        round, never instead of them."""
        data = super().clean()

        def taken(*names) -> bool:
            return not any(name in self._errors for name in names)

        professional = data.get("is_self_referral") == "no"
        self_referral = data.get("is_self_referral") == "yes"
        if professional and taken("referrer_name") and not data.get("referrer_name"):
            self.add_error("referrer_name", "Enter the referrer's full name")
        if (
            professional
            and taken("referrer_agency", "referrer_organisation")
            and not data.get("referrer_agency")
            and not data.get("referrer_organisation")
        ):
            self.add_error(
                "referrer_organisation", "Select the referrer's agency, or enter their organisation"
            )
        if (
            self_referral
            and taken("referrer_phone", "referrer_email")
            and not (data.get("referrer_phone") or data.get("referrer_email"))
        ):
            self.add_error(
                "referrer_phone", "Enter a phone number or email address to contact the family"
            )
        consent = data.get("family_consent")
        if (
            consent
            and consent != FamilyConsent.CONSENTED
            and taken("no_consent_reason")
            and not data.get("no_consent_reason")
        ):
            self.add_error(
                "no_consent_reason",
                "Explain why the family has not agreed to, or been told about, this request",
            )
        return data

    def referral_fields(self) -> dict:
        d = self.cleaned_data
        self_referral = d["is_self_referral"] == "yes"
        agency = d.get("referrer_agency")
        source = d.get("source") or (
            ReferralSource.SELF
            if self_referral
            else SOURCE_FOR_AGENCY_KIND.get(agency.kind, ReferralSource.OTHER)
            if agency
            else ReferralSource.UNKNOWN
        )
        fields = {
            "district": d["district"],
            "is_self_referral": self_referral,
            "referrer_name": d.get("referrer_name", ""),
            "referrer_role": d.get("referrer_role", ""),
            "referrer_agency": None if self_referral else agency,
            "referrer_organisation": d.get("referrer_organisation", ""),
            "referrer_email": d.get("referrer_email", ""),
            "referrer_phone": d.get("referrer_phone", ""),
            "source": source,
            "address_line_1": d["address_line_1"],
            "town": d["town"],
            "postcode": d["postcode"],
            "worries": d["worries"],
            "working_well": d.get("working_well", ""),
            "support_requested": d.get("support_requested", ""),
            "family_consent": d["family_consent"],
            "no_consent_reason": d.get("no_consent_reason", ""),
            "urgency": d["urgency"],
            "significant_harm": d["significant_harm"] == "yes",
        }
        if "step_down_summary" in d:
            fields["step_down_summary"] = d["step_down_summary"]
        return fields


class PersonForm(forms.Form):
    first_name = line("First name", max_length=100, missing="Enter the person's first name")
    last_name = line("Last name", max_length=100, missing="Enter the person's last name")
    relationship = forms.ChoiceField(
        label="Relationship",
        choices=[("", "Select")] + list(Relationship.choices),
        required=False,
        help_text="Their place in the household.",
    )
    date_of_birth = date("Date of birth")
    expected_date = date("Expected date of delivery", "Only for an unborn baby")
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, initial=Gender.NOT_RECORDED)
    nhs_number = line(
        "NHS number",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    upn = line(
        "Unique pupil number (UPN)",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    VALUE_FIELDS = (
        "first_name",
        "last_name",
        "relationship",
        "date_of_birth",
        "expected_date",
        "nhs_number",
        "upn",
    )

    def is_blank(self) -> bool:
        """A row left empty (gender keeps its default): skipped, not an error."""
        data = getattr(self, "cleaned_data", {})
        return not self.errors and not any(data.get(k) for k in self.VALUE_FIELDS)

    def clean(self):
        data = super().clean()
        if not self._errors and not any(data.get(k) for k in self.VALUE_FIELDS):
            return data
        if not data.get("first_name") and "first_name" not in self.errors:
            self.add_error("first_name", "Enter the person's first name")
        if not data.get("last_name") and "last_name" not in self.errors:
            self.add_error("last_name", "Enter the person's last name")
        if not data.get("relationship"):
            self.add_error("relationship", "Select the person's relationship in the household")
            return data
        for name, message in rules.typed_person_errors(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class BasePeopleFormSet(forms.BaseFormSet):
    def clean(self):
        # A row with a wrong field still counts as a child by its relationship, so "add a
        # child" is said with the rows' own errors, not in a second round.
        children = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", {}).get("relationship") == Relationship.CHILD
        ]
        if not children:
            raise forms.ValidationError(
                "Add at least one child or unborn baby",
            )


def people_formset(*, rows: int):
    return forms.formset_factory(
        PersonForm, formset=BasePeopleFormSet, extra=rows, max_num=30, absolute_max=30
    )


def _shown_name(record) -> str:
    """The name, or 'Restricted record: contact X' (cases.restriction masks the record)."""
    shown = getattr(record, "restriction", None)
    if shown is None or shown.hidden:
        return shown.label if shown is not None else "Restricted record"
    return record.full_name if hasattr(record, "full_name") else record.name


class MatchForm(forms.Form):
    """One radio group per person (link / new) plus the household choice; built per request."""

    def __init__(self, *args, people, family_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for entry, candidates in people:
            choices = [(str(c.person.pk), _shown_name(c.person)) for c in candidates]
            choices.append(("new", "None of these: a new person"))
            self.fields[f"person_{entry.pk}"] = radios(
                f"Is {entry.full_name} one of these people?",
                choices,
                missing=f"Select a match for {entry.full_name}, or 'a new person'",
            )
        self.fields["family"] = radios(
            "Which household is this request about?",
            [(str(f.pk), _shown_name(f)) for f in family_choices] + [("new", "A new household")],
            missing="Select the household, or 'a new household'",
        )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    level_of_need = radios("Level of need", missing="Select the level of need", coerce=int)
    outcome = radios("Outcome", Outcome.choices, missing="Select the outcome")
    # Each list offers only what its outcome may allocate to (services.partner_agencies_for,
    # district_teams, leads_for): anything else posted is not one of the choices.
    partner_agency = optional_select(
        "Partner agency",
        Agency.objects.none(),
        empty_label="Select an agency",
        help_text="Usually the referrer's agency.",
        error_messages={"invalid_choice": "Select a partner agency from the list"},
    )
    team = optional_select(
        format_lazy("District {} team", term_lazy("early help")),
        Agency.objects.none(),
        empty_label="Select a team",
        error_messages={
            "invalid_choice": format_lazy(
                "Select a district {} team from the list", term_lazy("early help")
            )
        },
    )
    lead_professional = optional_select(
        term_lazy("Lead professional"),
        empty_label=format_lazy(
            "No {} yet: the team allocates from its queue", term_lazy("lead professional")
        ),
        help_text="Someone who works for the agency or team you chose.",
        error_messages={
            "invalid_choice": format_lazy(
                "Select a {} from the list", term_lazy("lead professional")
            )
        },
    )
    case = optional_select("Open case", empty_label="Select a case")
    signposted_services = checkboxes(
        "Services from the directory",
        Service.objects.none(),
        help_text="Active services for families in this district.",
    )
    signposted_to = text(
        "Other services the family has been signposted to",
        rows=3,
        help_text="For anything not in the directory.",
    )
    rationale = text(
        "Rationale",
        required=True,
        missing="Enter the rationale for the decision",
        rows=6,
        help_text="Why this level of need and outcome, with reference to the continuum of need.",
    )

    def __init__(self, *args, partner_agencies, teams, leads, cases, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["signposted_services"].queryset = services
        self.fields["level_of_need"].choices = LevelOfNeed.configured_choices()
        self.fields["partner_agency"].queryset = partner_agencies
        self.fields["team"].queryset = teams
        self.fields["lead_professional"].queryset = leads
        self.fields["lead_professional"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.agency})"
        )
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: (
            f"{c.reference}, {term('lead professional')} "
            f"{c.lead_professional or 'not yet allocated'}"
        )

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        level = data.get("level_of_need")
        if level and outcome and "level_of_need" not in self.errors:
            case = data.get("case")
            wrong_level = rules.level_for_outcome_error(
                level_of_need=level,
                outcome=outcome,
                case_level=case.level_of_need if case is not None else None,
            )
            if wrong_level:
                self.add_error("level_of_need", wrong_level)
        if outcome == Outcome.UNIVERSAL_PLUS and not data.get("partner_agency"):
            self.add_error("partner_agency", "Select the partner agency to allocate to")
        if outcome == Outcome.TARGETED and not data.get("team"):
            self.add_error("team", "Select the district team to allocate to")
        agency = self.allocated_agency(data)
        lead = data.get("lead_professional")
        if agency is not None and lead is not None and lead.agency_id != agency.pk:
            self.add_error("lead_professional", f"{lead} does not work for {agency}")
        if outcome == Outcome.ADD_TO_OPEN_CASE and not data.get("case"):
            self.add_error("case", "Select the open case to add this request to")
        if (
            outcome == Outcome.SIGNPOSTING
            and not data.get("signposted_to")
            and not data.get("signposted_services")
        ):
            self.add_error(
                "signposted_services",
                "Choose the services from the directory, or enter the services the family "
                "has been signposted to",
            )
        return data

    # The service names the agency or team as the API does; the page has one field for each.
    AGENCY_FIELD = {Outcome.UNIVERSAL_PLUS: "partner_agency", Outcome.TARGETED: "team"}

    @classmethod
    def allocated_agency(cls, data) -> Agency | None:
        """The agency or team the outcome allocates to (None for other outcomes)."""
        field = cls.AGENCY_FIELD.get(data.get("outcome"))
        return data.get(field) if field else None

    def show_refusal(self, error) -> None:
        """The service's refusal next to the page's own fields (its allocated_agency is the
        partner agency or the team, by outcome), else in the error summary."""
        for name, message in by_field(error).items():
            if name == "allocated_agency":
                name = self.AGENCY_FIELD.get(self.cleaned_data.get("outcome"))
            self.add_error(name if name in self.fields else None, message)


class CloseForm(forms.Form):
    reason = radios(
        "Why is this request being closed?",
        ClosedReason.choices,
        missing="Select why the request is being closed",
    )
    duplicate_of = line(
        "Reference of the request this duplicates",
        max_length=20,
        help_text="For example, RFS-000123",
    )
    note = text("Note", required=True, missing="Enter a note explaining why", rows=4)

    def clean_duplicate_of(self):
        value = self.cleaned_data["duplicate_of"].upper().replace("RFS-", "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError("Enter a request reference, like RFS-000123")
        return int(value)

    def clean(self):
        data = super().clean()
        if data.get("reason") == ClosedReason.DUPLICATE and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "Enter the reference of the request this duplicates")
        return data


def _age(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number of years, like 7",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 120 or less",
        },
    )


class PersonSearchForm(forms.Form):
    name = line(
        "Name",
        max_length=100,
        help_text="A first name, a surname, both, or the start of one (at least 2 letters)",
    )
    date_of_birth = date("Date of birth")
    identifier = line("NHS number or UPN", max_length=20)
    postcode = line("Postcode", max_length=10)
    district = optional_select(
        "District",
        empty_label="Any district",
        error_messages={"invalid_choice": "Choose a district from the list"},
    )
    age_from = _age("Aged from")
    age_to = _age("Aged to")

    CRITERIA = ("name", "date_of_birth", "identifier", "postcode", "district", "age_from", "age_to")

    def __init__(self, *args, **kwargs):
        from partners.models import District

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("name")
        self.fields["district"].widget.attrs["class"] = "govuk-select"

    def clean_name(self):
        name = " ".join(self.cleaned_data.get("name", "").split())
        if name and len(name.replace(" ", "")) < 2:
            raise forms.ValidationError("Enter at least 2 letters of the name")
        return name

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(k) not in (None, "") for k in self.CRITERIA):
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number, UPN or postcode, or choose a "
                "district or ages"
            )
        low, high = data.get("age_from"), data.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", "Aged to must be the same as or more than aged from")
        return data
