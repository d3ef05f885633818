from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import pretty_name

from earlyhelp.errors import DomainError, by_field


def say_limits_in_words(field: forms.Field) -> None:
    """A field's length and number limits, said with its label (Django's own wording is
    "Ensure this value has at most 150 characters (it has 151)")."""
    label = str(field.label or "This answer").replace("%", "%%")
    said = {
        "max_length": f"{label} must be %(limit_value)s characters or fewer; "
        "you entered %(show_value)s",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_value": f"{label} must be %(limit_value)s or less",
    }
    for code, message in said.items():
        field.error_messages.setdefault(code, message)  # a field's own wording stays


class LimitsInWords:
    """A form mixin (before forms.Form) saying every field's limits in words: the GOV.UK
    forms, and the filter and search forms that are not."""

    def full_clean(self):
        for field in self.fields.values():  # fields a form added after __init__ too
            say_limits_in_words(field)
        super().full_clean()


class NamesEveryWrongField:
    """A form mixin (before forms.Form): when a field is wrong here, the service's own rules
    (`record_rules`) are still asked of the fields that are right, so the page names every
    wrong field at once rather than the next one after each correction. Saving asks the
    rules again of everything."""

    def record_rules(self, data: dict) -> None:
        """Raise a DomainError naming the fields of `data` that break a rule (FieldErrors,
        or any error with `.errors`, {field: message})."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            taken = {k: v for k, v in cleaned.items() if k != "lock_version"}
            try:
                self.record_rules(taken)
            except DomainError as wrong:
                for field, message in by_field(wrong).items():
                    if field is None or (field in self.fields and field not in self._errors):
                        self.add_error(field, message)
        return cleaned


class SignInForm(LimitsInWords, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,  # the longest an address can be; a longer one is never tried
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive "
        "except the email address.",
        "inactive": "This account has been switched off. Contact your administrator.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class TwoFactorForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "The code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


# One example date for every date's hint and every "not a real date" message.
DATE_EXAMPLE = "27/03/2026"
DATE_HINT = f"For example, {DATE_EXAMPLE}"


def not_a_real_date(named: str) -> str:
    """The message for a date that is no date: `named` as a sentence says it ("the note's
    date")."""
    return f"Enter {named} as a real date, like {DATE_EXAMPLE}"


def reads_in_a_sentence(label) -> bool:
    """Whether a label can stand inside an error message: a question ("Why is the case
    stepping up?") or a heading with its part ("Child: date of birth") cannot, and a field
    labelled so gives its own messages."""
    label = str(label or "")
    return not label.rstrip().endswith("?") and ":" not in label


def in_a_sentence(label) -> str:
    """A label inside a sentence: "Email address" becomes "email address"; a label that
    starts with an abbreviation ("API scope", "TAF review") stays as it is."""
    label = str(label or "answer")
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


_NAMES_ITSELF = ("the ", "a ", "an ", "what ", "why ", "who ", "whom ", "how ", "where ")


def the_thing(label, missing: str = "") -> str:
    """A label named as a thing in a message: "Note" is "the note", "What was discussed"
    stays. A question or a "Heading: part" label has no such name; its field must say its
    own message (`missing`), and a form defined without one fails to load."""
    if not reads_in_a_sentence(label):
        if missing:
            return missing
        raise ValueError(f"{label!r} is no name for a message: give the field its own")
    named = in_a_sentence(label)
    return named if named.lower().startswith(_NAMES_ITSELF) else f"the {named}"


# Errors Django raises with %(value)s-style parameters: a '%' in a label must be doubled in
# these, and only in these (the others are shown as written).
_WITH_PARAMETERS = {"invalid_choice", "invalid_pk_value", "unique"}
_CHECKED_BY_VALIDATOR = (forms.EmailField, forms.URLField, forms.SlugField)


def _invalid(field: forms.Field, named: str, label: str) -> str | None:
    """What "invalid" means for this kind of field, said with its name."""
    said = {
        forms.EmailField: f"Enter {named} in the correct format, like name@example.com",
        forms.URLField: f"Enter {named} as a full web address, like https://www.example.com",
        forms.SlugField: f"{label} must contain only letters, numbers, hyphens and underscores",
        forms.IntegerField: f"{label} must be a whole number",
        forms.DecimalField: f"{label} must be a number",
        forms.FloatField: f"{label} must be a number",
        forms.DateTimeField: f"Enter {named} as a real date and time, like {DATE_EXAMPLE} 10:30",
        forms.DateField: not_a_real_date(named),
        forms.TimeField: f"Enter {named} as a time, like 10:30",
    }
    return next((message for kind, message in said.items() if isinstance(field, kind)), None)


def say_errors_in_words(field: forms.Field, whose: str = "the", record: str = "") -> None:
    """A field's errors naming it, GOV.UK style ("Enter the agency's name", "Choose the
    agency's kind") instead of Django's "This field is required.". `whose` is "the" or the
    record's possessive ("the agency's"); `record` (a ModelForm's) words a taken unique value."""
    label = str(field.label or "This answer")
    if not reads_in_a_sentence(label):
        return  # a question names no thing: the field says its own errors
    named = f"{whose} {in_a_sentence(field.label)}"
    chosen = isinstance(field, (forms.ChoiceField, forms.BooleanField, forms.FileField))
    said = {
        "required": f"{'Choose' if chosen else 'Enter'} {named}",
        "invalid_choice": f"Choose {named} from the list",
        "invalid_pk_value": f"Choose {named} from the list",
        "invalid_list": f"Choose {named} from the list",
        "invalid": _invalid(field, named, label),
        "unique": f"Another {record} already has this {in_a_sentence(field.label)}"
        if record
        else None,
    }
    for code, message in said.items():
        if message is None or not _djangos_wording(field, code):
            continue  # a field's own wording stays
        if code in _WITH_PARAMETERS or (
            code == "invalid" and isinstance(field, _CHECKED_BY_VALIDATOR)
        ):
            message = message.replace("%", "%%")
        field.error_messages[code] = message


def _djangos_wording(field: forms.Field, code: str) -> bool:
    """Whether the field says `code` in Django's default words (or not at all)."""
    if code not in field.error_messages:
        return True
    defaults = (getattr(kind, "default_error_messages", {}) for kind in type(field).__mro__)
    return any(str(field.error_messages[code]) == str(d.get(code, "")) for d in defaults)


class ErrorsInWords(LimitsInWords):
    """A form mixin (before forms.Form or forms.ModelForm): every field's errors in words
    that name it, as the product's own forms say them. On a ModelForm the field is the
    record's ("Enter the agency's name"), and a taken unique value says so."""

    def full_clean(self):
        model = getattr(getattr(self, "_meta", None), "model", None)
        record = str(model._meta.verbose_name) if model is not None else ""
        whose = "the"
        if record:
            whose = f"the {record}'" if record.endswith("s") else f"the {record}'s"
        for name, field in self.fields.items():
            if field.label is None:
                field.label = pretty_name(name)  # as the page shows it
            say_errors_in_words(field, whose, record)
        super().full_clean()
