"""Identifier rules (issue 13): NHS number modulus 11 and no all-one-digit numbers, the UPN
check letter, UK postcodes including GIR 0AA, and names in any script kept as typed."""

import pytest
from django.core.exceptions import ValidationError

from cases.validators import (
    nhs_number_is_valid,
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)


def test_a_real_shaped_nhs_number_passes_the_check_digit():
    assert nhs_number_is_valid("9434765919")


@pytest.mark.parametrize("value", ["9434765918", "0000000000", "1111111111", "9999999999"])
def test_wrong_check_digit_and_all_one_digit_numbers_are_not_valid_nhs_numbers(value):
    with pytest.raises(ValidationError, match="not a valid NHS number"):
        validate_nhs_number(value)


def test_the_nhs_message_does_not_blame_the_length_when_ten_digits_were_typed():
    with pytest.raises(ValidationError) as caught:
        validate_nhs_number("0000000000")
    assert "not a valid NHS number" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["P801200120002", "p801200120002"])
def test_a_upn_with_the_right_check_letter_is_accepted(value):
    validate_upn(value.upper())


def test_a_upn_with_the_wrong_check_letter_is_refused():
    with pytest.raises(ValidationError, match="unique pupil number"):
        validate_upn("Q801200120002")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("gir0aa", "GIR 0AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("  sw1a   2aa ", "SW1A 2AA"),
        ("la11aa", "LA1 1AA"),
        ("m11ae", "M1 1AE"),
        ("ec1a 1bb", "EC1A 1BB"),
    ],
)
def test_uk_postcodes_including_gir_0aa_are_accepted_upper_case_with_one_space(typed, stored):
    assert normalise_postcode(typed) == stored
    validate_postcode(typed)


@pytest.mark.parametrize("value", ["NOT A CODE", "12345", "LA1", "GIR 1AA", "LA1 1A1", "1LA 1AA"])
def test_badly_formed_postcodes_are_refused(value):
    with pytest.raises(ValidationError, match="real UK postcode"):
        validate_postcode(value)
