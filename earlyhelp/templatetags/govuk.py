"""Render Django form widgets with GOV.UK Frontend classes and ARIA wiring."""

from django import forms, template

register = template.Library()

_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


@register.filter
def govuk_widget(bound_field):
    """{{ field|govuk_widget }}: the input with govuk classes, error state and describedby."""
    widget = bound_field.field.widget
    css = next(
        (value for kind, value in _CLASSES.items() if isinstance(widget, kind)), "govuk-input"
    )
    if bound_field.errors:
        css += f" {css.split()[0]}--error"
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.id_for_label}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.id_for_label}-error")
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def error_anchor(bound_field) -> str:
    """The id the error summary links to: the first option of a radio or checkbox group."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label


@register.filter
def fields(form, names: str) -> list:
    """{% for field in form|fields:"name email" %}: the form's named fields, in that order."""
    return [form[name] for name in names.split()]
