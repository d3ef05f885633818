"""The case page belongs to cases; other apps add their sections to it.

Assessments (the Early Help Assessment, the family plan and TAF meetings) and any later app
register a section function in their AppConfig.ready(), so the page can show them while
cases never imports an app above it (partners <- cases <- referrals, assessments).
A section takes the case, the signed-in user and today's date and returns template context.
"""

import datetime
from collections.abc import Callable

from cases.models import EarlyHelpCase

Section = Callable[[EarlyHelpCase, object, datetime.date], dict]

_sections: list[Section] = []


def register_section(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def sections_context(case: EarlyHelpCase, user, today: datetime.date) -> dict:
    context: dict = {}
    for section in _sections:
        context.update(section(case, user, today))
    return context


# "What is due next" on the case list ("My cases"): apps that own deadlines register a
# function returning per-case subquery expressions (OuterRef("pk") is the case); the list
# annotates the earliest of them as `next_due`, in the same query as the page.
DueDates = Callable[[], list]

_due_dates: list[DueDates] = []


def register_due_dates(provider: DueDates) -> DueDates:
    if provider not in _due_dates:
        _due_dates.append(provider)
    return provider


def next_due_expressions() -> list:
    return [expression for provider in _due_dates for expression in provider()]
