"""Forms for keeping people and families up to date. They only parse what was typed: the
rules (lengths, identifiers, dates, duplicates) live in cases/upkeep.py, so the page and
the API say the same, and every message lands next to its field with the input kept."""

from django import forms
from django.utils import timezone

from cases import upkeep
from cases.codes import Disability, Ethnicity, Gender, Relationship, SenStatus
from cases.forms import GovukForm, date_field, long_text
from cases.models import FirstLanguage
from earlyhelp.forms import NamesEveryWrongField, the_thing
from partners.models import District

OUTSIDE = "outside"


def _text(
    label: str, *, hint: str = "", required: bool = False, missing: str = ""
) -> forms.CharField:
    # No max_length: cases/upkeep.py gives the length message, with the count typed.
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        strip=False,
        error_messages={"required": missing or f"Enter {the_thing(label)}"},
    )


class PersonForm(NamesEveryWrongField, GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    first_name = _text("First name", hint="Or their only name, if they have one name")
    last_name = _text("Last name", hint="Leave blank if they have a single name")
    preferred_name = _text("Preferred name")
    other_names = _text("Other names", hint="Previous or known-as names")
    date_of_birth = date_field("Date of birth", required=False)
    expected_date = date_field("Expected date of delivery", required=False)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices)
    first_language = forms.ChoiceField(
        label="First language", choices=FirstLanguage.choices, help_text="DfE language codes"
    )
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    interpreter_notes = _text("Interpreter needs", hint="Language or dialect, sign language")
    sen_status = forms.ChoiceField(label="SEN status", choices=SenStatus.choices)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    care_leaver = forms.BooleanField(label="Is a care leaver", required=False)
    nhs_number = _text("NHS number", hint="10 digits, like 943 476 5919")
    upn = _text("Unique pupil number", hint="13 characters, like P801200120002")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person.is_unborn:
            del self.fields["date_of_birth"]
        else:
            del self.fields["expected_date"]
        self.fields["first_name"].required = True

    def record_rules(self, data: dict) -> None:
        upkeep.clean_person(self.person, data, today=timezone.localdate())


class BirthForm(GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    date_of_birth = date_field("Date of birth")
    first_name = _text("First name", hint="If the baby's name is now known")
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, widget=forms.RadioSelect)


class FamilyForm(NamesEveryWrongField, GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    name = _text("Household name", hint="For example, 'Smith household'", required=True)
    address_line_1 = _text("Address line 1", required=True)
    address_line_2 = _text("Address line 2")
    town = _text("Town or city", required=True)
    postcode = _text("Postcode", required=True)

    def record_rules(self, data: dict) -> None:
        upkeep.clean_family(data)


class MoveForm(GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    address_line_1 = _text("Address line 1", required=True)
    address_line_2 = _text("Address line 2")
    town = _text("Town or city", required=True)
    postcode = _text("Postcode", required=True)
    district = forms.ChoiceField(label="District", help_text="Where the new address is")
    moved_on = date_field("Date they moved", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [
            (d.pk, d.name) for d in District.objects.order_by("name")
        ] + [(OUTSIDE, "Outside the authority's area (moved out of area)")]


class TransferOutForm(GovukForm):
    moved_to = _text("The authority they moved to", required=True)
    moved_on = date_field("Date they moved")
    note = _text("Note for the record", hint="For example, who at the new authority was told")


class MemberAddForm(GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    relationship = forms.ChoiceField(
        label="Relationship to the household", choices=Relationship.choices
    )
    first_name = _text("First name", required=True)
    last_name = _text("Last name", hint="Leave blank if they have a single name")
    date_of_birth = date_field("Date of birth", required=False)
    expected_date = date_field(
        "Expected date of delivery",
        required=False,
        help_text="For an unborn baby, instead of a date of birth",
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their gender"},
    )
    since = date_field("Date they joined the household", required=False)


class MemberRemoveForm(GovukForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = _text(
        "Why have they left the household?",
        required=True,
        missing="Enter why they have left the household",
    )


class RestrictForm(GovukForm):
    # Not required here: cases/upkeep.record_restrict says what is missing, field by field.
    reason = long_text("Reason for restricting", required=False, rows=3)
    contact = _text("Whom others should contact", hint="Shown to people who are not named")
    named_people = forms.ModelMultipleChoiceField(
        label="People who may see the record",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_people"].queryset = users
        self.fields["named_people"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.agency or 'Administrator'})"
        )


class UnrestrictForm(GovukForm):
    reason = long_text("Reason for lifting the restriction", required=False, rows=3)
