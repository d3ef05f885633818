"""The case page's chronology rows say what the template filters said, character for
character (cases/presenters.py does in Python what the template did per entry)."""

import datetime
import zoneinfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from cases.presenters import when_label

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 1, 4, 9, 5, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),  # the clocks go forward
        datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # and back
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(2027, 6, 1, 12, 0, tzinfo=LONDON),
        datetime.datetime(999, 5, 17, 7, 0, tzinfo=datetime.UTC),
    ],
)
def test_when_label_is_the_date_filter_in_local_time(moment):
    local = timezone.template_localtime(moment)
    assert when_label(moment) == date_filter(local, "j F Y, H:i")
    assert timezone.localtime(moment).isoformat() == date_filter(local, "c")


def test_the_correction_link_is_the_reversed_url():
    from types import SimpleNamespace

    from django.urls import reverse

    from cases.presenters import _correct_url

    case = SimpleNamespace(pk=91827)
    for entry_id in (1, 9182, 918273645546372819, 123456789):
        assert _correct_url(case)(entry_id) == reverse(
            "correct_case_note", args=[case.pk, entry_id]
        )
