"""What an API view takes from a request: its input, checked by a serializer (an Input)
whose fields say what is wrong in the product's words, naming the field, as the pages'
forms do (earlyhelp.forms.say_errors_in_words), where DRF says "This field is required.".
Generic: the kernel knows no domain app."""

from collections.abc import Mapping

from rest_framework import relations, serializers

from earlyhelp.dates import within_the_calendar

# Dates and times on the API are ISO 8601, and so are the examples the messages give.
DATE_EXAMPLE = "2026-03-27"
DATETIME_EXAMPLE = "2026-03-27T10:30"

# Words of field names said in capitals (DRF's own label says "Nhs number").
_CAPITALS = {"nhs": "NHS", "upn": "UPN", "sen": "SEN", "taf": "TAF", "id": "ID", "api": "API"}


def label_for(name: str) -> str:
    """A field's name as its label, as DRF makes one ("first_name": "First name"), with the
    product's capitals ("nhs_number": "NHS number")."""
    text = " ".join(_CAPITALS.get(word, word) for word in name.split("_") if word)
    return text[:1].upper() + text[1:]


# Input: a serializer for what a request sends, its fields' errors in words that name them
# (worded) by their label, or else by `labels` (field name: label), or else by their name.
# `labels` words a field its name says badly ("what") without giving it a label, which
# the schema would show as the field's title. For a nested serializer, a list's items or
# a query's filters too. (No docstring: the schema would describe every input with it.)
class Input(serializers.Serializer):
    default_error_messages = {"invalid": "Send the fields as a JSON object"}
    labels: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._declared_fields = {
            name: worded(field, str(field.label or cls.labels.get(name) or label_for(name)))
            for name, field in cls._declared_fields.items()
        }


def worded(field, label: str):
    """`field` saying its errors in words that name it by `label`, the other error_messages
    it was given kept: made again with them, as DRF copies a declared field, so that the
    validators it builds from them (lengths, limits, formats) say them too. A list's or a
    dictionary's items are worded as "each of" it."""
    kwargs = dict(field._kwargs)
    if isinstance(field, (serializers.ListField, serializers.ListSerializer)):
        kwargs["child"] = worded(field.child, f"Each of {_named(label)}")
    elif isinstance(field, serializers.DictField):
        kwargs["child"] = worded(field.child, f"Each value of {_named(label)}")
    said = {
        code: message
        for code, message in _messages(field, label).items()
        if code in field.error_messages and _drfs_words(field, code)
    }
    kwargs["error_messages"] = {**said, **(kwargs.get("error_messages") or {})}
    return type(field)(*field._args, **kwargs)


def _in_a_sentence(label: str) -> str:
    """A label inside a sentence: "Date of birth" becomes "date of birth"; "NHS number"
    stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _named(label: str) -> str:
    plain = _in_a_sentence(label)
    return plain if plain.startswith("each ") else f"the {plain}"


def _drfs_words(field, code: str) -> bool:
    """Whether the field says `code` in DRF's words (or Input's generic ones): not in the
    error_messages it was given, nor in a project field class's own."""
    if code in (field._kwargs.get("error_messages") or {}):
        return False
    for kind in type(field).__mro__:
        if code in vars(kind).get("default_error_messages", {}):
            return kind.__module__.startswith("rest_framework.") or kind.__module__ == __name__
    return True


# A limit's message DRF formats ({max_length}) and hands to a Django validator, which fills
# in %(show_value)s; a format's "invalid" goes to the validator alone: a label's braces
# and percent signs are doubled where each would read them.
_LIMITS = {"max_length", "min_length", "max_value", "min_value"}
_FORMATS = (
    serializers.EmailField,
    serializers.URLField,
    serializers.RegexField,
    serializers.SlugField,
)


def _messages(field, label: str) -> dict[str, str]:
    def said(*, braces: bool, percents: bool) -> dict[str, str]:
        def escaped(text: str) -> str:
            text = text.replace("{", "{{").replace("}", "}}") if braces else text
            return text.replace("%", "%%") if percents else text

        plain = _in_a_sentence(label)
        return _said(field, escaped(label), escaped(_named(label)), escaped(plain))

    formatted = said(braces=True, percents=False)
    limits = said(braces=True, percents=True)
    validated = said(braces=False, percents=True)
    for code in formatted:
        if code in _LIMITS and not isinstance(field, serializers.ListSerializer):
            formatted[code] = limits[code]
        elif code in ("invalid", "invalid_unicode") and isinstance(field, _FORMATS):
            formatted[code] = validated[code]
    return formatted


