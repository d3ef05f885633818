"""Small template helpers for the front door pages."""

from django import forms, template

register = template.Library()


@register.filter
def is_choice_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
