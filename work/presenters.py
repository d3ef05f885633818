"""The work tray's table rows, written in Python (issue 16).

A manager's tray shows fifty rows a page; through the template each row was a dozen variable
lookups, a date and a truncation filter and a lazy label, most of the page's template time.
Here each row is written once, the template's markup to the character (escaped as the
template escaped it); the labels and dates shared by many rows are worked out once.
"""

from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from work.kinds import TrayKind

DETAIL_CHARS = 120  # the template's truncatechars:120
OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--red">{}</strong>'
HARM = '<br><strong class="govuk-tag govuk-tag--red">Possible significant harm</strong>'


def _due_label(day, months) -> str:
    """The date filter's "j M Y": '4 Mar 2026'."""
    if day in (None, ""):
        return ""
    return f"{day.day} {months[day.month]} {day.year:04d}"


def tray_rows(items, *, show_case_column: bool) -> list[SafeString]:
    """One <tr> for each item, as templates/work/tray.html wrote them."""
    months = {number: str(name).title() for number, name in MONTHS_3.items()}
    labels: dict[str, str] = {}
    dues: dict = {}
    countdowns: dict = {}
    rows = []
    for item in items:
        label = labels.get(item.kind)
        if label is None:
            label = labels[item.kind] = escape(TrayKind(item.kind).label)
        reference = escape(item.reference)
        what = f'<a class="govuk-link" href="{escape(item.url)}">{label}<span class="govuk-visually-hidden"> {reference}</span></a>'  # noqa: E501
        if item.detail:
            detail = escape(Truncator(str(item.detail)).chars(DETAIL_CHARS))
            what += f'<br><span class="govuk-hint govuk-!-margin-bottom-0">{detail}</span>'
        if item.significant_harm:
            what += HARM
        if show_case_column:
            family = f"<br>{escape(item.family)}" if item.family else ""
            case = f'<td class="govuk-table__cell">{reference}{family}</td>'
        else:
            case = ""
        due = dues.get(item.due_date)
        if due is None:
            due = dues[item.due_date] = escape(_due_label(item.due_date, months))
        key = (item.due_date, item.today)
        countdown = countdowns.get(key)
        if countdown is None:
            text = escape(item.countdown)
            countdown = countdowns[key] = OVERDUE_TAG.format(text) if item.overdue else text
        rows.append(
            mark_safe(  # noqa: S308  (every value above is escaped)
                '<tr class="govuk-table__row">\n'
                f'    <td class="govuk-table__cell">{what}</td>\n'
                f"    {case}\n"
                f'    <td class="govuk-table__cell">{due}</td>\n'
                f'    <td class="govuk-table__cell">{countdown}</td>\n'
                "  </tr>"
            )
        )
    return rows
