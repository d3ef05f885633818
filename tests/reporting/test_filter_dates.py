import datetime

import pytest

from partners.models import Agency, District
from reporting.forms import ReportFilterForm


@pytest.mark.django_db
def test_a_period_out_of_the_calendar_is_named_as_start_and_end_date():
    form = ReportFilterForm(
        {"start": "0001-01-01", "end": "9999-12-31"},
        districts=District.objects.none(),
        agencies=Agency.objects.none(),
        today=datetime.date(2026, 11, 27),
    )
    assert not form.is_valid()
    assert form.errors["start"] == ["Start date must be between 1900 and 2099"]
    assert form.errors["end"] == ["End date must be between 1900 and 2099"]
    assert form["start"].value() == "0001-01-01"  # kept as typed
