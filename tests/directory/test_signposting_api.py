"""Signposting through the REST API (issue 18 point 2): the triage decision, a plan action
and a closure take `signposted_services` (directory service ids, checked as the pages check
them) beside the free text, and return them."""

import datetime

import pytest
from rest_framework.test import APIClient

from assessments import services as casework
from cases.models import ClosureReason
from tests import factories
from tests.conftest import signed_in
from tests.referrals.factories import matched

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def api_as(user):
    return signed_in(APIClient(), user)


def _decide(api, referral, **extra):
    body = {
        "version": referral.version,
        "level_of_need": 1,
        "outcome": "signposting",
        "rationale": "Universal needs only.",
        **extra,
    }
    return api.post(f"/api/v1/triage/{referral.pk}/decide/", body, format="json")


def test_the_front_door_signposts_to_directory_services_through_the_api(
    referrer, district, front_door_officer, listed
):
    here, county, there, closed = listed
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    api = api_as(front_door_officer)
    response = _decide(
        api,
        referral,
        signposted_services=[here.pk, county.pk],
        signposted_to="Grandparents' group at the church",
    )
    assert response.status_code == 200, response.json()
    decision = response.json()["decision"]
    assert sorted(decision["signposted_services"]) == sorted([here.pk, county.pk])
    assert decision["signposted_to"] == "Grandparents' group at the church"
    referral.refresh_from_db()
    assert set(referral.decision.signposted_services.all()) == {here, county}
    shown = api.get(f"/api/v1/referrals/{referral.pk}/").json()["decision"]
    assert sorted(shown["signposted_services"]) == sorted([here.pk, county.pk])


@pytest.mark.parametrize("which", ["unknown", "inactive", "other district"])
def test_services_the_page_would_not_offer_are_a_400_naming_the_field(
    referrer, district, front_door_officer, listed, which
):
    here, county, there, closed = listed
    bad = {"unknown": 999999, "inactive": closed.pk, "other district": there.pk}[which]
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = _decide(api_as(front_door_officer), referral, signposted_services=[here.pk, bad])
    assert response.status_code == 400
    message = " ".join(response.json()["signposted_services"])
    assert str(bad) in message and "Not an active service" in message
    referral.refresh_from_db()
    assert not hasattr(referral, "decision") or referral.decision is None


def test_directory_services_go_with_the_signposting_outcome_only(
    referrer, district, front_door_officer, listed
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = _decide(
        api_as(front_door_officer), referral, outcome="nfa", signposted_services=[listed[0].pk]
    )
    assert response.status_code == 400
    assert "signposted_services" in response.json()


def test_a_plan_action_and_a_closure_take_services_through_the_api(practitioner, school, listed):
    here, county, there, closed = listed
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    plan = casework.plan_create(case=case, acting_user=practitioner)
    outcome = casework.outcome_add(plan=plan, acting_user=practitioner, text="Fewer money worries")
    api = api_as(practitioner)
    action = {
        "outcome": outcome.pk,
        "what": "Call the money advice line together",
        "owner": "family",
        "due_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
    }
    refused = api.post(
        f"/api/v1/plans/{plan.pk}/actions/",
        {**action, "signposted_services": [there.pk]},
        format="json",
    )
    assert refused.status_code == 400 and "signposted_services" in refused.json()
    assert not outcome.actions.exists()

    response = api.post(
        f"/api/v1/plans/{plan.pk}/actions/",
        {**action, "signposted_services": [county.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [shown] = response.json()["outcomes"][0]["actions"]
    assert shown["signposted_services"] == [county.pk]
    assert list(outcome.actions.get().services.all()) == [county]
    listed_plan = api.get(f"/api/v1/plans/{plan.pk}/").json()
    assert listed_plan["outcomes"][0]["actions"][0]["signposted_services"] == [county.pk]

    closure = {
        "case": case.pk,
        "reason": ClosureReason.STEPPED_DOWN,
        "closed_on": TODAY.isoformat(),
        "family_view": "improved",
        "summary": "Also told about the library rhyme time.",
        "outcome_results": [{"outcome": outcome.pk, "result": "achieved"}],
    }
    refused = api.post("/api/v1/closures/", {**closure, "signposted_services": [closed.pk]})
    assert refused.status_code == 400 and "signposted_services" in refused.json()
    case.refresh_from_db()
    assert case.is_open
    response = api.post(
        "/api/v1/closures/", {**closure, "signposted_services": [here.pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["signposted_services"] == [here.pk]
    assert response.json()["summary"] == "Also told about the library rhyme time."
    case.refresh_from_db()
    assert list(case.closure.signposted_services.all()) == [here]


def test_the_schema_documents_signposted_services(practitioner):
    schema = api_as(practitioner).get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for name in ("DecideInput", "ActionInput", "ClosureInput"):
        field = components[name]["properties"]["signposted_services"]
        assert field["type"] == "array" and field["items"]["type"] == "integer", name
    assert "/api/v1/plans/{id}/actions/" in schema["paths"]
    decision = components["TriageDecisionOutput"]["properties"]
    assert decision["signposted_services"]["type"] == "array"


def test_a_closure_names_a_service_not_offered_with_every_closure_rule_at_once(
    practitioner, school, listed
):
    here, county, there, closed = listed
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    plan = casework.plan_create(case=case, acting_user=practitioner)
    outcome = casework.outcome_add(plan=plan, acting_user=practitioner, text="Fewer money worries")
    closure = {
        "case": case.pk,
        "reason": ClosureReason.NEEDS_MET,
        "closed_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        "family_view": "improved",
        "outcome_results": [{"outcome": outcome.pk, "result": "not_achieved"}],
        "signposted_services": [there.pk],
    }
    response = api_as(practitioner).post("/api/v1/closures/", closure, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"signposted_services", "closed_on", "unmet_outcomes_explanation"}
    assert body["closed_on"] == ["The closure date cannot be in the future."]
    assert "Not an active service in the directory" in body["signposted_services"][0]
    # A field the serializer refuses too: still every closure rule and the services at once.
    response = api_as(practitioner).post(
        "/api/v1/closures/", {**closure, "family_view": "meh"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {
        "family_view",
        "signposted_services",
        "closed_on",
        "unmet_outcomes_explanation",
    }
    case.refresh_from_db()
    assert case.status == "open" and not case.closure_requests.exists()
