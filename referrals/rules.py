"""Checks on what a referrer typed, and on the front door's triage decision, shared by the
web forms, the API and the services so all say the same.

Early help works with children and young people up to 18, or 25 with special educational
needs or a disability (SEND Code of Practice 0-25); an unborn baby has an expected date of
delivery, which cannot be more than about ten months away.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from cases.codes import Relationship
from cases.models import LevelOfNeed
from cases.validators import (
    NHS_NUMBER_MESSAGE,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    postcode_error,  # noqa: F401  (the forms and the API ask rules.postcode_error)
    upn_is_valid,
)
from earlyhelp.wording import term
from partners.models import AgencyKind
from referrals.models import Outcome

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


# --- The triage decision -------------------------------------------------------------------

# The levels of need each outcome is recorded at, on the continuum of need (DESIGN.md). An
# outcome that opens early help stands for its level. Level 4 is the statutory threshold, so
# it is only ever a step up, and a step up is only ever level 4. An added request moves the
# open early help case along the continuum (2 to 3, 3 to 2), so it is at an early help level,
# or at the case's own level 4 when social care has taken the case on (stepped up).
_L = LevelOfNeed
LEVELS_FOR_OUTCOME: dict[str, tuple[int, ...]] = {
    Outcome.NO_FURTHER_ACTION: (_L.UNIVERSAL, _L.UNIVERSAL_PLUS, _L.TARGETED),
    Outcome.SIGNPOSTING: (_L.UNIVERSAL, _L.UNIVERSAL_PLUS, _L.TARGETED),
    Outcome.UNIVERSAL_PLUS: (_L.UNIVERSAL_PLUS,),
    Outcome.TARGETED: (_L.TARGETED,),
    Outcome.STEP_UP: (_L.STATUTORY,),
    Outcome.ADD_TO_OPEN_CASE: (_L.UNIVERSAL_PLUS, _L.TARGETED),
}

# Universal Plus goes to a partner agency working with the family, never to a statutory
# service (children's social care: that is a step up; adult services) nor to a council early
# help team (a team's work is targeted early help, allocated as such).
NOT_UNIVERSAL_PLUS_PARTNERS = frozenset(
    {AgencyKind.SOCIAL_CARE, AgencyKind.ADULT_SERVICES, AgencyKind.EARLY_HELP_TEAM}
)


def _outcome_as_subject(outcome: str) -> str:
    return {
        Outcome.NO_FURTHER_ACTION: "No further action",
        Outcome.SIGNPOSTING: "Information and signposting",
        Outcome.UNIVERSAL_PLUS: "A Universal Plus allocation",
        Outcome.TARGETED: f"A targeted {term('early help')} allocation",
        Outcome.STEP_UP: "A step up to children's social care",
        Outcome.ADD_TO_OPEN_CASE: "A request added to an open case",
    }[outcome]


def _levels_in_words(levels) -> str:
    """'level 2 (Universal Plus)', 'level 2 (Universal Plus) or 3 (Targeted / intensive)'."""
    named = [f"{level} ({LevelOfNeed.label_for(level)})" for level in levels]
    if len(named) == 1:
        return f"level {named[0]}"
    return f"level {', '.join(named[:-1])} or {named[-1]}"


def level_for_outcome_error(
    *, level_of_need: int, outcome: str, case_level: int | None = None
) -> str:
    """Why the outcome cannot be recorded at this level of need (`case_level`: that of the
    open case a request is added to); empty when it can."""
    allowed = LEVELS_FOR_OUTCOME.get(outcome)
    if outcome == Outcome.ADD_TO_OPEN_CASE and case_level == LevelOfNeed.STATUTORY:
        allowed = (*allowed, LevelOfNeed.STATUTORY)
    if allowed is None or int(level_of_need) in allowed:
        return ""
    if len(allowed) > 1 and int(level_of_need) == LevelOfNeed.STATUTORY:
        return (
            f"At {_levels_in_words([LevelOfNeed.STATUTORY])} the outcome must be a step up "
            "to children's social care"
        )
    return f"{_outcome_as_subject(outcome)} must be at {_levels_in_words(allowed)}"


def universal_plus_partner_error(kind: str) -> str:
    """Why an agency of this kind is not a Universal Plus partner; empty when it is."""
    if kind not in NOT_UNIVERSAL_PLUS_PARTNERS:
        return ""
    if kind == AgencyKind.SOCIAL_CARE:
        return (
            "Universal Plus is not allocated to children's social care. Select a partner "
            "agency, or step up to children's social care"
        )
    if kind == AgencyKind.EARLY_HELP_TEAM:
        return (
            f"Universal Plus is not allocated to a council {term('early help')} team. Select "
            f"a partner agency, or allocate targeted {term('early help')} to the team"
        )
    kind_name = AgencyKind(kind).label.lower()
    return f"Universal Plus is not allocated to {kind_name}. Select a partner agency"
