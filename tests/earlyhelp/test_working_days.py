import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.working_days import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 = Monday
        (D(2026, 12, 18), 5, D(2026, 12, 29)),  # Christmas, Boxing Day observed
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Good Friday, Easter Monday
        (D(2026, 12, 1), 20, D(2026, 12, 31)),  # a 20-working-day assessment across Christmas
        (D(2027, 5, 28), 1, D(2027, 6, 1)),  # spring bank holiday Monday
    ],
)
def test_add_working_days_skips_weekends_and_english_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 8, 31))
    assert is_working_day(D(2026, 11, 25))


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1


@given(
    start=st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31)),
    length=st.integers(min_value=-800, max_value=800),
)
def test_working_days_between_agrees_with_counting_each_day(start, length):
    end = start + datetime.timedelta(days=length)
    low, high = min(start, end), max(start, end)
    counted = sum(
        1
        for n in range(1, (high - low).days + 1)
        if is_working_day(low + datetime.timedelta(days=n))
    )
    assert working_days_between(start, end) == (counted if end >= start else -counted)


def test_working_days_between_across_christmas_and_new_year():
    # 24 Dec 2026 (Thu) to 4 Jan 2027 (Mon): 25 and 28 Dec, 1 Jan are bank holidays;
    # 29, 30, 31 Dec and 4 Jan are left.
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 4
