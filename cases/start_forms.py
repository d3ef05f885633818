"""The page a partner uses to start early help with a family they know (issue 12, point 2):
the family as they know them, consent first, the level and why; then, if the front door's
matching finds people who may already be known, a choice for each."""

from django import forms
from django.utils.text import format_lazy

from cases.codes import Relationship
from cases.forms import ConsentForm, GovukForm, date_field, long_text
from cases.models import LevelOfNeed
from cases.upkeep import check_date_of_birth
from cases.validators import normalise_postcode, validate_postcode
from earlyhelp.forms import the_thing
from earlyhelp.wording import term_lazy

# (slot, relationship, heading, required)
PEOPLE = [
    ("child", Relationship.CHILD, "Child", True),
    ("child2", Relationship.CHILD, "Another child (if there is one)", False),
    ("parent", Relationship.PARENT, "Parent or carer", True),
]
# What a message calls each person's answers ("Enter the child's first name").
WHOSE = {"child": "Child's", "child2": "Other child's", "parent": "Parent or carer's"}
CONSENT_BY = [
    ("parent", "The parent or carer"),
    ("child", "The child, a young person consenting for themselves"),
]


def _name(label: str, named: str, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        error_messages={"required": f"Enter {the_thing(named)}"},
    )


EH = term_lazy("early help")


class StartEarlyHelpForm(GovukForm):
    district = forms.TypedChoiceField(
        label="District", coerce=int, widget=forms.RadioSelect, choices=[]
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the first line of the family's address"},
    )
    town = forms.CharField(
        label="Town", max_length=100, error_messages={"required": "Enter the town"}
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        validators=[validate_postcode],
        error_messages={"required": "Enter the postcode"},
    )
    consent_given_by = forms.ChoiceField(
        label=format_lazy("Who gave consent to {}?", EH),
        choices=CONSENT_BY,
        widget=forms.RadioSelect,
        help_text=format_lazy("Record consent first: {} is voluntary.", EH),
        error_messages={"required": "Choose who gave consent"},
    )
    # The consent page's own fields (cases.forms.ConsentForm), so both say the same.
    consent_given_on = ConsentForm.base_fields["given_on"]
    consent_method = ConsentForm.base_fields["method"]
    level_of_need = forms.TypedChoiceField(
        label="Level of need",
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of need"},
    )
    reason = long_text(
        format_lazy("Why does the family need {}?", EH),
        missing=format_lazy("Enter why the family need {}", EH),
        help_text="What you know of the family's story: the worries, what is working well, "
        "and the support that would help. It starts their assessment.",
    )

    def __init__(self, *args, districts=(), candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [(d.pk, d.name) for d in districts]
        self.fields["level_of_need"].choices = [
            (code, label)
            for code, label in LevelOfNeed.configured_choices()
            if code in (LevelOfNeed.UNIVERSAL_PLUS, LevelOfNeed.TARGETED)
        ]
        for slot, _, heading, required in PEOPLE:
            whose = WHOSE[slot]
            for part in ("first name", "last name"):
                self.fields[f"{slot}_{part.replace(' ', '_')}"] = _name(
                    f"{heading}: {part}", f"{whose} {part}", required
                )
            self.fields[f"{slot}_date_of_birth"] = date_field(
                f"{heading}: date of birth",
                named=f"{whose} date of birth",
                required=required,
                validators=[check_date_of_birth],
            )
        # The possible matches the front door's rule found, one choice per person.
        self.candidates = candidates or {}
        for slot, found in self.candidates.items():
            self.fields[f"match_{slot}"] = forms.ChoiceField(
                label=f"Is {self._typed_name(slot)} one of these people?",
                choices=[(str(c.person.pk), _describe(c)) for c in found]
                + [("new", "No, none of them: a new person")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose who {self._typed_name(slot)} is"},
            )

    def _typed_name(self, slot: str) -> str:
        data = self.data or {}
        return f"{data.get(f'{slot}_first_name', '')} {data.get(f'{slot}_last_name', '')}".strip()

    def person_fields(self):
        """[(heading, [bound fields])] for the template, person by person."""
        return [
            (
                heading,
                [self[f"{slot}_{part}"] for part in ("first_name", "last_name", "date_of_birth")],
            )
            for slot, _, heading, _ in PEOPLE
        ]

    def match_fields(self):
        return [self[f"match_{slot}"] for slot in self.candidates]

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        if not self.errors:
            twice = person_entered_twice(self.people())
            if twice:
                self.add_error(f"{twice['slot']}_first_name", twice_message(twice))
        parts = ("first_name", "last_name", "date_of_birth")
        if any(data.get(f"child2_{p}") for p in parts):
            for part in parts:
                if not data.get(f"child2_{part}") and f"child2_{part}" not in self.errors:
                    self.add_error(
                        f"child2_{part}",
                        f"Enter the other child's {part.replace('_', ' ')}, or leave all "
                        "three empty",
                    )
        return data

    def people(self) -> list[dict]:
        """The people as the service takes them (cases.services.case_start_by_partner)."""
        data = self.cleaned_data
        people = []
        for slot, relationship, _, _ in PEOPLE:
            if not data.get(f"{slot}_first_name"):
                continue
            entry = {
                "slot": slot,
                "first_name": data[f"{slot}_first_name"],
                "last_name": data[f"{slot}_last_name"],
                "date_of_birth": data[f"{slot}_date_of_birth"],
                "relationship": relationship,
            }
            choice = data.get(f"match_{slot}")
            if choice == "new":
                entry["new_person"] = True
            elif choice:
                entry["person_id"] = int(choice)
            people.append(entry)
        return people


def person_entered_twice(people: list[dict]) -> dict | None:
    """The first entry that is a person already entered above: the same existing person
    chosen twice, or the same name and date of birth typed twice. A family has each person
    once (the service would otherwise add the same member twice)."""
    seen = set()
    for entry in people:
        if entry.get("person_id"):
            key = ("person", entry["person_id"])
        else:
            key = (
                entry["first_name"].strip().lower(),
                entry["last_name"].strip().lower(),
                entry.get("date_of_birth"),
            )
        if key in seen:
            return entry
        seen.add(key)
    return None


def twice_message(entry: dict) -> str:
    name = f"{entry['first_name']} {entry['last_name']}".strip()
    return f"{name} is entered twice. Enter each person in the family once"


def _describe(candidate) -> str:
    person = candidate.person
    if getattr(person, "restriction", None) is not None and person.restriction.hidden:
        return f"Restricted record: {person.restriction.contact}"
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    where = ""
    if candidate.families:
        family = candidate.families[0]
        hidden = getattr(family, "restriction", None) is not None and family.restriction.hidden
        where = "" if hidden else f", {family.name}, {family.postcode}"
    return f"{person.first_name} {person.last_name}{born}{where} ({candidate.reason.lower()})"
