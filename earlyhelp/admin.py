"""Admin building blocks every app may use (the kernel imports nothing above it)."""

from django import forms

from earlyhelp.forms import ErrorsInWords


class AdminForm(ErrorsInWords, forms.ModelForm):
    """The base of an admin form written here: its errors name the field as the product's
    pages do ("Enter the agency's name", "Email address must be 254 characters or fewer"),
    not Django's "This field is required."."""


def in_words(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """An admin's form (Django's user forms, django-celery-beat's, one built from the model)
    with its errors in the product's words, as AdminForm's."""
    if issubclass(form_class, ErrorsInWords):
        return form_class
    return type(form_class.__name__, (ErrorsInWords, form_class), {"__module__": __name__})


class NeverChangedHere:
    """Nothing is added, changed or deleted through this admin page or inline: changes go
    through the pages and their services, so history and audit stay whole."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
