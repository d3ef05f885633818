"""The API contract of issue 15: ready families (case, needs, progress) and claims
(201 ready, 400 with the reason, 409 already claimed in the period, 404 out of scope)."""

import pytest

from outcomes.models import Claim
from tests import factories
from tests.conftest import signed_in

FAMILIES = "/api/v1/outcomes/families/"
CLAIMS = "/api/v1/outcomes/claims/"


def test_ready_families_list_each_with_case_needs_and_progress(
    client, ready_case, programme_officer, practitioner, district_manager
):
    from tests.outcomes.conftest import worked_case

    working = worked_case(lead=practitioner, manager=district_manager)
    from outcomes import services

    services.needs_from_assessment(case=working, acting_user=practitioner)
    signed_in(client, programme_officer)
    response = client.get(FAMILIES, {"ready": "true"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["case"] for r in results] == [ready_case.pk]
    family = results[0]
    assert family["state"] == "ready"
    assert [n["code"] for n in family["needs"]] == ["education", "housing", "financial_stability"]
    assert {p["status"] for p in family["progress"]} == {"significant"}
    assert all(p["sustained_on"] for p in family["progress"])
    everyone = client.get(FAMILIES).json()["results"]
    assert {r["case"] for r in everyone} == {ready_case.pk, working.pk}


def test_claim_for_a_ready_family_is_created(client, ready_case, programme_officer):
    signed_in(client, programme_officer)
    response = client.post(CLAIMS, {"case": ready_case.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] == ready_case.pk and body["status"] == "prepared"
    assert Claim.objects.get().pk == body["id"]


def test_claim_for_a_family_already_claimed_in_the_period_is_a_conflict(
    client, ready_case, programme_officer
):
    signed_in(client, programme_officer)
    client.post(CLAIMS, {"case": ready_case.pk}, content_type="application/json")
    response = client.post(CLAIMS, {"case": ready_case.pk}, content_type="application/json")
    assert response.status_code == 409
    assert "already has a claim" in response.json()["detail"]
    assert Claim.objects.count() == 1


def test_claim_for_a_family_not_ready_is_refused_with_the_reason(
    client, working_case, programme_officer
):
    signed_in(client, programme_officer)
    response = client.post(CLAIMS, {"case": working_case.pk}, content_type="application/json")
    assert response.status_code == 400
    reasons = response.json()["reasons"]
    assert "Secure housing: progress is ‘Not started’, not significant progress." in reasons
    assert not Claim.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"case": "abc"}])
def test_claim_without_a_case_id_says_what_is_wrong(client, programme_officer, payload):
    signed_in(client, programme_officer)
    response = client.post(CLAIMS, payload, content_type="application/json")
    assert response.status_code == 400
    assert "case" in response.json()


def test_claim_for_a_case_outside_the_programme_and_scope_is_not_found(
    client, programme_officer, practitioner
):
    outside = factories.open_case(lead=practitioner)
    signed_in(client, programme_officer)
    assert (
        client.post(CLAIMS, {"case": outside.pk}, content_type="application/json").status_code
        == 404
    )
    assert client.post(CLAIMS, {"case": 999999}, content_type="application/json").status_code == 404


def test_claim_for_a_restricted_family_is_not_listed_or_claimable(
    client, ready_case, programme_officer
):
    ready_case.family.restricted = True
    ready_case.family.save()
    signed_in(client, programme_officer)
    assert client.get(FAMILIES, {"ready": "true"}).json()["results"] == []
    response = client.post(CLAIMS, {"case": ready_case.pk}, content_type="application/json")
    assert response.status_code in (403, 404)
    assert not Claim.objects.exists()
