import pytest

from tests import factories


@pytest.fixture
def case(practitioner):
    return factories.open_case(lead=practitioner, consent_agencies=[practitioner.agency])


@pytest.fixture
def child(case):
    return case.children.get()
