"""One test per indicator: build the records it counts, check the number."""

import datetime

import pytest

from cases.codes import Ethnicity, Gender, SenStatus
from cases.models import EarlyHelpCase, FamilyView
from referrals.models import Referral
from reporting import indicators
from reporting.indicators import Figure, present_figure
from reporting.models import EducationEvent, QualityAudit
from reporting.selectors import Period
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


def cases():
    return EarlyHelpCase.objects.all()


def referrals():
    return Referral.objects.exclude(status="draft")


def test_requests_received_counts_requests_in_the_period_with_their_outcomes(
    practitioner, front_door_officer, period
):
    for day in (D(2026, 7, 1), D(2026, 8, 15), D(2026, 9, 30)):
        build.referral(by=practitioner, received_on=day)
    build.referral(by=practitioner, received_on=D(2026, 6, 30))
    build.referral(by=practitioner, received_on=D(2026, 10, 1))
    nfa = Referral.objects.filter(received_at__date=D(2026, 8, 15)).get()
    build.decide(nfa, outcome="nfa", decided_on=D(2026, 8, 16), by=front_door_officer)

    result = indicators.requests_received(referrals(), period)

    assert result["total"] == 3
    assert dict(result["outcomes"])["No further action"] == 1
    assert result["undecided"] == 2


def test_decisions_made_by_the_target_date_are_on_time(practitioner, front_door_officer, period):
    on_time = build.referral(by=practitioner, received_on=D(2026, 7, 6), due_on=D(2026, 7, 9))
    late = build.referral(by=practitioner, received_on=D(2026, 7, 6), due_on=D(2026, 7, 9))
    build.decide(on_time, outcome="signposting", decided_on=D(2026, 7, 9), by=front_door_officer)
    build.decide(late, outcome="nfa", decided_on=D(2026, 7, 10), by=front_door_officer)

    assert indicators.decision_timeliness(referrals(), period) == {"decided": 2, "on_time": 1}


def test_requests_awaiting_triage_and_those_past_their_target(practitioner):
    today = D(2026, 7, 10)
    build.referral(by=practitioner, received_on=D(2026, 7, 1), due_on=D(2026, 7, 6))
    build.referral(by=practitioner, received_on=D(2026, 7, 9), due_on=D(2026, 7, 14))
    build.referral(by=practitioner, received_on=D(2026, 7, 9), status="closed")

    result = indicators.awaiting_triage(referrals(), today)

    assert result["waiting"] == 2
    assert result["overdue"] == 1


@pytest.mark.parametrize(("days_after_closure", "counted"), [(0, 1), (365, 1), (366, 0)])
def test_a_re_referral_within_12_months_of_closure_counts_day_365_but_not_366(
    practitioner, days_after_closure, counted
):
    closed_on = D(2025, 8, 1)
    episode = build.case(lead=practitioner, opened_on=D(2025, 3, 1))
    build.close(episode, closed_on=closed_on)
    received = closed_on + datetime.timedelta(days=days_after_closure)
    build.referral(by=practitioner, received_on=received, family=episode.family)
    period = Period(received, received)

    result = indicators.re_referrals(referrals(), period)

    assert result == {"received": 1, "re_referrals": counted}


def test_a_request_for_a_family_never_closed_is_not_a_re_referral(practitioner, period):
    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.referral(by=practitioner, received_on=D(2026, 8, 1), family=episode.family)

    assert indicators.re_referrals(referrals(), period)["re_referrals"] == 0


def test_children_and_families_worked_with_include_cases_open_across_the_boundaries(
    practitioner, period
):
    across_start = build.case(lead=practitioner, opened_on=D(2026, 5, 1), children=2)
    build.close(across_start, closed_on=D(2026, 7, 1))  # closed on the first day: counts
    build.case(lead=practitioner, opened_on=D(2026, 9, 30))  # opened on the last day: counts
    build.case(lead=practitioner, opened_on=D(2025, 1, 1))  # open throughout: counts
    before = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.close(before, closed_on=D(2026, 6, 30))  # closed the day before: not counted
    build.case(lead=practitioner, opened_on=D(2026, 10, 1))  # opened after: not counted
    build.plan(across_start, created_on=D(2026, 5, 10))

    result = indicators.worked_with(cases(), period)

    assert result["children"] == 4
    assert result["families"] == 3
    assert result["families_with_plan"] == 1


def test_assessments_completed_and_the_share_within_20_working_days(practitioner, period):
    # Started Wed 1 July 2026: 20 working days later is Wed 29 July.
    on_time = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(on_time, started_on=D(2026, 7, 1), signed_off_on=D(2026, 7, 29))
    late = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.assessment(late, started_on=D(2026, 7, 1), signed_off_on=D(2026, 7, 30))
    outside = build.case(lead=practitioner, opened_on=D(2026, 5, 1))
    build.assessment(outside, started_on=D(2026, 5, 1), signed_off_on=D(2026, 6, 1))
    draft = build.case(lead=practitioner, opened_on=D(2026, 8, 1))
    build.assessment(draft, started_on=D(2026, 8, 3))

    assert indicators.assessments_completed(cases(), period) == {
        "completed": 2,
        "within_20_working_days": 1,
    }


