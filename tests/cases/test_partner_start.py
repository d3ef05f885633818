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


# --- The page ---------------------------------------------------------------------------


def form_data(district, **overrides):
    data = {
        "child_first_name": "Lily",
        "child_last_name": "Marsh",
        "child_date_of_birth": "2017-03-02",
        "parent_first_name": "Dawn",
        "parent_last_name": "Marsh",
        "parent_date_of_birth": "1990-02-03",
        "address_line_1": "4 Mill Lane",
        "town": "Amberford",
        "postcode": "zz1 4ab",
        "district": district.pk,
        "consent_given_by": "parent",
        "consent_given_on": datetime.date.today().isoformat(),
        "consent_method": "in_person",
        "level_of_need": 2,
        "reason": "Lily is late most days; mum asked the school for help.",
    }
    data.update(overrides)
    return data


def test_a_school_starts_early_help_from_the_page_and_leads_it(
    client, dsl, district, front_door_officer, district_manager, django_assert_max_num_queries
):
    from django.urls import reverse

    signed_in(client, dsl)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("start_early_help"))
    assert page.status_code == 200 and "Start early help" in page.content.decode()
    response = client.post(reverse("start_early_help"), form_data(district))
    case = EarlyHelpCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    assert case.lead_professional == dsl and case.origin == CaseOrigin.PARTNER
    assert case.consents.get().given_by.first_name == "Dawn"
    assert [c.first_name for c in case.children.all()] == ["Lily"]
    for told in (front_door_officer, district_manager):
        assert Notification.objects.filter(user=told, subject__contains=case.reference).exists()
    nav = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Start early help" in nav  # the navigation links the page for those it admits


