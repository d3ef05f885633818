"""The primary navigation is built from the door rules: each role sees the links to the
pages it may open, and every link it sees opens."""

import pytest
from django.urls import reverse

from partners.models import Role
from tests import factories
from tests.conftest import signed_in

EXPECTED_LINKS = {
    Role.PRACTITIONER: [
        "My cases",
        "Request support",
        "Start early help",
        "My requests",
        "Services directory",
        "Quality feedback",
    ],
    Role.FRONT_DOOR: [
        "Triage queue",
        "Cases",
        "Request support",
        "My requests",
        "Find a person",
        "Services directory",
        "Quality feedback",
    ],
    Role.TEAM_MANAGER: [
        "Cases",
        "Allocation",
        "Sign-off",
        "Closures",
        "Request support",
        "Start early help",
        "My requests",
        "Find a person",
        "Services directory",
        "Dashboard",
        "Overdue",
        "Indicators",
        "Family outcomes",
        "Hub reach",
        "Signposting",
        "Retention",
        "Consultation log",
        "Quality feedback",
    ],
    Role.CONSULTANT: [
        "Cases",
        "Request support",
        "My requests",
        "Find a person",
        "Services directory",
        "Indicators",
        "Family outcomes",
        "Hub reach",
        "Signposting",
        "Quality audits",
        "Consultation log",
        "Quality feedback",
    ],
    Role.STRATEGIC: [
        "Services directory",
        "Indicators",
        "Family outcomes",
        "Hub reach",
        "Signposting",
    ],
    Role.ADMINISTRATOR: [
        "Services directory",
        "Indicators",
        "Family outcomes",
        "Hub reach",
        "Signposting",
        "Outcomes plan",
        "Administration",
        "Education events",
        "Break glass",
        "Audit trail",
    ],
}


def _user(role):
    district = factories.DistrictFactory()
    agency = None if role == Role.ADMINISTRATOR else factories.EarlyHelpTeamFactory()
    return factories.UserFactory(
        role=role,
        agency=agency,
        districts=[] if agency is None else [district],
        is_staff=role == Role.ADMINISTRATOR,
    )


def _navigation(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["nav_links"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED_LINKS))
def test_each_role_sees_links_to_the_pages_its_doors_open(client, role):
    signed_in(client, _user(role))
    assert [link["label"] for link in _navigation(client)] == EXPECTED_LINKS[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED_LINKS))
def test_every_link_a_role_sees_opens_for_it(client, role):
    signed_in(client, _user(role))
    for link in _navigation(client):
        response = client.get(link["url"])
        assert response.status_code in (200, 302), (link, response.status_code)
        if response.status_code == 302:  # the admin index redirects only to sign in
            assert "login" not in response["Location"], link
