"""An outside tester's finding: error messages built from a field's label read badly when
the label is a question or a "Heading: part" ("Enter why is the case stepping up?", "Enter
the child: date of birth as a real date", "Enter note"). Every form in the product's apps is
walked, and each required field's messages must read as GOV.UK error messages."""

import importlib
import inspect
import pathlib
import re

import pytest
from django import forms

from cases.forms import date_field, long_text
from earlyhelp.forms import DATE_EXAMPLE, ErrorsInWords, the_thing
from tests.house.test_wording import APPS as WORDED

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The apps whose Python holds forms: the wording test's, less the shell and the templates.
APPS = [app for app in WORDED if app not in ("config", "templates")]
# After "Enter"/"Choose"/"Select" a message names a thing: "the note", "what will happen".
NAMED = re.compile(
    r"^(Enter|Choose|Select) (?!(the|a|an|your|their|why|what|who|whom|how|where|when|"
    r"whether|yes|at least|each|one|either|details|[0-9])\b)"
)
ODD = [
    (re.compile(r"\?"), "a question inside a message"),
    (re.compile(r":\s"), "a 'Heading: part' label inside a message"),
    (NAMED, "a label with no article ('Enter note')"),
    (re.compile(r"\bthe (the|a|an|what|why|who|how|another)\b", re.I), "'the' before a name"),
]


def _form_classes():
    for app in APPS:
        for path in sorted((ROOT / app).glob("*.py")):
            if "form" not in path.name and path.name not in {"admin.py", "audit_views.py"}:
                continue
            module = importlib.import_module(f"{app}.{path.stem}")
            for cls in vars(module).values():
                if (
                    inspect.isclass(cls)
                    and issubclass(cls, forms.BaseForm)
                    and cls.__module__ == module.__name__
                ):
                    yield cls


def _fields(cls) -> dict:
    """The form's fields as a page shows them: made in __init__ where the form can be made
    without the page's arguments, else as declared."""
    try:
        form = cls()
    except Exception:  # a form needing the page's records: its declared fields
        return cls.base_fields
    if isinstance(form, ErrorsInWords):
        form.full_clean()  # where the mixin words the messages
    return form.fields


def _messages(field: forms.Field):
    if field.required:
        yield "required", str(field.error_messages.get("required", ""))
    if "invalid" in field.error_messages:
        yield "invalid", str(field.error_messages["invalid"])


@pytest.mark.django_db
def test_every_required_field_says_its_errors_in_words_that_read_well():
    classes = list(_form_classes())
    assert len(classes) > 40  # the walk found the product's forms
    found = []
    for cls in classes:
        for name, field in _fields(cls).items():
            if field.widget.is_hidden:
                continue
            for code, message in _messages(field):
                for pattern, fault in ODD:
                    if pattern is NAMED and re.match(r"(Choose|Select) [^,]+ or ", message):
                        continue  # the choices themselves: "Choose pass or fail"
                    if pattern.search(message):
                        found.append(
                            f"{cls.__module__}.{cls.__name__}.{name} {code}: {message!r} ({fault})"
                        )
    assert not found, "\n".join(found)


def test_a_question_label_must_come_with_its_own_message():
    with pytest.raises(ValueError):
        long_text("Why is the case stepping up?")
    with pytest.raises(ValueError):
        date_field("Child: date of birth")
    field = long_text("Why is the case stepping up?", missing="Enter why the case is stepping up")
    assert field.error_messages["required"] == "Enter why the case is stepping up"


def test_plain_labels_are_named_as_things_and_abbreviations_keep_their_capitals():
    assert the_thing("Note") == "the note"
    assert the_thing("What was discussed") == "what was discussed"
    assert the_thing("TAF review") == "the TAF review"
    field = date_field("Date of the meeting")
    assert field.error_messages["required"] == "Enter the date of the meeting"
    assert field.error_messages["invalid"] == (
        f"Enter the date of the meeting as a real date, like {DATE_EXAMPLE}"
    )


def test_a_question_labelled_field_is_not_worded_from_its_label_by_the_mixin():
    class Asked(ErrorsInWords, forms.Form):
        reason = forms.CharField(
            label="Why is it closing?", error_messages={"required": "Enter why it is closing"}
        )

    form = Asked(data={})
    assert form.errors["reason"] == ["Enter why it is closing"]


# The example itself; and the education CSV import, whose column takes two formats and says
# both with a day that reads the same either way (03/03/2026 or 2026-03-03).
OWN_DATE_EXAMPLES = {
    "earlyhelp/forms.py",
    "reporting/education.py",
    "reporting/forms.py",
    "reporting/templates/reporting/education_import.html",
}


def test_every_date_example_is_the_one_from_earlyhelp_forms():
    """Date hints and 'not a real date' messages disagreed ("for example 27 3 2026", "like
    27/03/2019", "like 01/04/2026"): one example, DATE_EXAMPLE, said in one place."""
    example = re.compile(r"(like|for example,?) \d{1,2}[ /]\d{1,2}[ /]\d{4}", re.I)
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for app in [*APPS, "templates"]
        for path in sorted((ROOT / app).rglob("*"))
        if path.suffix in {".py", ".html", ".txt"}
        and "migrations" not in path.parts
        and str(path.relative_to(ROOT)) not in OWN_DATE_EXAMPLES
        for match in example.finditer(path.read_text())
    ]
    assert not found, found
