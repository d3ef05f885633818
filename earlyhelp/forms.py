from django import forms
from django.contrib.auth.forms import AuthenticationForm


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


class SignInForm(LimitsInWords, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
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
