"""The filters' select boxes are built in Python (issue 16: 160 agencies took longer to draw
than the indicators took to count); the HTML is exactly Django's."""

import pytest
from django import forms

from reporting.forms import QuickSelect

CHOICES = [("", "All"), ("1", 'A & <B> "c"'), (2, "Two"), ("Group", [("3", "three")])]


@pytest.mark.parametrize("value", ["", "1", 2, "3", None, "missing"])
@pytest.mark.parametrize(
    "attrs", [{}, {"class": "govuk-select", "aria-describedby": 'x"<y', "disabled": True}]
)
def test_quick_select_draws_what_djangos_select_draws(value, attrs):
    quick = QuickSelect(attrs={"hidden": False}, choices=CHOICES)
    django = forms.Select(attrs={"hidden": False}, choices=CHOICES)
    assert quick.render("agen<cy", value, attrs=attrs) == django.render(
        "agen<cy", value, attrs=attrs
    )
