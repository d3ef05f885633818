"""The tray's rows, written in Python (work/presenters.py), are the template's markup to the
character, escaped as the template escaped them."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse

from tests.conftest import signed_in
from work.presenters import tray_rows
from work.tray import TrayItem

from .conftest import build_lead_work

# The row as templates/work/tray.html wrote it before the rows were written in Python.
TEMPLATE_ROW = """{% for item in items %}<tr class="govuk-table__row">
    <td class="govuk-table__cell"><a class="govuk-link" href="{{ item.url }}">{{ item.label }}<span class="govuk-visually-hidden"> {{ item.reference }}</span></a>{% if item.detail %}<br><span class="govuk-hint govuk-!-margin-bottom-0">{{ item.detail|truncatechars:120 }}</span>{% endif %}{% if item.significant_harm %}<br><strong class="govuk-tag govuk-tag--red">Possible significant harm</strong>{% endif %}</td>
    {% if show_case_column %}<td class="govuk-table__cell">{{ item.reference }}{% if item.family %}<br>{{ item.family }}{% endif %}</td>{% endif %}
    <td class="govuk-table__cell">{{ item.due_date|date:"j M Y" }}</td>
    <td class="govuk-table__cell">{% if item.overdue %}<strong class="govuk-tag govuk-tag--red">{{ item.countdown }}</strong>{% else %}{{ item.countdown }}{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501

TODAY = datetime.date(2026, 9, 3)


def _items():
    awkward = "<script>alert(\"x\")</script> & 'quotes'"
    return [
        TrayItem("action", TODAY - datetime.timedelta(days=40), TODAY, "/cases/1/plan/",
                 1, "EH-000001", awkward, "é" * 130 + "<b>", True),
        TrayItem("drift", TODAY, TODAY, "/cases/2/?a=1&b=2", 2, "EH-000002", "", awkward, False),
        TrayItem("meeting", TODAY + datetime.timedelta(days=1), TODAY, "/m/", 3, "EH-3",
                 "Family", "10:00", False),
        TrayItem("triage", datetime.date(2027, 1, 1), TODAY, "/requests/4/", None, "RQ-4",
                 "", "x" * 120, True),
        TrayItem("leaver", datetime.date(2026, 5, 31), TODAY, "/u/", None, "User 5",
                 "", "A: leads 1 open case, on 0 TAFs", False),
    ]  # fmt: skip


@pytest.mark.parametrize("show_case_column", [True, False])
def test_rows_are_the_templates_markup(show_case_column):
    template = engines["django"].from_string(TEMPLATE_ROW)
    items = _items()
    expected = template.render({"items": items, "show_case_column": show_case_column})
    assert "".join(tray_rows(items, show_case_column=show_case_column)) == expected
    assert "&lt;script&gt;" in expected and "<script>" not in expected


@pytest.mark.django_db
def test_the_tray_page_shows_names_and_details_escaped(client, practitioner, colleague, eh_team):
    cases = build_lead_work(practitioner, colleague, eh_team)
    family = cases["unassessed"].family
    family.name = "<i>Smith</i> & Sons"
    family.save()
    page = signed_in(client, practitioner).get(reverse("home")).content.decode()
    assert "&lt;i&gt;Smith&lt;/i&gt; &amp; Sons" in page and "<i>Smith</i>" not in page
