"""Who early help is for: children up to 18; a young person of 18 to 25 only with special
educational needs or a disability (SEND Code of Practice, 0 to 25) or as a care leaver
(Children and Social Work Act 2017, support to 25)."""

import datetime

from django.utils.text import format_lazy

from cases.codes import Disability, SenStatus
from earlyhelp.wording import term_lazy

ADULT_AGE = 18
MAX_AGE = 25

OVER_18 = format_lazy(
    "A young person aged 18 or over can have {} only with special educational "
    "needs or a disability (up to 25), or as a care leaver (up to 25). Record their SEN "
    "status, a disability, or that they are a care leaver",
    term_lazy("early help"),
)
OVER_25 = format_lazy("{} is for children and young people up to 25", term_lazy("Early help"))


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def has_send(sen_status: str, disabilities) -> bool:
    return sen_status != SenStatus.NONE or any(d != Disability.NONE for d in disabilities or [])


def over_18_problem(
    *,
    date_of_birth: datetime.date | None,
    sen_status: str,
    disabilities,
    care_leaver: bool,
    today: datetime.date,
) -> str | None:
    """The reason a child in a family is not eligible, or None when they are."""
    if date_of_birth is None:
        return None
    age = age_on(date_of_birth, today)
    if age < ADULT_AGE:
        return None
    if age > MAX_AGE:
        return OVER_25
    if has_send(sen_status, disabilities) or care_leaver:
        return None
    return OVER_18


def triage_cue(person, today: datetime.date) -> str | None:
    """The cue shown at triage for a young person aged 18 or over."""
    if person is None or person.date_of_birth is None:
        return None
    age = age_on(person.date_of_birth, today)
    if age < ADULT_AGE:
        return None
    reasons = []
    if has_send(person.sen_status, person.disabilities):
        reasons.append("has SEND")
    if person.care_leaver:
        reasons.append("is a care leaver")
    if reasons and age <= MAX_AGE:
        return f"{person.full_name} is {age}: eligible because they {' and '.join(reasons)}."
    return f"{person.full_name} is {age}. {OVER_25 if age > MAX_AGE else OVER_18}."
