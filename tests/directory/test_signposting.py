"""Signposting that links: the front door's "information and signposting" outcome, a plan
action and a closure "stepped down to universal" record which directory services, so
reports can count them; free text stays possible for what is not listed."""

import datetime

import pytest
from django.urls import reverse

from assessments import services as casework
from cases import services as case_services
from cases.models import ClosureReason
from directory import selectors
from referrals.models import Outcome, ReferralStatus
from tests import factories
from tests.conftest import signed_in
from tests.referrals.factories import matched

pytestmark = pytest.mark.django_db


def test_front_door_signposts_to_directory_services_through_the_page(
    client, referrer, district, front_door_officer, listed
):
    here, county, there, closed = listed
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    c = signed_in(client, front_door_officer)
    page = c.get(reverse("referral_decide", args=[referral.pk])).content.decode()
    # Only active services for this district (or county-wide) are offered.
    assert "Amberford stay and play" in page and "Money advice line" in page
    assert "Brackenmoor youth club" not in page and "Closed group" not in page

    missing = c.post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "1",
            "outcome": "signposting",
            "rationale": "Universal needs only.",
        },
    )
    assert "Choose the services from the directory, or enter the services" in (
        missing.content.decode()
    )
    assert "Universal needs only." in missing.content.decode()  # what was typed is kept

    response = c.post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "1",
            "outcome": "signposting",
            "signposted_services": [here.pk, county.pk],
            "signposted_to": "Grandparents' support group at the church",
            "rationale": "Universal needs only.",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED
    decision = referral.decision
    assert decision.outcome == Outcome.SIGNPOSTING
    assert set(decision.signposted_services.all()) == {here, county}
    assert decision.signposted_to == "Grandparents' support group at the church"
    detail = c.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Amberford stay and play" in detail

    counted = {
        s.name: s.from_decisions
        for s in selectors.signposting_counts(since=datetime.date(2020, 1, 1))
    }
    assert counted == {"Amberford stay and play": 1, "Money advice line": 1}


def test_a_service_not_offered_for_the_district_cannot_be_posted(
    client, referrer, district, front_door_officer, listed
):
    there = listed[2]
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    response = signed_in(client, front_door_officer).post(
        reverse("referral_decide", args=[referral.pk]),
        {
            "version": referral.version,
            "level_of_need": "1",
            "outcome": "signposting",
            "signposted_services": [there.pk],
            "rationale": "Universal.",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.DECIDED


def test_plan_action_and_stepped_down_closure_record_services(client, practitioner, school, listed):
    here, county = listed[0], listed[1]
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    plan = casework.plan_create(case=case, acting_user=practitioner)
    outcome = casework.outcome_add(plan=plan, acting_user=practitioner, text="Fewer money worries")
    c = signed_in(client, practitioner)
    response = c.post(
        reverse("add_plan_action", args=[case.pk, outcome.pk]),
        {
            "what": "Call the money advice line together",
            "owner": "family",
            "due_on": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
            "services": [county.pk],
        },
    )
    assert response.status_code == 302
    assert list(outcome.actions.get().services.all()) == [county]

    response = c.post(
        reverse("close_case", args=[case.pk]),
        {
            "reason": ClosureReason.STEPPED_DOWN,
            "closed_on": datetime.date.today().isoformat(),
            "family_view": "improved",
            f"result_{outcome.pk}": "achieved",
            "signposted_services": [here.pk],
            "summary": "Also told about the library rhyme time.",
            "confirm": "yes",  # answers checked on the confirmation page
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.closure_reason == "stepped_down"
    assert list(case.closure.signposted_services.all()) == [here]
    counts = {
        s.name: (s.from_plans, s.from_closures)
        for s in selectors.signposting_counts(since=datetime.date(2020, 1, 1))
    }
    assert counts == {"Money advice line": (1, 0), "Amberford stay and play": (0, 1)}


def test_closing_through_the_service_keeps_working_without_services(practitioner, school):
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    closure = case_services.case_close(
        case=case,
        acting_user=practitioner,
        reason="needs_met",
        closed_on=datetime.date.today(),
        family_view="improved",
    )
    assert not closure.signposted_services.exists()


def test_a_closure_page_names_a_service_not_offered_with_every_closure_rule_at_once(
    client, practitioner, school, listed
):
    here, county, there, closed = listed
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    plan = casework.plan_create(case=case, acting_user=practitioner)
    outcome = casework.outcome_add(plan=plan, acting_user=practitioner, text="Fewer money worries")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = signed_in(client, practitioner).post(
        reverse("close_case", args=[case.pk]),
        {
            "reason": ClosureReason.NEEDS_MET,
            "closed_on": tomorrow.strftime("%d/%m/%Y"),
            "family_view": "improved",
            f"result_{outcome.pk}": "not_achieved",
            "signposted_services": [here.pk, there.pk],
            "summary": "Told about the youth club.",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"signposted_services", "closed_on", "unmet_outcomes_explanation"}
    assert errors["closed_on"] == ["The closure date cannot be in the future."]
    assert "Explain why the family's needs are met" in errors["unmet_outcomes_explanation"][0]
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The closure date cannot be in the future." in page
    assert "Told about the youth club." in page and tomorrow.strftime("%d/%m/%Y") in page
    case.refresh_from_db()
    assert case.status == "open" and not case.closure_requests.exists()