def test_closures_count_needs_met_consent_withdrawn_and_improved_family_life(practitioner, period):
    for reason, view in [
        ("needs_met", FamilyView.IMPROVED),
        ("needs_met", FamilyView.PARTLY),
        ("consent_withdrawn", FamilyView.NOT_ASKED),
        ("moved_away", FamilyView.IMPROVED),
    ]:
        episode = build.case(lead=practitioner, opened_on=D(2026, 3, 1))
        build.close(episode, closed_on=D(2026, 8, 1), reason=reason, family_view=view)
    earlier = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.close(earlier, closed_on=D(2026, 6, 30))

    result = indicators.closures(cases(), period)

    assert result["closed"] == 4
    assert result["needs_met"] == 2
    assert result["consent_withdrawn"] == 1
    assert result["improved_family_life"] == 2
    assert result["families_asked"] == 3


def test_step_ups_and_step_downs_in_the_period(practitioner, period):
    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.step(episode, direction="up", occurred_on=D(2026, 7, 1))
    build.step(episode, direction="down", occurred_on=D(2026, 9, 30))
    build.step(episode, direction="up", occurred_on=D(2026, 10, 1))

    assert indicators.steps(cases(), period) == {"step_up": 1, "step_down": 1}


def test_reviews_are_on_time_when_held_by_the_date_set_at_the_meeting_before(practitioner, period):
    episode = build.case(lead=practitioner, opened_on=D(2026, 5, 1))
    build.meeting(episode, kind="first_taf", held_on=D(2026, 6, 1), next_review_on=D(2026, 7, 10))
    build.meeting(episode, held_on=D(2026, 7, 10), next_review_on=D(2026, 8, 14))  # on the day
    build.meeting(episode, held_on=D(2026, 8, 20))  # six days late
    # No date set at the last meeting: due 6 weeks on (1 October); held 30 September.
    build.meeting(episode, held_on=D(2026, 9, 30))

    assert indicators.reviews_on_time(cases(), period) == {
        "held": 3,
        "with_due_date": 3,
        "on_time": 2,
    }


def test_early_help_plan_in_place_before_a_request_for_an_ehc_needs_assessment(
    practitioner, strategic_viewer, period
):
    from reporting.selectors import reporting_scope_for

    with_plan = build.case(lead=practitioner, opened_on=D(2026, 3, 1))
    build.plan(with_plan, created_on=D(2026, 4, 1))
    EducationEvent.objects.create(
        person=build.child_of(with_plan), kind="ehc_request", occurred_on=D(2026, 8, 1)
    )
    plan_too_late = build.case(lead=practitioner, opened_on=D(2026, 7, 1))
    build.plan(plan_too_late, created_on=D(2026, 8, 2))
    EducationEvent.objects.create(
        person=build.child_of(plan_too_late), kind="ehc_request", occurred_on=D(2026, 8, 1)
    )
    closed_before = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.plan(closed_before, created_on=D(2026, 1, 10))
    build.close(closed_before, closed_on=D(2026, 7, 1))
    EducationEvent.objects.create(
        person=build.child_of(closed_before), kind="exclusion", occurred_on=D(2026, 7, 2)
    )

    scope = reporting_scope_for(strategic_viewer)
    ehc = indicators.plan_before_education_event(scope, period, "ehc_request")
    exclusions = indicators.plan_before_education_event(scope, period, "exclusion")

    assert ehc == {"events": 2, "with_plan": 1}
    assert exclusions == {"events": 1, "with_plan": 0}


def test_quality_audits_feed_the_good_or_better_indicator(practitioner, consultant, period):
    for grade in ("outstanding", "good", "requires_improvement"):
        episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
        QualityAudit.objects.create(
            case=episode,
            district=episode.district,
            auditor=consultant,
            lead_professional=practitioner,
            sample_month=D(2026, 8, 1),
            audited_on=D(2026, 8, 10),
            assessment_grade=grade,
            plan_grade="good",
            review_grade="inadequate",
            overall_grade=grade,
            feedback="Test",
        )

    result = indicators.quality_audits(cases(), period)

    assert result["audits"] == 3
    assert result["good_or_better"] == 2
    assert result["plan_good"] == 3
    assert result["review_good"] == 0


