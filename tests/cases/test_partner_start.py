"""Early help started by a partner (issue 12, point 2): no duplicate people, consent first,
the starter leads, and the district's front door and managers are told."""

import datetime

import pytest
from rest_framework.test import APIClient

from cases.models import CaseOrigin, EarlyHelpCase, Person
from earlyhelp.models import Notification
from partners.models import Role
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl(school, district):
    return factories.UserFactory(full_name="Dee Safeguard", agency=school, districts=[district])


def body(district, **overrides):
    data = {
        "district": district.code,
        "address_line_1": "4 Mill Lane",
        "town": "Amberford",
        "postcode": "ZZ1 4AB",
        "people": [
            {
                "first_name": "Lily",
                "last_name": "Marsh",
                "date_of_birth": "2017-03-02",
                "relationship": "child",
            },
            {
                "first_name": "Dawn",
                "last_name": "Marsh",
                "date_of_birth": "1990-02-03",
                "relationship": "parent",
            },
        ],
        "consent": {
            "given_by": 1,
            "given_on": datetime.date.today().isoformat(),
            "method": "in_person",
        },
        "level_of_need": 2,
        "reason": "Lily is late most days; mum asked us for help.",
    }
    data.update(overrides)
    return data


def test_a_school_starts_early_help_and_leads_it(
    dsl, district, front_door_officer, district_manager
):
    known = factories.PersonFactory(
        first_name="Lily", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    response = signed_in(APIClient(), dsl).post("/api/v1/cases/", body(district), format="json")
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert payload["status"] == "open" and payload["lead_professional"] == dsl.pk
    assert payload["origin"] == CaseOrigin.PARTNER
    assert Person.objects.filter(first_name="Lily", last_name="Marsh").count() == 1
    assert known.pk in payload["children"]
    assert Notification.objects.filter(
        user=front_door_officer, subject__contains="started"
    ).exists()
    assert Notification.objects.filter(user=district_manager, subject__contains="started").exists()
    case = EarlyHelpCase.objects.get(pk=payload["id"])
    assert case.consents.get().given_by.first_name == "Dawn"


def test_no_child_or_wrong_level_gets_a_field_message(dsl, district):
    api = signed_in(APIClient(), dsl)
    adults_only = body(district)
    adults_only["people"] = adults_only["people"][1:]
    adults_only["consent"]["given_by"] = 0
    response = api.post("/api/v1/cases/", adults_only, format="json")
    assert response.status_code == 400 and "people" in response.json()
    response = api.post("/api/v1/cases/", body(district, level_of_need=4), format="json")
    assert response.status_code == 400 and "level_of_need" in response.json()


def test_front_door_and_social_care_cannot_start_early_help(front_door_officer, district):
    response = signed_in(APIClient(), front_door_officer).post(
        "/api/v1/cases/", body(district), format="json"
    )
    assert response.status_code == 403


def test_a_family_with_an_open_case_is_not_opened_twice(dsl, district):
    api = signed_in(APIClient(), dsl)
    assert api.post("/api/v1/cases/", body(district), format="json").status_code == 201
    again = api.post("/api/v1/cases/", body(district), format="json")
    assert again.status_code == 400 and "already has an open early help case" in str(again.json())


def test_only_team_managers_of_the_district_are_told(dsl, district, other_district):
    elsewhere = factories.UserFactory(role=Role.FRONT_DOOR, districts=[other_district])
    signed_in(APIClient(), dsl).post("/api/v1/cases/", body(district), format="json")
    assert not Notification.objects.filter(user=elsewhere).exists()
