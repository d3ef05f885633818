import pytest

from tests import factories


@pytest.fixture
def case(practitioner):
    """An open case led by the Amberford practitioner, with a parent and one child."""
    return factories.open_case(lead=practitioner, consent_agencies=[practitioner.agency])


@pytest.fixture
def child(case):
    return case.children.get()


@pytest.fixture
def family(case):
    return case.family
