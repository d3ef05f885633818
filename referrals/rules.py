"""Checks on what a referrer typed, shared by the web form and the API so both say the same.

Early help works with children and young people up to 18, or 25 with special educational
needs or a disability (SEND Code of Practice 0-25); an unborn baby has an expected date of
delivery, which cannot be more than about ten months away.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from cases.codes import Relationship
from cases.validators import (
    NHS_NUMBER_MESSAGE,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    postcode_error,  # noqa: F401  (the forms and the API ask rules.postcode_error)
    upn_is_valid,
)

MAX_CHILD_AGE = 25
MAX_EXPECTED_DAYS = 300  # about 43 weeks
MAX_ADULT_AGE = 120


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def person_errors(
    *,
    relationship: str,
    date_of_birth: datetime.date | None,
    expected_date: datetime.date | None,
    nhs_number: str = "",
    upn: str = "",
    today: datetime.date,
) -> dict[str, str]:
    """{field: message} for one person in a request; empty when all is well."""
    errors: dict[str, str] = {}
    is_child = relationship == Relationship.CHILD
    if date_of_birth and expected_date:
        errors["expected_date"] = (
            "Enter either a date of birth or an expected date of delivery, not both"
        )
    if date_of_birth:
        if date_of_birth > today:
            errors["date_of_birth"] = (
                "Date of birth must be today or in the past. For an unborn baby, leave it "
                "blank and enter the expected date of delivery"
            )
        elif is_child and age_on(date_of_birth, today) > MAX_CHILD_AGE:
            errors["date_of_birth"] = (
                f"A child in a request must be {MAX_CHILD_AGE} or under. Add an older person "
                "as an adult in the household"
            )
        elif age_on(date_of_birth, today) > MAX_ADULT_AGE:
            errors["date_of_birth"] = "Date of birth must be a real date in the last 120 years"
    if expected_date:
        if not is_child:
            errors["expected_date"] = "Only an unborn child has an expected date of delivery"
        elif expected_date < today - datetime.timedelta(days=60):
            errors["expected_date"] = (
                "The expected date is more than 2 months ago. If the baby has been born, "
                "enter their date of birth instead"
            )
        elif expected_date > today + datetime.timedelta(days=MAX_EXPECTED_DAYS):
            errors["expected_date"] = (
                "The expected date of delivery must be within the next 43 weeks"
            )
    if is_child and not date_of_birth and not expected_date and "expected_date" not in errors:
        errors["date_of_birth"] = (
            "Enter the child's date of birth, or an expected date of delivery for an unborn baby"
        )
    if nhs_number and not nhs_number_is_valid(normalise_nhs_number(nhs_number)):
        errors["nhs_number"] = NHS_NUMBER_MESSAGE
    if upn and not upn_is_valid(upn.strip().upper()):
        errors["upn"] = (
            "Enter a valid unique pupil number: a letter then 12 characters, like P801200120002"
        )
    return errors


def typed_person_errors(data) -> dict[str, str]:
    """person_errors for one person as the web form or the API took them (their cleaned
    data), judged today."""
    return person_errors(
        relationship=data["relationship"],
        date_of_birth=data.get("date_of_birth"),
        expected_date=data.get("expected_date"),
        nhs_number=data.get("nhs_number", ""),
        upn=data.get("upn", ""),
        today=timezone.localdate(),
    )


def clean_nhs_number(value: str) -> str:
    return normalise_nhs_number(value or "")


def clean_upn(value: str) -> str:
    return (value or "").strip().upper()


def clean_postcode(value: str) -> str:
    return normalise_postcode(value)


def triage_target_days(urgency: str) -> int:
    """Working days to a triage decision: configurable, default 1 urgent and 3 routine."""
    targets = getattr(settings, "TRIAGE_TARGET_WORKING_DAYS", None) or {}
    defaults = {"urgent": 1, "routine": 3}
    return int(targets.get(urgency, defaults.get(urgency, 3)))
