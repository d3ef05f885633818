"""The case page belongs to cases; other apps add their sections to it.

Assessments (the Early Help Assessment, the family plan and TAF meetings) and any later app
register a section function in their AppConfig.ready(), so the page can show them while
cases never imports an app above it (partners <- cases <- referrals, assessments).
A section takes the case, the signed-in user and today's date and returns template context.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from cases.models import EarlyHelpCase
from earlyhelp import pages
from earlyhelp.wording import term

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


# "Tell your story once" (issue 12, point 3): what the family's helpers already wrote - the
# requests for support behind the case, a partner's reason for starting early help - starts
# the Early Help Assessment (assessments.services.assessment_start), for the lead to edit.
# Apps holding such words register a function returning [Story] for a case.


@dataclass(frozen=True)
class Story:
    heading: str  # where the words come from: "Request for support RFS-000012, ..."
    parts: tuple[tuple[str, str], ...]  # (what it is, the words), in reading order
    need_ids: tuple[int, ...] = ()

    def as_text(self) -> str:
        lines = [self.heading]
        lines += [f"{label}:\n{text.strip()}" for label, text in self.parts if text.strip()]
        return "\n\n".join(lines)


StoryProvider = Callable[[EarlyHelpCase], list[Story]]

_stories: list[StoryProvider] = []


def register_story(provider: StoryProvider) -> StoryProvider:
    if provider not in _stories:
        _stories.append(provider)
    return provider


def _partner_story(case: EarlyHelpCase) -> list[Story]:
    """The practitioner who started early help without the front door: why, in their words
    (cases.services.case_start_by_partner writes it as the chronology's first event)."""
    from cases.models import CaseOrigin, ChronologyEntry

    if case.origin != CaseOrigin.PARTNER:
        return []
    entry = (
        ChronologyEntry.objects.filter(case=case, source_type="earlyhelpcase", source_id=case.pk)
        .order_by("occurred_at", "pk")
        .first()
    )
    if entry is None or not entry.text.strip():
        return []
    return [Story(entry.title, ((f"Why the family needs {term('early help')}", entry.text),))]


def stories_for(case: EarlyHelpCase) -> list[Story]:
    return _partner_story(case) + [story for provider in _stories for story in provider(case)]


def form_page(
    request,
    *,
    case: EarlyHelpCase,
    form,
    title: str,
    action: Callable[[dict], str],
    template: str = "cases/form_page.html",
    button: str = "Save",
    extra: dict | None = None,
):
    """A page that records one thing on a case, in any app: show `form`; on a valid POST
    run `action(cleaned_data)` (a service call returning the success message) and go back
    to the case page (see earlyhelp.pages)."""
    return pages.form_page(
        request,
        form,
        action,
        then=reverse("case_detail", args=[case.pk]),
        template=template,
        context={"case": case, "title": title, "button": button, **(extra or {})},
    )
