"""Decisions that act (issue 12, point 6) and moving along the continuum (point 8)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from cases import services as case_services
from cases.models import ChronologyKind, LevelOfNeedChange
from earlyhelp.errors import FieldError, FieldErrors
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def case(practitioner):
    return factories.open_case(
        lead=practitioner, opened_on=TODAY - datetime.timedelta(days=40), consent_agencies=[]
    )


def test_lead_moves_a_case_from_level_2_to_3_with_a_reason(case, practitioner, client):
    response = signed_in(client, practitioner).post(
        reverse("change_level_of_need", args=[case.pk]), {"level_of_need": 3, "reason": ""}
    )
    assert response.status_code == 400 and "Enter why" in response.content.decode()
    response = client.post(
        reverse("change_level_of_need", args=[case.pk]),
        {"level_of_need": 3, "reason": "Dad has left; mum is not coping."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.level_of_need == 3
    change = case.level_changes.get()
    assert (change.level_before, change.level_after) == (2, 3)
    assert case.chronology.filter(kind=ChronologyKind.STATUS, title__contains="Level of need")


def test_a_level_change_outside_early_help_is_refused(case, practitioner):
    with pytest.raises(FieldError):
        case_services.case_level_change(
            case=case, level_of_need=4, reason="x", acting_user=practitioner
        )


def test_an_accepted_step_up_is_a_level_change_too(case, practitioner, district):
    from tests.cases.factories import social_care_worker

    step = case_services.step_up(case=case, acting_user=practitioner, reason="Risk")
    case_services.step_up_accept(step=step, acting_user=social_care_worker(district))
    change = LevelOfNeedChange.objects.get(case=case)
    assert change.cause == LevelOfNeedChange.Cause.STEP_UP and change.level_after == 4


def _scheduled_review(case, lead):
    plan = assessment_services.plan_create(case=case, acting_user=lead)
    assessment_services.outcome_add(plan=plan, acting_user=lead, text="Calmer", baseline_scaling=3)
    return assessment_services.meeting_schedule(case=case, acting_user=lead, scheduled_for=TODAY)


@pytest.mark.parametrize(
    "decision,follow_on", [("step_up", "step_up_case"), ("close", "close_case")]
)
def test_a_review_decision_starts_its_action_pre_filled(
    case, practitioner, client, decision, follow_on
):
    meeting = _scheduled_review(case, practitioner)
    response = signed_in(client, practitioner).post(
        reverse("record_taf_meeting", args=[case.pk, meeting.pk]),
        {
            "held_on": TODAY.isoformat(),
            "decision": decision,
            "decision_reason": "The family agreed this together.",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{reverse(follow_on, args=[case.pk])}?review={meeting.pk}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "The family agreed this together." in page.content.decode()


def test_closing_as_needs_met_with_outcomes_not_achieved_asks_to_explain(case, practitioner):
    plan = assessment_services.plan_create(case=case, acting_user=practitioner)
    outcome = assessment_services.outcome_add(plan=plan, acting_user=practitioner, text="Calm")
    closure = {
        "reason": "needs_met",
        "closed_on": TODAY,
        "family_view": "improved",
    }
    results = {outcome.pk: {"result": "not_achieved"}}
    with pytest.raises(FieldErrors, match="Explain why the family's needs are met") as error:
        assessment_services.case_close_with_plan(
            case=case,
            acting_user=practitioner,
            outcome_results=results,
            summary="A summary is not the explanation.",
            **closure,
        )
    assert set(error.value.errors) == {"unmet_outcomes_explanation"}
    # With a closure date in the future too, both are named at once.
    with pytest.raises(FieldErrors) as error:
        assessment_services.case_close_with_plan(
            case=case,
            acting_user=practitioner,
            outcome_results=results,
            **{**closure, "closed_on": TODAY + datetime.timedelta(days=1)},
        )
    assert error.value.errors == {
        "closed_on": "The closure date cannot be in the future.",
        "unmet_outcomes_explanation": "You are closing the case as 'needs met' but some "
        "outcomes were not achieved. Explain why the family's needs are met.",
    }
    assessment_services.case_close_with_plan(
        case=case,
        acting_user=practitioner,
        outcome_results=results,
        unmet_outcomes_explanation="The school now meets the need.",
        **closure,
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closure.unmet_outcomes_explanation == "The school now meets the need."


def test_the_lead_reads_the_request_behind_her_case_and_it_is_in_the_chronology(
    practitioner, front_door_officer, school, district, client
):
    from referrals import services as referral_services
    from tests.referrals import factories as referral_factories

    referrer = factories.UserFactory(agency=school, districts=[district])
    first = referral_factories.matched(by=referrer, officer=front_door_officer, district=district)
    referral_services.referral_decide(
        referral=first,
        acting_user=front_door_officer,
        expected_version=first.version,
        level_of_need=3,
        outcome="targeted",
        rationale="Several agencies worried.",
        allocated_agency=practitioner.agency,
        lead_professional=practitioner,
    )
    first.refresh_from_db()
    case = first.case
    second = referral_factories.matched(
        by=referrer,
        officer=front_door_officer,
        district=district,
        family=case.family,
        worries="Now missing school on Mondays.",
    )
    referral_services.referral_decide(
        referral=second,
        acting_user=front_door_officer,
        expected_version=second.version,
        level_of_need=3,
        outcome="add_to_case",
        rationale="Same family, open case.",
        case=case,
    )
    page = signed_in(client, practitioner).get(reverse("case_detail", args=[case.pk]))
    html = page.content.decode()
    assert first.reference in html and "Lily is often late and hungry." in html
    assert "Several agencies worried." in html
    assert second.reference in html and "Now missing school on Mondays." in html
    assert case.chronology.filter(title__contains=second.reference).exists()
