"""Input with several wrong fields is answered with every one of them at once, each with its
own message (the page's words where the page has them), and nothing is saved: a client
fixes its request in one go instead of finding the next mistake on each try. Closure codes
are listed in the schema, as the service takes them."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.models import MeetingStatus, PlanAction
from cases.models import MAX_TEXT, CaseStatus, ClosureReason, EarlyHelpCase, FamilyView
from cases.validators import NHS_NUMBER_MESSAGE
from tests import factories
from tests.cases.factories import waiting_case
from tests.cases.test_api_dates import planned_case  # noqa: F401 (a fixture)
from tests.cases.test_partner_start import body as start_body
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def api_as(user) -> APIClient:
    return signed_in(APIClient(), user)


def test_a_person_with_a_far_future_birth_and_a_bad_nhs_number_hears_of_both(practitioner, child):
    response = api_as(practitioner).patch(
        f"/api/v1/people/{child.pk}/",
        {"lock_version": 1, "date_of_birth": "2999-01-01", "nhs_number": "9434765918"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "date_of_birth": ["Date of birth must be between 1900 and 2099"],
        "nhs_number": [NHS_NUMBER_MESSAGE],
    }
    child.refresh_from_db()
    assert (child.nhs_number, child.lock_version) == (None, 1)


def test_a_person_with_a_wrong_lock_version_and_an_empty_first_name_hears_of_both(
    practitioner, child
):
    response = api_as(practitioner).patch(
        f"/api/v1/people/{child.pk}/",
        {"lock_version": "first", "first_name": " ", "gender": "not-a-code"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "lock_version": ["Lock version must be a whole number"],
        "gender": ["Choose the gender from the list"],
        "first_name": ["Enter the first name"],
    }


def test_a_household_with_a_wrong_lock_version_and_bad_fields_hears_of_every_one(
    practitioner, family
):
    response = api_as(practitioner).patch(
        f"/api/v1/families/{family.pk}/",
        {"lock_version": "first", "postcode": "nowhere", "town": "", "name": "", "district": "x"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"lock_version", "postcode", "town", "name", "district"}
    assert body["town"] == ["Enter the town or city"]
    assert body["name"] == ["Enter the household name"]
    assert body["district"] == ["Choose a district in the authority's area"]
    family.refresh_from_db()
    assert family.lock_version == 1


def test_starting_early_help_in_a_district_one_does_not_work_in_names_it_with_the_rest(
    school, district
):
    dsl = factories.UserFactory(full_name="Dee Safeguard", agency=school, districts=[district])
    elsewhere = factories.DistrictFactory(code="elsewhere", name="Elsewhere")
    data = start_body(elsewhere, postcode="not a postcode", reason="")
    response = api_as(dsl).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["district"] == ["Choose one of the districts you work in."]
    assert set(body) == {"district", "postcode", "reason"}
    assert not EarlyHelpCase.objects.exists()


def test_a_plan_action_for_an_unknown_outcome_and_owner_names_both(
    practitioner,
    planned_case,  # noqa: F811
):
    response = api_as(practitioner).post(
        f"/api/v1/plans/{planned_case.plan.pk}/actions/",
        {"outcome": 999999, "what": "", "owner": "999999", "due_on": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "outcome": ["Not an outcome of this plan"],
        "what": ["Enter the action"],
        "owner": ['Give "family" or the id of a current member of the TAF'],
        "due_on": ["Date it is due by must be between 1900 and 2099"],
    }
    assert not PlanAction.objects.exists()


def test_a_meeting_record_names_every_unknown_attendee_and_outcome(
    practitioner,
    planned_case,  # noqa: F811
):
    mum = planned_case.family.memberships.exclude(person__in=planned_case.children.all()).first()
    response = api_as(practitioner).post(
        f"/api/v1/reviews/{planned_case.meeting.pk}/record/",
        {
            "held_on": TODAY.isoformat(),
            "decision": "continue",
            "attendance": [
                {"member_id": 999998, "attendance": "present"},
                {"person_id": mum.person_id, "attendance": "present"},
                {"person_id": 999999, "attendance": "present"},
            ],
            "progress": [{"outcome_id": 999997, "scaling": 5}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "attendance": {
            "0": {"member_id": ["Unknown member_id 999998."]},
            "2": {"person_id": ["Unknown person_id 999999."]},
        },
        "progress": {"0": {"outcome_id": ["Unknown outcome_id 999997."]}},
    }
    planned_case.meeting.refresh_from_db()
    assert planned_case.meeting.status == MeetingStatus.SCHEDULED


def test_a_closure_with_codes_it_does_not_know_names_each_in_the_services_words(practitioner, case):
    response = api_as(practitioner).post(
        "/api/v1/closures/",
        {"case": case.pk, "reason": "fed_up", "closed_on": "2999-01-01", "family_view": "meh"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "reason": ["Choose the reason for closing the case."],
        "closed_on": ["Closure date must be between 1900 and 2099"],
        "family_view": ["Say whether the family feels family life has improved."],
    }
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_closure_the_services_rules_refuse_is_named_by_its_field(practitioner, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_as(practitioner).post(
        "/api/v1/closures/",
        {
            "case": case.pk,
            "reason": ClosureReason.NEEDS_MET,
            "closed_on": tomorrow.isoformat(),
            "family_view": FamilyView.IMPROVED,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"closed_on": ["The closure date cannot be in the future."]}
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_schema_lists_the_closure_codes_the_api_takes(practitioner):
    schema = api_as(practitioner).get("/api/schema/?format=json").json()
    schemas = schema["components"]["schemas"]
    closure = schemas["ClosureInput"]["properties"]

    def codes(prop):
        return schemas[prop["$ref"].split("/")[-1]]["enum"]

    assert codes(closure["reason"]) == ClosureReason.values
    assert codes(closure["family_view"]) == FamilyView.values
    disabilities = schemas["PatchedPersonPatchInput"]["properties"]["disabilities"]
    assert (
        disabilities["type"] == "array"
        and "enum" in schemas[disabilities["items"]["$ref"].split("/")[-1]]
    )
    # The referral closure's reasons keep their name beside the case closure's.
    assert schemas["ReasonEnum"]["enum"] != schemas["ClosureReasonEnum"]["enum"]


def test_every_closure_reason_and_view_is_still_taken(practitioner):
    """Each code the schema lists closes a case (as the service took it before)."""
    for reason, view in zip(ClosureReason.values, FamilyView.values * 3, strict=False):
        case = factories.open_case(lead=practitioner, opened_on=TODAY - datetime.timedelta(days=30))
        assessment_services.plan_create(case=case, acting_user=practitioner)
        response = api_as(practitioner).post(
            "/api/v1/closures/",
            {"case": case.pk, "reason": reason, "closed_on": TODAY.isoformat()}
            | {"family_view": view},
            format="json",
        )
        refused = response.json() if response.status_code == 400 else {}
        assert response.status_code in (201, 400), response.content
        assert "reason" not in refused and "family_view" not in refused, refused


def test_an_allocation_to_nobody_with_too_long_a_note_names_both(district_manager, eh_team):
    waiting = waiting_case(team=eh_team, queued_by=district_manager)
    response = api_as(district_manager).post(
        f"/api/v1/cases/{waiting.pk}/allocate/",
        {"lead_professional": 999999, "note": "x" * (MAX_TEXT + 1)},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"lead_professional", "note"}
    assert body["lead_professional"] == ["Choose a person who works for the allocated team."]
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.AWAITING_ALLOCATION


def test_a_plan_action_with_a_service_not_listed_names_it_with_the_rest(
    practitioner,
    planned_case,  # noqa: F811
):
    response = api_as(practitioner).post(
        f"/api/v1/plans/{planned_case.plan.pk}/actions/",
        {
            "outcome": planned_case.outcome.pk,
            "what": "",
            "owner": "family",
            "due_on": TODAY.isoformat(),
            "signposted_services": [999999],
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"what", "signposted_services"}
    assert "Not an active service in the directory" in body["signposted_services"][0]
