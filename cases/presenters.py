"""Shapes the case page's records for its template, so the template stays simple and the
per-entry work of the chronology (thirty entries a page) is done once, in Python."""

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

from cases.models import NOTE_KINDS

# An entry id no real entry has: reversed once, then replaced by each entry's id.
_ANY_ENTRY = 918273645546372819


def _label(local, months) -> str:
    return (
        f"{local.day} {months[local.month]} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"
    )


def when_label(moment) -> str:
    """A moment in local time as the pages write it: '4 March 2026, 09:05' (the template
    filter date:"j F Y, H:i", without its per-call format lookups)."""
    return _label(timezone.localtime(moment), MONTHS)


def _correct_url(case):
    """reverse("correct_case_note", args=[case.pk, entry_id]) for any entry of the case."""
    url = reverse("correct_case_note", args=[case.pk, _ANY_ENTRY])
    marker = str(_ANY_ENTRY)
    if url.count(marker) != 1:
        return lambda entry_id: reverse("correct_case_note", args=[case.pk, entry_id])
    before, after = url.split(marker)
    return lambda entry_id: f"{before}{entry_id}{after}"


def chronology_rows(entries: list, *, case, can_work: bool) -> list:
    """Each entry (from selectors.chronology_for, with its `correction_list`) with what its
    row shows: when (ISO and in words), and the link to correct it (notes, for those who
    may work on the case)."""
    months = {month: str(name) for month, name in MONTHS.items()}
    correct_url = _correct_url(case) if can_work else None
    for entry in entries:
        local = timezone.localtime(entry.occurred_at)
        entry.occurred_iso = local.isoformat()
        entry.occurred_label = _label(local, months)
        entry.correct_url = (
            correct_url(entry.pk) if correct_url and entry.kind in NOTE_KINDS else ""
        )
    return entries