def test_someone_already_known_is_offered_as_a_match_and_never_copied(client, dsl, district):
    from django.urls import reverse

    known = factories.PersonFactory(
        first_name="Lilly", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    signed_in(client, dsl)
    first = client.post(reverse("start_early_help"), form_data(district))
    html = first.content.decode()
    assert first.status_code == 200 and "Check whether they are already known" in html
    assert "Lilly Marsh" in html and 'value="Lily"' in html  # what was typed is kept
    assert not EarlyHelpCase.objects.exists()
    second = client.post(
        reverse("start_early_help"),
        form_data(district, matches_shown="1", match_child=str(known.pk)),
    )
    assert second.status_code == 302
    case = EarlyHelpCase.objects.get()
    assert list(case.children.all()) == [known]
    assert Person.objects.filter(last_name="Marsh").count() == 2  # Lilly and Dawn


def test_a_match_must_be_chosen_once_shown(client, dsl, district):
    from django.urls import reverse

    factories.PersonFactory(
        first_name="Lilly", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    response = signed_in(client, dsl).post(
        reverse("start_early_help"), form_data(district, matches_shown="1")
    )
    assert response.status_code == 400 and "Choose who Lily Marsh is" in response.content.decode()
    assert not EarlyHelpCase.objects.exists()


def test_missing_details_get_a_message_beside_the_field_and_keep_what_was_typed(
    client, dsl, district
):
    from django.urls import reverse

    response = signed_in(client, dsl).post(
        reverse("start_early_help"),
        form_data(district, parent_last_name="", child2_first_name="Tom"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the parent or carer&#x27;s last name" in html
    assert "Enter the other child&#x27;s date of birth, or leave all three empty" in html
    assert "Lily is late most days" in html
    assert not EarlyHelpCase.objects.exists()


def test_the_front_door_and_social_care_cannot_open_the_page(client, front_door_officer, district):
    from django.urls import reverse

    from tests.cases.factories import social_care_worker

    for user in (front_door_officer, social_care_worker(district)):
        assert signed_in(client, user).get(reverse("start_early_help")).status_code == 403


def test_the_api_asks_to_choose_between_possible_matches_as_the_front_door_does(dsl, district):
    known = factories.PersonFactory(
        first_name="Lilly", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    api = signed_in(APIClient(), dsl)
    response = api.post("/api/v1/cases/", body(district), format="json")
    assert response.status_code == 400 and str(known.pk) in str(response.json()["people"])
    chosen = body(district)
    chosen["people"][0]["person_id"] = known.pk
    response = api.post("/api/v1/cases/", chosen, format="json")
    assert response.status_code == 201 and response.json()["children"] == [known.pk]


# --- Hostile input ------------------------------------------------------------------------


def test_the_same_child_typed_twice_gets_a_message_not_a_server_error(client, dsl, district):
    """Typing the child again as 'another child' used to end in 'problem with the service'
    (the family was given the same member twice) and lost the whole form."""
    from django.urls import reverse

    response = signed_in(client, dsl).post(
        reverse("start_early_help"),
        form_data(
            district,
            child2_first_name="lily",
            child2_last_name="Marsh ",
            child2_date_of_birth="2017-03-02",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "lily Marsh is entered twice" in html
    assert "Lily is late most days" in html
    assert not EarlyHelpCase.objects.exists()


def test_the_api_refuses_the_same_person_twice(dsl, district):
    data = body(district)
    data["people"].append(dict(data["people"][0]))
    response = signed_in(APIClient(), dsl).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    assert "Lily Marsh is entered twice" in str(response.json()["people"])
    assert not EarlyHelpCase.objects.exists()


@pytest.mark.parametrize("postcode", ["31/02/2026", "NOT A PC", "ZZ1 4AB XX"])
def test_a_postcode_that_is_not_one_gets_a_message_on_the_page(client, dsl, district, postcode):
    """A ten-character non-postcode used to give 'problem with the service' (one space more
    than the column holds); any other text was kept as the family's postcode."""
    from django.urls import reverse

    response = signed_in(client, dsl).post(
        reverse("start_early_help"), form_data(district, postcode=postcode)
    )
    assert response.status_code == 400
    assert "Enter a real UK postcode" in response.content.decode()
    assert not EarlyHelpCase.objects.exists()


def test_the_api_refuses_a_postcode_that_is_not_one(dsl, district):
    response = signed_in(APIClient(), dsl).post(
        "/api/v1/cases/", body(district, postcode="31/02/2026"), format="json"
    )
    assert response.status_code == 400 and "Enter a real UK postcode" in str(response.json())


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("9999-12-31", "Date of birth must be today or in the past"),
        ("0001-01-01", "Date of birth must be a real date in the last 120 years"),
    ],
)
def test_a_date_of_birth_after_today_or_in_year_one_is_refused(
    client, dsl, district, born, message
):
    """A child born on 31/12/9999 (or in year 1) started early help as typed, on the page and
    through the API; a person's own record refuses both."""
    from django.urls import reverse

    response = signed_in(client, dsl).post(
        reverse("start_early_help"), form_data(district, child_date_of_birth=born)
    )
    assert response.status_code == 400 and message in response.content.decode()
    data = body(district)
    data["people"][0]["date_of_birth"] = born
    answer = signed_in(APIClient(), dsl).post("/api/v1/cases/", data, format="json")
    assert answer.status_code == 400 and message in str(answer.json()["people"])
    assert not EarlyHelpCase.objects.exists()


def test_the_service_adds_someone_entered_twice_to_the_family_once(dsl, district):
    """The pages and the API refuse the same person twice; the service itself joins them to
    the family once rather than failing on the second membership."""
    from cases import services

    known = factories.PersonFactory(
        first_name="Lily", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    data = body(district)
    lily = {**data["people"][0], "date_of_birth": datetime.date(2017, 3, 2)}
    dawn = {**data["people"][1], "date_of_birth": datetime.date(1990, 2, 3)}
    case = services.case_start_by_partner(
        acting_user=dsl,
        district=district,
        address_line_1="4 Mill Lane",
        town="Amberford",
        postcode="ZZ1 4AB",
        people=[lily, dict(lily), dawn],
        consent={"given_by": 2, "given_on": datetime.date.today(), "method": "in_person"},
        level_of_need=2,
        reason="Lily is late most days; mum asked us for help.",
    )
    assert case.family.memberships.filter(person=known).count() == 1
    assert list(case.children.all()) == [known]
