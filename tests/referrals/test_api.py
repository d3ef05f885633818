import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Referral, ReferralStatus
from tests import factories
from tests.conftest import signed_in
from tests.referrals.factories import matched, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def payload(district, **overrides):
    body = {
        "referrer": {"name": "Nurse Ada", "role": "School nurse", "source": "3C"},
        "household": {
            "district": district.code,
            "address_line_1": "9 Canal Side",
            "town": "Amberford",
            "postcode": "zz1 9xy",
        },
        "people": [
            {
                "first_name": "Noah",
                "last_name": "Lomax",
                "relationship": "child",
                "date_of_birth": "2019-04-02",
                "nhs_number": "943 476 5919",
            },
            {"first_name": "Erin", "last_name": "Lomax", "relationship": "parent"},
        ],
        "worries": "Noah's speech is delayed; Erin is isolated.",
        "needs": [{"framework": "supporting_families", "code": "early_years"}],
        "family_consent": "consented",
        "urgency": "routine",
        "significant_harm": False,
    }
    body.update(overrides)
    return body


def test_partner_system_sends_a_request_through_the_api(api, referrer, district):
    signed_in(api, referrer)
    response = api.post("/api/v1/referrals/", payload(district), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["channel"] == "api"
    referral = Referral.objects.get()
    assert referral.people.get(first_name="Noah").nhs_number == "9434765919"
    assert referral.needs.get().code == "early_years"


@pytest.mark.parametrize(
    "change, field",
    [
        (
            {
                "people": [
                    {
                        "first_name": "A",
                        "last_name": "B",
                        "relationship": "child",
                        "date_of_birth": "2099-01-01",
                    }
                ]
            },
            "people",
        ),
        (
            {
                "people": [
                    {
                        "first_name": "A",
                        "last_name": "B",
                        "relationship": "child",
                        "date_of_birth": "1980-01-01",
                    }
                ]
            },
            "people",
        ),
        (
            {
                "people": [
                    {
                        "first_name": "A",
                        "last_name": "B",
                        "relationship": "child",
                        "date_of_birth": "2019-01-01",
                        "nhs_number": "12345",
                    }
                ]
            },
            "people",
        ),
        ({"people": []}, "people"),
        ({"worries": ""}, "worries"),
        ({"worries": "x" * 102_400}, "worries"),
        ({"family_consent": "not_aware"}, "no_consent_reason"),
        ({"needs": [{"framework": "x", "code": "y"}]}, "needs"),
    ],
)
def test_bad_api_input_is_a_400_with_the_field(api, referrer, district, change, field):
    signed_in(api, referrer)
    response = api.post("/api/v1/referrals/", payload(district, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Referral.objects.exists()


def test_front_door_triages_through_the_api(api, referrer, district, front_door_officer, eh_team):
    referral = submitted(by=referrer, district=district)
    signed_in(api, front_door_officer)
    queue = api.get("/api/v1/triage/").json()
    assert [r["reference"] for r in queue["results"]] == [referral.reference]
    picked = api.post(f"/api/v1/triage/{referral.pk}/pick-up/").json()
    assert picked["status"] == "in_triage"
    assert api.get(f"/api/v1/triage/{referral.pk}/match/").status_code == 200
    links = [{"referral_person": p.pk, "person": None} for p in referral.people.all()]
    matched_body = api.post(
        f"/api/v1/triage/{referral.pk}/match/", {"links": links, "family": None}, format="json"
    ).json()
    response = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": matched_body["version"],
            "level_of_need": 3,
            "outcome": "targeted",
            "allocated_agency": eh_team.pk,
            "rationale": "Several needs.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decision"]["outcome"] == "targeted"
    assert response.json()["decision"]["case"].startswith("EH-")


@override_settings(LEVEL_OF_NEED_LABELS={2: "Getting help", 3: "Getting more help"})
def test_the_decision_api_names_the_level_in_the_authoritys_words_as_the_page_does(
    api, client, referrer, district, front_door_officer, eh_team
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    signed_in(api, front_door_officer)
    decided = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": referral.version,
            "level_of_need": 3,
            "outcome": "targeted",
            "allocated_agency": eh_team.pk,
            "rationale": "Several needs.",
        },
        format="json",
    ).json()["decision"]
    assert (decided["level_of_need"], decided["level_label"]) == (3, "Getting more help")
    read = api.get(f"/api/v1/referrals/{referral.pk}/").json()["decision"]
    assert read["level_label"] == "Getting more help"
    page = signed_in(client, front_door_officer).get(reverse("referral_detail", args=[referral.pk]))
    assert "Getting more help" in page.content.decode()
    assert "Targeted / intensive" not in page.content.decode()


def test_a_stale_version_is_refused_by_the_api(api, referrer, district, front_door_officer):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    signed_in(api, front_door_officer)
    response = api.post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {"version": referral.version - 1, "level_of_need": 1, "outcome": "nfa", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 409
    assert "changed this request" in response.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE


def test_a_practitioner_cannot_use_the_triage_api(api, referrer, district):
    referral = submitted(by=referrer, district=district)
    signed_in(api, referrer)
    assert api.get("/api/v1/triage/").status_code == 403
    assert api.post(f"/api/v1/triage/{referral.pk}/pick-up/").status_code == 403


def test_officer_of_another_district_gets_404(api, referrer, district, far_front_door_officer):
    referral = submitted(by=referrer, district=district)
    signed_in(api, far_front_door_officer)
    assert api.post(f"/api/v1/triage/{referral.pk}/pick-up/").status_code == 404
    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_referrer_withdraws_through_the_api(api, referrer, district):
    referral = submitted(by=referrer, district=district)
    signed_in(api, referrer)
    response = api.post(
        f"/api/v1/referrals/{referral.pk}/close/",
        {"reason": "withdrawn", "note": "Family declined."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_a_duplicate_of_a_request_the_caller_cannot_see_is_refused_next_to_the_field(
    api, referrer, district
):
    referral = submitted(by=referrer, district=district)
    colleague = factories.UserFactory(
        role=referrer.role, agency=referrer.agency, districts=[district]
    )
    hidden = submitted(by=colleague, district=district)  # a referrer sees only their own
    signed_in(api, referrer)
    for duplicate_of in (hidden.pk, 987654):
        response = api.post(
            f"/api/v1/referrals/{referral.pk}/close/",
            {"reason": "duplicate", "note": "Sent twice.", "duplicate_of": duplicate_of},
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {
            "duplicate_of": ["There is no request with that reference you can see"]
        }
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.CLOSED


def test_openapi_schema_generates(api, referrer):
    signed_in(api, referrer)
    response = api.get(reverse("api_schema"))
    assert response.status_code == 200
    assert b"/api/v1/triage/{id}/decide/" in response.content


def test_the_request_list_output_is_drf_s_own_field_for_field(
    api, referrer, front_door_officer, district
):
    """ReferralOutput reads plain columns straight off the request (earlyhelp.api.PlainColumns)
    and one decision serializer serves a whole list: what the list writes is what DRF's
    ModelSerializer and a serializer per decision write, key for key."""
    from rest_framework import serializers

    from referrals.api import ReferralOutput
    from referrals.models import Outcome
    from tests.referrals.factories import decided

    waiting = submitted(by=referrer, district=district)
    closed = decided(
        matched(by=referrer, officer=front_door_officer, district=district),
        officer=front_door_officer,
        outcome=Outcome.NO_FURTHER_ACTION,
    )
    signed_in(api, front_door_officer)
    listed = {row["id"]: row for row in api.get("/api/v1/referrals/").json()["results"]}
    for referral in (waiting, closed):
        serializer = ReferralOutput()
        drf = serializers.ModelSerializer.to_representation(serializer, referral)
        decision = getattr(referral, "decision", None)
        drf["decision"] = ReferralOutput.TriageDecisionOutput(decision).data if decision else None
        plain = serializer.to_representation(referral)
        assert plain == drf and list(plain) == list(drf)
        assert listed[referral.pk] == drf
    assert listed[closed.pk]["decision"]["outcome"] == Outcome.NO_FURTHER_ACTION


def _schema(api, user):
    signed_in(api, user)
    return api.get(reverse("api_schema") + "?format=json").json()


def test_the_schema_says_what_the_triage_endpoints_send(api, front_door_officer):
    """The schema showed the queue as cursor pages (no count), the matches as a page of
    candidates and the match POST as answering with candidates; a client built from it
    could not read what the API sends: a numbered page with a count, a plain list, the
    request."""
    schema = _schema(api, front_door_officer)
    components = schema["components"]["schemas"]

    def response(path, method):
        return schema["paths"][path][method]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]

    queue = components[response("/api/v1/triage/", "get")["$ref"].split("/")[-1]]
    assert {"count", "next", "previous", "results"} == set(queue["properties"])
    assert queue["properties"]["results"]["items"]["$ref"].endswith("/ReferralOutput")
    matches = response("/api/v1/triage/{id}/match/", "get")
    assert matches["type"] == "array" and matches["items"]["$ref"].endswith("/CandidateOutput")
    assert response("/api/v1/triage/{id}/match/", "post")["$ref"].endswith("/ReferralOutput")


def test_the_schema_says_which_request_fields_may_be_null(
    api, referrer, district, front_door_officer
):
    """A request not yet picked up has no picked_up_by; a person has a date of birth or an
    expected date, not both: the API sends null, which the schema did not allow."""
    schema = _schema(api, front_door_officer)
    components = schema["components"]["schemas"]
    output = components["ReferralOutput"]["properties"]
    assert output["picked_up_by"]["nullable"] is True
    person = components["ReferralPersonOutput"]["properties"]
    assert person["date_of_birth"]["nullable"] is True
    assert person["expected_date"]["nullable"] is True
    submitted(by=referrer, district=district)
    sent = signed_in(api, front_door_officer).get("/api/v1/triage/").json()
    assert sent["count"] == 1
    assert sent["results"][0]["picked_up_by"] is None
