"""Working days in England: Monday to Friday, less English bank holidays.

Every deadline in the product is counted here (assessment due in 20 working days, first TAF
meeting within 10, triage targets), from the `holidays` package's England calendar, so no
holiday list is typed by hand.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted).

    add_working_days(Fri, 1) is the next Monday (or Tuesday after a bank holiday Monday).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """The last working day on or before `day`: a date something is due by."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    """The first working day on or after `day`: the start of a window."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative if end is earlier.

    Counted by arithmetic, not day by day: pages and the reminder sweep ask this for every
    open case, and a case can be years old."""
    if end < start:
        return -working_days_between(end, start)
    holidays_in_range = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_to(end) - _weekdays_to(start) - holidays_in_range


def _weekdays_to(day: datetime.date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, days = divmod(day.toordinal(), 7)
    return weeks * 5 + min(days, 5)