def _said(field, label: str, named: str, plain: str) -> dict[str, str]:
    """What each of DRF's error codes for this kind of field means, naming it: `label` to
    start a sentence ("First name"), `named` inside one ("the first name"), `plain` with no
    article ("first name"). DRF fills in {max_length}, {pk_value}, ...; a Django validator
    %(show_value)s, what was sent."""
    given = {"required": f"Enter {named}", "null": f"Enter {named}"}
    if isinstance(field, serializers.BooleanField):
        said = {
            "required": f"Enter {named} as true or false",
            "null": f"Enter {named} as true or false",
            "invalid": f"{label} must be true or false",
        }
    elif isinstance(field, serializers.ChoiceField):
        said = {
            "required": f"Choose {named}",
            "null": f"Choose {named}",
            "invalid_choice": f"Choose {named} from the list",
        }
    elif isinstance(field, serializers.CharField):
        said = {
            **given,
            "blank": f"Enter {named}",
            "invalid": _invalid_text(field, label, named),
            "invalid_unicode": _invalid_text(field, label, named),
            "max_length": f"{label} must be {{max_length}} characters or fewer; "
            "you entered %(show_value)s",
            "min_length": f"{label} must be {{min_length}} characters or more",
        }
    elif isinstance(field, (serializers.IntegerField, serializers.FloatField)):
        number = "a whole number" if isinstance(field, serializers.IntegerField) else "a number"
        said = {
            **given,
            "invalid": f"{label} must be {number}",
            "max_string_length": f"{label} must be {number}",
            "max_value": f"{label} must be {{max_value}} or less",
            "min_value": f"{label} must be {{min_value}} or more",
        }
    elif isinstance(field, serializers.DateTimeField):
        wrong = f"Enter {named} as a real date and time, like {DATETIME_EXAMPLE}"
        said = {**given, "invalid": wrong, "date": wrong, "make_aware": wrong, "overflow": wrong}
    elif isinstance(field, serializers.DateField):
        wrong = f"Enter {named} as a real date, like {DATE_EXAMPLE}"
        said = {**given, "invalid": wrong, "datetime": wrong}
    elif isinstance(field, serializers.TimeField):
        said = {**given, "invalid": f"Enter {named} as a time, like 10:30"}
    elif isinstance(field, (serializers.ListField, serializers.ListSerializer)):
        said = {
            **given,
            "not_a_list": f"Enter {named} as a list",
            "empty": f"Enter at least one of {named}",
            "max_length": f"Enter {{max_length}} or fewer {plain}",
            "min_length": f"Enter at least {{min_length}} {plain}",
        }
        if isinstance(field, serializers.ListField):  # said by a Django validator
            said["max_length"] += "; you entered %(show_value)s"
    elif isinstance(field, serializers.DictField):
        said = {
            **given,
            "not_a_dict": f"Enter {named} as an object",
            "empty": f"Enter at least one of {named}",
        }
    elif isinstance(field, relations.PrimaryKeyRelatedField):
        said = {
            **given,
            "does_not_exist": f"There is no {plain} with the id {{pk_value}}",
            "incorrect_type": f"Enter {named} as its id, a whole number",
        }
    elif isinstance(field, relations.SlugRelatedField):
        said = {
            **given,
            "does_not_exist": f"There is no {plain} with the {{slug_name}} {{value}}",
            "invalid": f"Enter {named} as its {field.slug_field}",
        }
    elif isinstance(field, serializers.Serializer):
        said = {**given, "invalid": f"Enter {named} as an object"}
    else:
        said = given
    return said


def _invalid_text(field, label: str, named: str) -> str:
    """A text field's "invalid": the format it takes, where it has one."""
    if isinstance(field, serializers.EmailField):
        return f"Enter {named} in the correct format, like name@example.com"
    if isinstance(field, serializers.URLField):
        return f"Enter {named} as a full web address, like https://www.example.com"
    if isinstance(field, serializers.SlugField):
        return f"{label} must contain only letters, numbers, hyphens and underscores"
    if isinstance(field, serializers.RegexField):
        return f"Enter {named} in the correct format"
    return f"Enter {named} as text"


def valid_input(serializer_class, request, *, also_check=None, **context) -> dict:
    """The request's data as `serializer_class` checks it: its validated data, or a 400 with
    the serializer's messages (DRF's ValidationError).

    `also_check(data)`: the rules the service holds the input to, as {field: message} of
    those `data` breaks (a nested input's message as {its field: [message]}). Asked of the
    fields the serializer took when another is wrong, so the 400 names every wrong field at
    once, not the serializer's alone."""
    serializer = serializer_class(data=request.data, context=context)
    if serializer.is_valid():
        return serializer.validated_data
    errors = dict(serializer.errors)
    if also_check is not None and isinstance(request.data, Mapping):
        taken = request.data.copy()
        for name in errors:
            taken.pop(name, None)
        rest = serializer_class(data=taken, partial=True, context=context)
        if rest.is_valid():
            for name, message in said_as_input_errors(
                also_check(dict(rest.validated_data))
            ).items():
                errors.setdefault(name, message)
    raise serializers.ValidationError(errors)


def said_as_input_errors(broken: dict) -> dict:
    """also_check's {field: message} as a 400 says them: {field: [message]}, a nested
    input's {its field: [message]} as it is."""
    return {k: v if isinstance(v, Mapping) else [v] for k, v in broken.items()}


def calendar_date(label: str, **kwargs) -> serializers.DateField:
    """An input date (YYYY-MM-DD) held to the same years as the pages' date fields
    (earlyhelp.dates.within_the_calendar), every error said with the page's `label`. A date
    after today is left to the services, which refuse it where the day something happened
    is asked."""
    validators = [*kwargs.pop("validators", ()), within_the_calendar(label)]
    return worded(serializers.DateField(validators=validators, **kwargs), label)


def calendar_datetime(label: str, **kwargs) -> serializers.DateTimeField:
    """An input moment (ISO 8601) whose day is held to the calendar's years, as
    calendar_date."""
    validators = [*kwargs.pop("validators", ()), within_the_calendar(label)]
    return worded(serializers.DateTimeField(validators=validators, **kwargs), label)