def test_breakdowns_by_age_band_gender_ethnicity_send_and_deprivation(practitioner, period):
    from cases.models import Person

    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1), children=3)
    episode.family.deprivation_decile = 1
    episode.family.save()
    kids = list(episode.children.order_by("pk"))
    Person.objects.filter(pk=kids[0].pk).update(
        date_of_birth=D(2022, 9, 30), gender=Gender.FEMALE, ethnicity=Ethnicity.WBRI
    )  # 4 on 30 September 2026
    Person.objects.filter(pk=kids[1].pk).update(
        date_of_birth=D(2021, 9, 30), gender=Gender.MALE, sen_status=SenStatus.SEN_SUPPORT
    )  # 5 on 30 September 2026
    Person.objects.filter(pk=kids[2].pk).update(
        date_of_birth=D(2010, 1, 1), disabilities=["AUT"], ethnicity=Ethnicity.BAFR
    )  # 16

    result = {b.key: dict(b.rows) for b in indicators.breakdowns(cases(), period)}

    assert result["age_band"] == {"0 to 4": 1, "5 to 10": 1, "16 to 17": 1}
    assert result["gender"]["Female"] == 1
    assert result["gender"]["Male"] == 1
    assert result["ethnicity"]["White British"] == 1
    assert result["ethnicity"]["African"] == 1
    assert result["send"] == {"SEND recorded": 2, "None recorded": 1}
    assert result["deprivation"] == {"Decile 1": 3}


def test_small_numbers_are_suppressed_and_their_rates_hidden():
    shown = present_figure(Figure("x", "X", 3, 40), suppressed=True)
    assert shown["value"] == "<5"
    assert shown["percentage"] is None
    big = present_figure(Figure("x", "X", 10, 40), suppressed=True)
    assert big["value"] == 10
    assert big["percentage"] == 25.0
    assert present_figure(Figure("x", "X", 0), suppressed=True)["value"] == "<5"
    assert present_figure(Figure("x", "X", 3, 40), suppressed=False)["value"] == 3


def test_every_indicator_is_computed_for_a_scope_and_period(district_manager, period):
    from reporting.selectors import reporting_scope_for

    sections = indicators.indicators_for(reporting_scope_for(district_manager), period)

    keys = {f.key for s in sections for f in s.figures}
    assert {
        "requests_received",
        "assessments_on_time",
        "children_worked_with",
        "closed_needs_met",
        "closed_consent_withdrawn",
        "step_up",
        "step_down",
        "re_referrals",
        "reviews_on_time",
        "plan_before_ehc",
        "plan_before_exclusion",
        "qa_good_or_better",
    } <= keys


def test_episodes_started_by_the_front_door_and_by_partners_are_counted_apart(practitioner, period):
    from cases.models import CaseOrigin

    for opened_on, origin in [
        (D(2026, 7, 1), CaseOrigin.FRONT_DOOR),
        (D(2026, 8, 1), CaseOrigin.PARTNER),
        (D(2026, 9, 30), CaseOrigin.PARTNER),
        (D(2026, 6, 30), CaseOrigin.PARTNER),  # before the period
    ]:
        EarlyHelpCase.objects.filter(
            pk=build.case(lead=practitioner, opened_on=opened_on).pk
        ).update(origin=origin)

    assert indicators.episodes_started(cases(), period) == {
        "started": 3,
        "front_door": 1,
        "partner": 2,
    }


def test_level_changes_in_the_period_count_each_move_along_the_continuum(practitioner, period):
    from cases.models import LevelOfNeedChange

    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    for before, after, day in [
        (2, 3, D(2026, 7, 1)),
        (3, 2, D(2026, 8, 1)),
        (2, 3, D(2026, 9, 30)),
        (2, 3, D(2026, 10, 1)),  # after the period
        (3, 4, D(2026, 8, 2)),  # a step up: counted by the step figures
    ]:
        LevelOfNeedChange.objects.create(
            case=episode,
            level_before=before,
            level_after=after,
            cause="review",
            reason="x",
            changed_by=practitioner,
            changed_on=day,
        )

    assert indicators.level_changes(cases(), period) == {(2, 3): 2, (3, 2): 1}


def test_the_new_figures_are_on_the_indicators_page_and_api_in_the_authoritys_words(
    practitioner, district_manager, client, period
):
    from django.test import override_settings
    from rest_framework.test import APIClient

    from cases import services as case_services
    from tests.conftest import signed_in

    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    case_services.case_level_change(
        case=episode, level_of_need=3, reason="Worse at home", acting_user=practitioner
    )
    params = {"start": "2026-01-01", "end": datetime.date.today().isoformat()}
    with override_settings(LEVEL_OF_NEED_LABELS={2: "Getting help", 3: "Getting more help"}):
        page = signed_in(client, district_manager).get("/reporting/indicators/", params)
        api = signed_in(APIClient(), district_manager).get("/api/v1/reporting/indicators/", params)
    html = page.content.decode()
    assert "Level of need changed from Getting help to Getting more help" in html
    assert "Episodes started by a partner agency who knows the family" in html
    figures = {f["key"]: f for s in api.json()["sections"] for f in s["figures"]}
    assert figures["level_change_2_3"]["value"] == 1
    assert figures["level_change_2_3"]["label"].endswith("Getting help to Getting more help")
    assert figures["episodes_started"]["value"] == 1
    assert figures["episodes_front_door"]["value"] == 1
    assert figures["episodes_partner"]["value"] == 0
