"""Shapes the case page's records for its template, so the template stays simple and the
per-entry work of the chronology (thirty entries a page) is done once, in Python."""

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

from cases.models import NOTE_KINDS


def when_label(moment) -> str:
    """A moment in local time as the pages write it: '4 March 2026, 09:05' (the template
    filter date:"j F Y, H:i", without its per-call format lookups)."""
    local = timezone.localtime(moment)
    return (
        f"{local.day} {MONTHS[local.month]} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"
    )


def chronology_rows(entries: list, *, case, can_work: bool) -> list:
    """Each entry with what its row shows: when (ISO and in words), its corrections in
    order, and the link to correct it (notes, for those who may work on the case)."""
    for entry in entries:
        local = timezone.localtime(entry.occurred_at)
        entry.occurred_iso = local.isoformat()
        entry.occurred_label = when_label(local)
        entry.correction_list = list(entry.corrections.all())
        entry.correct_url = (
            reverse("correct_case_note", args=[case.pk, entry.pk])
            if can_work and entry.kind in NOTE_KINDS
            else ""
        )
    return entries
