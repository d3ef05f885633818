"""earlyhelp.form_renderer writes what Django's widget templates write, character for
character: every widget it writes in Python, in every state a form puts it in."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from earlyhelp.form_renderer import WRITTEN, FormRenderer


class Written(FormRenderer):
    """Fails if a widget it writes in Python is sent to a template after all."""

    def get_template(self, template_name):
        assert template_name not in WRITTEN, template_name
        return super().get_template(template_name)


TEXTS = ["", None, "Plain", "Two\nlines\n", "<b>\"Tom\" & 'Jerry'</b>", mark_safe("<i>safe</i>")]
ATTRS = [
    {},
    {"class": "govuk-textarea", "rows": 4, "data-autosave": "1"},
    {"required": True, "disabled": False, "aria-describedby": "x-hint x-error"},
    {"id": "id_x", "data-n": 0, "data-none": None, "data-t": (1, 2), "data-l": [1, "a"]},
    {"title": '"quoted" <tag> & more', "data-safe": mark_safe("<ok>")},
]
CHOICES = [
    [("", "Not scored yet")] + [(str(i), str(i)) for i in range(11)],
    [(1, "One"), (2, gettext_lazy("Two")), (None, "Nothing"), (3, 3)],
    [("Fruit", [("a", "Apple"), ("b", "Banana & <co>")]), ("c", "Cherry"), ("", "")],
    [(datetime.date(2026, 1, 2), datetime.date(2026, 1, 2)), (1.5, 1.5)],
]
SELECTED = [None, "", "3", 2, ["a", "c"], datetime.date(2026, 1, 2)]


def both(widget, name, value, attrs=None):
    django = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
    ours = widget.render(name, value, attrs=attrs, renderer=Written())
    return django, ours


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", TEXTS)
def test_text_boxes_and_inputs(value, attrs):
    for widget in (
        forms.Textarea(attrs=attrs),
        forms.TextInput(attrs=attrs),
        forms.HiddenInput(),
        forms.EmailInput(attrs=attrs),
        forms.NumberInput(),
        forms.DateInput(attrs={"type": "date"}),
        forms.PasswordInput(render_value=True),
        forms.CheckboxInput(attrs=attrs),
    ):
        django, ours = both(widget, 'na"me', value, attrs={"id": "id_name"})
        assert ours == django, type(widget).__name__


@pytest.mark.parametrize("selected", SELECTED)
@pytest.mark.parametrize("choices", CHOICES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_drop_downs(choices, selected, attrs):
    for widget in (
        forms.Select(attrs=attrs, choices=choices),
        forms.SelectMultiple(attrs=attrs, choices=choices),
    ):
        django, ours = both(widget, "score", selected)
        assert ours == django, type(widget).__name__


@pytest.mark.parametrize("value", [None, True, False, "unknown", "2"])
def test_yes_no_drop_down(value):
    django, ours = both(forms.NullBooleanSelect(attrs={"class": "govuk-select"}), "ok", value)
    assert ours == django


def test_a_bound_form_field_with_errors_is_written_the_same(client):
    class Form(forms.Form):
        notes = forms.CharField(widget=forms.Textarea, max_length=3)
        score = forms.TypedChoiceField(choices=[("", "-")] + [(str(i), i) for i in range(3)])
        when = forms.DateField()

    for renderer in (DjangoTemplates(), Written()):
        form = Form({"notes": "<too long>", "score": "9", "when": "x"}, renderer=renderer)
        assert not form.is_valid()
    django = Form({"notes": "<too long>", "score": "1"}, renderer=DjangoTemplates())
    ours = Form({"notes": "<too long>", "score": "1"}, renderer=Written())
    for name in ("notes", "score", "when"):
        assert str(ours[name]) == str(django[name])
        assert ours[name].as_widget(attrs={"class": "govuk-input"}) == django[name].as_widget(
            attrs={"class": "govuk-input"}
        )


def test_other_widgets_are_rendered_by_django():
    widget = forms.RadioSelect(choices=[("a", "A")])
    django = widget.render("pick", "a", renderer=DjangoTemplates())
    assert widget.render("pick", "a", renderer=FormRenderer()) == django


def test_forms_use_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
