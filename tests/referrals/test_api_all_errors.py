"""A request for support, a match or a triage decision with several wrong fields is answered
with every one at once, each with its own message, and nothing is recorded."""

import pytest
from rest_framework.test import APIClient

from referrals.models import Referral, ReferralStatus
from tests.conftest import signed_in
from tests.referrals.factories import matched, picked_up, submitted
from tests.referrals.test_api import payload

pytestmark = pytest.mark.django_db


def test_a_request_with_no_referrer_name_and_no_consent_reason_names_both(referrer, district):
    body = payload(district, family_consent="not_aware")
    body["referrer"]["name"] = ""
    response = signed_in(APIClient(), referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "referrer": {"name": ["Enter the referrer's name"]},
        "no_consent_reason": ["Explain why the family has not agreed to this request"],
    }
    assert not Referral.objects.exists()


def test_a_request_with_wrong_fields_names_the_rules_between_fields_too(referrer, district):
    """The referrer's name and the consent reason are asked with the field checks (a blank
    worry, an unknown urgency), not only once those pass."""
    body = payload(district, family_consent="not_aware", worries="", urgency="soonish")
    body["referrer"]["name"] = ""
    response = signed_in(APIClient(), referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "worries": ["Enter the worries"],
        "urgency": ["Choose the urgency from the list"],
        "referrer": {"name": ["Enter the referrer's name"]},
        "no_consent_reason": ["Explain why the family has not agreed to this request"],
    }
    assert not Referral.objects.exists()


def test_a_need_from_a_framework_not_on_the_list_is_named_at_the_framework(referrer, district):
    body = payload(district, needs=[{"framework": "horoscopes", "code": "early_years"}])
    response = signed_in(APIClient(), referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"needs": {"0": {"framework": ["Unknown need framework horoscopes"]}}}


def test_a_match_with_a_stranger_and_an_unknown_household_names_both(
    referrer, district, front_door_officer
):
    referral = picked_up(by=referrer, officer=front_door_officer, district=district)
    people = list(referral.people.all())
    response = signed_in(APIClient(), front_door_officer).post(
        f"/api/v1/triage/{referral.pk}/match/",
        {
            "links": [
                {"referral_person": p.pk, "person": 999990 + i} for i, p in enumerate(people)
            ],
            "family": 999999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "links": [f"Person {999990 + i} is not a possible match" for i in range(len(people))],
        "family": ["Not a household of a possible match"],
    }
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE


def test_a_decision_with_an_unknown_lead_and_case_names_both_with_the_rest(
    referrer, district, front_door_officer
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(APIClient(), front_door_officer).post(
        f"/api/v1/triage/{referral.pk}/decide/",
        {
            "version": referral.version,
            "level_of_need": 3,
            "outcome": "targeted",
            "rationale": "",
            "lead_professional": 999999,
            "case": 999999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "rationale": ["Enter the rationale"],
        "lead_professional": ["Unknown lead"],
        "case": ["Not an open case of this family"],
    }
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE


def test_closing_as_a_duplicate_of_an_unseen_request_with_no_note_names_both(referrer, district):
    referral = submitted(by=referrer, district=district)
    response = signed_in(APIClient(), referrer).post(
        f"/api/v1/referrals/{referral.pk}/close/",
        {"reason": "duplicate", "note": "", "duplicate_of": 987654},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "note": ["Enter the note"],
        "duplicate_of": ["There is no request with that reference you can see"],
    }
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.CLOSED
