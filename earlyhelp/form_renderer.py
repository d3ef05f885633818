"""Django's form renderer, with the commonest widgets written in Python.

A long form (the Early Help Assessment: a dozen text boxes, drop-downs of eleven scores)
spent a third of its page time rendering Django's widget templates: a template render for
each widget, its attributes and each option. For text boxes, drop-downs and inputs this
renderer writes the same HTML in Python, character for character: what Django's templates
(django/forms/widgets/textarea.html, select.html, select_option.html, input.html and
attrs.html) write, with the same escaping (tests/earlyhelp/test_form_renderer.py compares
the two for every case). Any other template, or an option with its own template, is
rendered by Django as before.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
SELECT_OPTION = _WIDGETS + "select_option.html"
# Templates that are only {% include "django/forms/widgets/input.html" %}.
INPUTS = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
_CONTEXT = Context()  # what a widget template is rendered with: autoescape, no l10n/tz override


def _shown(value) -> str:
    """{{ value }}"""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }} (a safe value stays unescaped, as the filter keeps it safe)"""
    try:
        text = str(value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    name = _shown(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                return None  # an option with its own template: Django renders it
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_WRITERS = {_WIDGETS + "textarea.html": _textarea, _WIDGETS + "select.html": _select}
_WRITERS.update(dict.fromkeys(INPUTS, _input))
WRITTEN = frozenset(_WRITERS) | {SELECT_OPTION, _WIDGETS + "attrs.html"}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        html = write(context["widget"]) if write is not None and "widget" in context else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html
