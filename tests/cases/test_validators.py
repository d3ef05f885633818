import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cases.validators import (
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from tests.factories import PersonFactory


@pytest.mark.parametrize("value", ["9434765919", "4010232137"])
def test_valid_nhs_numbers_pass(value):
    validate_nhs_number(value)


@pytest.mark.parametrize("value", ["9434765918", "943476591", "94347659190", "ABCDEFGHIJ", ""])
def test_malformed_nhs_numbers_are_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError, match="valid NHS number"):
        validate_nhs_number(value)


def test_upn_check_letter_is_verified():
    validate_upn("P801200120002")
    with pytest.raises(ValidationError, match="unique pupil number"):
        validate_upn("A801200120002")


def test_postcodes_are_normalised_and_checked():
    assert normalise_postcode("la11aa") == "LA1 1AA"
    validate_postcode("sw1a 2aa")
    with pytest.raises(ValidationError):
        validate_postcode("NOT A CODE")


@pytest.mark.django_db
def test_database_refuses_a_person_with_neither_birth_nor_expected_date():
    with pytest.raises(IntegrityError):
        PersonFactory(date_of_birth=None, expected_date=None)


@pytest.mark.django_db
def test_database_refuses_a_malformed_nhs_number():
    with pytest.raises(IntegrityError):
        PersonFactory(nhs_number="12345")
