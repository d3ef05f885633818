"""Format checks for national identifiers, so a typo is caught at the form, not in a report."""

import re

from django.core.exceptions import ValidationError

_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


NHS_NUMBER_MESSAGE = (
    "This is not a valid NHS number. Enter a valid NHS number: 10 digits with the right "
    "check digit, like 943 476 5919"
)


def nhs_number_is_valid(value: str) -> bool:
    """NHS numbers are ten digits whose last is a modulus 11 check digit (NHS Data
    Dictionary). A number of one repeated digit (0000000000, 1111111111) can pass the check
    but is never issued, so it is refused too."""
    if not re.fullmatch(r"\d{10}", value):
        return False
    if len(set(value)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError(NHS_NUMBER_MESSAGE, code="invalid_nhs_number")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def upn_is_valid(value: str) -> bool:
    """DfE Unique Pupil Number: a check letter, 3-digit LA, 4-digit school, 4 more digits,
    then a digit or letter. The check letter is the weighted sum of characters 2-13 mod 23."""
    value = value.upper()
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", value):
        return False
    total = 0
    for weight, char in zip(range(2, 14), value[1:], strict=True):
        digit = (
            int(char)
            if char.isdigit()
            else _UPN_CHECK_LETTERS.index(char)
            if char in (_UPN_CHECK_LETTERS)
            else -1
        )
        if digit < 0:
            return False
        total += digit * weight
    return value[0] == _UPN_CHECK_LETTERS[total % 23]


def validate_upn(value: str) -> None:
    if not upn_is_valid(value):
        raise ValidationError(
            "Enter a valid unique pupil number: a letter then 12 characters, like P801200120002",
            code="invalid_upn",
        )


# The UK shape (outward code, one space, inward code), plus GIR 0AA, the one postcode that
# breaks the pattern (Girobank, Bootle).
# The fields of a family's address, in the order a letter is addressed.
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")

_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|GIR 0AA)$")


def normalise_postcode(value: str) -> str:
    """Upper case with exactly one space before the last three characters."""
    value = re.sub(r"\s+", "", (value or "").upper())
    return f"{value[:-3]} {value[-3:]}" if len(value) > 3 else value


def validate_postcode(value: str) -> None:
    if not _POSTCODE.match(normalise_postcode(value)):
        raise ValidationError(
            "Enter a real UK postcode in the right format, like LA1 1AA", code="invalid_postcode"
        )


def postcode_error(value: str) -> str | None:
    """The message for a postcode that is not a real UK one; None when it is."""
    try:
        validate_postcode(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None
