"""Input checking for the directory and hub pages. The services re-check every rule; the
forms keep what was typed and put each message next to its field."""

from django import forms

from cases.forms import (
    GovukForm,
    checkboxes,
    date_field,
    long_text,
    optional_select,
    radios,
    time_field,
)
from directory import services
from directory.models import Location, LocationType, SessionKind
from earlyhelp.forms import LimitsInWords, NamesEveryWrongField, the_thing
from partners.models import District, FamilyHub, Organisation, Service, ServiceStatus, User


def line(label, *, required=False, max_length=200, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            **({"required": f"Enter {the_thing(label)}"} if required else {}),
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def email_field(label="Email address"):
    return forms.EmailField(
        label=label,
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )


def website_field():
    return forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address like https://example.org"},
    )


def age_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": f"{label} must be a whole number of years, for example 5",
            "min_value": "Ages must be between 0 and 25",
            "max_value": "Ages must be between 0 and 25",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SearchForm(LimitsInWords, forms.Form):
    q = forms.CharField(label="Words", required=False, max_length=100)
    need = checkboxes("Needs")
    age = forms.IntegerField(
        label="Child's age (years)",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Enter the child's age as a whole number of years, for example 4",
            "min_value": "Enter an age from 0 to 25",
            "max_value": "Enter an age from 0 to 25",
        },
    )
    district = optional_select("District", District.objects.all(), empty_label="Any")
    hub = optional_select(
        "Family hub", FamilyHub.objects.select_related("district"), empty_label="Any"
    )

    def __init__(self, *args, need_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = list(need_options)
        self.fields["age"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self.fields["q"].widget.attrs["class"] = "govuk-input"
        for name in ("district", "hub"):
            self.fields[name].widget.attrs["class"] = "govuk-select"


class ServiceForm(NamesEveryWrongField, GovukForm):
    name = line("Name of the service", required=True)
    organisation = forms.ModelChoiceField(
        label="Organisation that provides it",
        queryset=Organisation.objects.all(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that provides the service"},
    )
    description = long_text("What the service does", required=False, rows=4)
    status = radios(
        "Is it running?", ServiceStatus.choices, missing="Choose whether the service is running"
    )
    family_hub = optional_select(
        "Family hub it belongs to", FamilyHub.objects.all(), empty_label="Not a family hub service"
    )
    districts = checkboxes(
        "Districts it serves",
        District.objects.all(),
        help_text="Leave all unticked for a county-wide service.",
    )
    minimum_age = age_field("Youngest age")
    maximum_age = age_field("Oldest age")
    needs_sf = checkboxes("Needs it helps with: Supporting Families headline outcomes")
    needs_vulnerability = checkboxes("Vulnerabilities it supports")
    free = forms.BooleanField(label="It is free", required=False)
    cost = line("What it costs", max_length=300, help_text="For example, £2 a session")
    how_to_access = long_text(
        "How to access it",
        required=False,
        rows=3,
        help_text="Referral needed, drop in, or book by phone.",
    )
    opening_times = long_text(
        "Opening times",
        required=False,
        rows=4,
        help_text="One a line, for example: Monday 9:00 to 17:00, or Tue 09:30-12:00 term time",
    )
    locations = checkboxes("Where it runs", Location.objects.all())
    phone = line("Phone number", max_length=30)
    email = email_field()
    url = website_field()
    contact_name = line(
        "Contact: team or role",
        max_length=150,
        help_text="Published openly: a team or role, never a person's own details.",
    )
    contact_title = line("Contact: job title", max_length=150)
    contact_phone = line("Contact: phone number", max_length=30)
    contact_email = email_field("Contact: email address")
    editor = optional_select(
        "Who keeps this entry up to date",
        User.objects.none(),
        empty_label="You",
        help_text="They are reminded when it is due for review.",
    )
    reviewed = forms.BooleanField(
        label="I have checked every detail of this entry is current", required=False
    )

    def __init__(self, *args, need_options=((), ()), editors=None, hubs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hubs is not None:  # a hub-bound editor chooses among their own hubs
            self.fields["family_hub"].queryset = hubs
        self.fields["needs_sf"].choices = list(need_options[0])
        self.fields["needs_vulnerability"].choices = list(need_options[1])
        if editors is not None:
            self.fields["editor"].queryset = editors
        self.fields["locations"].label_from_instance = lambda loc: loc.one_line

    def record_rules(self, data: dict) -> None:
        # A way in typed wrongly (a website without its dot) is still one the editor gave:
        # the "at least one way to contact" rule reads what was typed, not a blank.
        typed = {
            name: self.data.get(self.add_prefix(name), "")
            for name in ("url", "email", "phone", "contact_phone", "contact_email")
            if name in self._errors
        }
        services.check_service(services.service_input({**data, **typed}, None))


class OrganisationForm(GovukForm):
    name = line("Name of the organisation", required=True)
    description = long_text("What it does", required=False, rows=3)
    email = email_field()
    website = website_field()
    phone = line("Phone number", max_length=30)


class LocationForm(GovukForm):
    name = line("Name of the place", required=True)
    location_type = radios(
        "Kind of place", LocationType.choices, missing="Choose the kind of place"
    )
    address_1 = line("Address")
    city = line("Town or city", max_length=100)
    postcode = line("Postcode", max_length=10)
    family_hub = optional_select(
        "Family hub building", FamilyHub.objects.all(), empty_label="Not a family hub"
    )
    description = long_text("Getting there and access", required=False, rows=3)


class ImportForm(forms.Form):
    url = forms.URLField(
        label="Address of the feed",
        required=False,
        assume_scheme="https",
        help_text="The Open Referral UK API of the other directory, for example "
        "https://example.org/openreferral/services",
        error_messages={"invalid": "Enter a web address like https://example.org/services"},
    )
    file = forms.FileField(
        label="Or a file exported from it (JSON)",
        required=False,
        help_text="A page of services, or a list of services, in Open Referral UK JSON.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file") and not self.errors:
            self.add_error("url", "Enter the address of the feed, or choose a file to import")
        return data


class RegisterFamilyForm(LimitsInWords, forms.Form):
    q = forms.CharField(label="Family name or postcode", max_length=100, required=False)


class RegisterNameForm(LimitsInWords, forms.Form):
    """The register's search among the people registered at the hub."""

    q = forms.CharField(label="Name", max_length=100, required=False)


class SessionForm(GovukForm):
    kind = radios("Kind of session", SessionKind.choices, missing="Choose the kind of session")
    title = line("Name of the session", required=True, max_length=150)
    held_on = date_field("Date of the session")
    starts_at = time_field(
        "Starts at",
        messages={"required": "Enter the time it starts", "invalid": "Enter a time like 10:00"},
    )
    ends_at = time_field(
        "Ends at",
        messages={"required": "Enter the time it ends", "invalid": "Enter a time like 11:30"},
    )
    service = optional_select(
        "Directory service it delivers", Service.objects.none(), empty_label="None"
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            self.add_error("ends_at", "The session must end after it starts")
        return data


class HubDashboardForm(forms.Form):
    """The period of the hub dashboard. Held to the calendar's years as every date is: the
    dashboard counts back a year from its end date (year 1 would count back before the
    calendar begins)."""

    start = date_field("Start date", required=False)
    end = date_field("End date", required=False)
