"""The years a typed date may fall in, one rule for the pages' forms and the API's input.
Generic: the kernel knows no domain app."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

# A year-1 or year-9999 date is a slip of the keyboard, and stored as typed it would skew
# every deadline and figure counted from it (or count back before the calendar begins).
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)


def within_the_calendar(label: str, not_future: str = ""):
    """A date field's check that the date falls between EARLIEST_DATE and LATEST_DATE and,
    with a `not_future` message, is not after today: one message, the first that applies.
    Django's ValidationError, so a form field and a DRF field both take it as a validator."""

    def check(day: datetime.date) -> None:
        if isinstance(day, datetime.datetime):  # a moment: the day it names
            day = day.date()
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                f"{label} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}"
            )
        if not_future and day > timezone.localdate():
            raise ValidationError(not_future)

    return check
