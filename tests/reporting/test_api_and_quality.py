"""The reporting API (same scope and suppression as the pages) and quality audits."""

import datetime

import pytest
from django.urls import reverse

from earlyhelp.errors import DomainError
from earlyhelp.models import Notification
from reporting import quality
from reporting.models import QualityAudit
from reporting.selectors import Period, reporting_scope_for
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


def _figures(payload) -> dict:
    return {f["key"]: f for s in payload["sections"] for f in s["figures"]}


def test_the_indicators_api_suppresses_small_numbers_for_strategic_viewers(
    client, strategic_viewer, practitioner
):
    for _ in range(2):
        build.case(lead=practitioner, opened_on=D(2026, 1, 1))

    response = signed_in(client, strategic_viewer).get(
        reverse("api_indicators"), {"start": "2026-07-01", "end": "2026-09-30"}
    )

    assert response.status_code == 200
    payload = response.json()
    assert payload["suppressed"] is True
    assert payload["scope"] == "authority"
    assert _figures(payload)["families_worked_with"]["value"] == "<5"


def test_the_indicators_api_gives_managers_their_own_scope(
    client, district_manager, practitioner, other_practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.case(lead=other_practitioner, opened_on=D(2026, 1, 1))

    payload = (
        signed_in(client, district_manager)
        .get(reverse("api_indicators"), {"start": "2026-07-01", "end": "2026-09-30"})
        .json()
    )

    assert payload["scope"] == "own"
    assert _figures(payload)["families_worked_with"]["value"] == 1


def test_the_reporting_api_refuses_practitioners_and_bad_periods(
    client, practitioner, district_manager
):
    assert signed_in(client, practitioner).get(reverse("api_indicators")).status_code == 403
    assert signed_in(client, practitioner).get(reverse("api_caseload")).status_code == 403
    client.logout()
    bad = signed_in(client, district_manager).get(
        reverse("api_indicators"), {"start": "2026-09-01", "end": "2026-01-01"}
    )
    assert bad.status_code == 400


def test_the_caseload_api_is_for_managers_and_names_nobody(client, district_manager, practitioner):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1), level_of_need=3)

    response = signed_in(client, district_manager).get(reverse("api_caseload"))

    assert response.status_code == 200
    payload = response.json()
    assert payload["open_cases"] == 1
    assert payload["by_lead_professional"] == [{"user_id": practitioner.pk, "cases": 1}]
    assert practitioner.full_name not in response.content.decode()


def test_the_qa_sample_draws_up_to_five_cases_per_district_repeatably(consultant, practitioner):
    for _ in range(7):
        episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
        build.assessment(episode, started_on=D(2026, 1, 2))
    build.case(lead=practitioner, opened_on=D(2026, 1, 1))  # no assessment: not sampled

    first = [c.pk for c in quality.qa_sample_for(consultant, D(2026, 11, 1))]
    again = [c.pk for c in quality.qa_sample_for(consultant, D(2026, 11, 1))]

    assert len(first) == 5
    assert first == again


def test_a_consultant_audits_a_case_and_the_lead_professional_sees_the_feedback(
    client, consultant, practitioner, other_practitioner, district_manager
):
    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.assessment(episode, started_on=D(2026, 1, 2))
    client = signed_in(client, consultant)
    response = client.post(
        reverse("qa_audit_new", args=[episode.pk]),
        {
            "assessment_grade": "good",
            "plan_grade": "requires_improvement",
            "review_grade": "good",
            "overall_grade": "good",
            "feedback": "Clear voice of the child; make the plan's actions time-bound.",
        },
    )
    record = QualityAudit.objects.get()
    assert response.status_code == 302
    assert record.lead_professional == practitioner
    assert Notification.objects.filter(user=practitioner).exists()

    client.logout()
    lead_view = signed_in(client, practitioner).get(reverse("qa_feedback_detail", args=[record.pk]))
    assert "make the plan&#x27;s actions time-bound" in lead_view.content.decode()
    listing = client.get(reverse("qa_feedback"))
    assert episode.reference in listing.content.decode()
    client.logout()
    assert (
        signed_in(client, other_practitioner)
        .get(reverse("qa_feedback_detail", args=[record.pk]))
        .status_code
        == 404
    )

    scope = reporting_scope_for(district_manager)
    from reporting import indicators
    from reporting.selectors import Period

    today = datetime.date.today()
    assert indicators.quality_audits(scope.cases, Period(today, today))["good_or_better"] == 1


def test_a_missing_grade_is_explained_and_keeps_the_feedback(client, consultant, practitioner):
    episode = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    response = signed_in(client, consultant).post(
        reverse("qa_audit_new", args=[episode.pk]),
        {"assessment_grade": "good", "feedback": "Kept as typed"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose a grade for the plan" in body
    assert "Kept as typed" in body
    assert not QualityAudit.objects.exists()


def test_only_consultants_in_the_district_may_audit(consultant, practitioner, other_practitioner):
    theirs = build.case(lead=other_practitioner, opened_on=D(2026, 1, 1))
    with pytest.raises(Exception):  # noqa: B017 - Http404 or DomainError, both refuse
        quality.quality_audit_record(
            case=theirs,
            acting_user=consultant,
            assessment_grade="good",
            plan_grade="good",
            review_grade="good",
            overall_grade="good",
            feedback="x",
            audited_on=D(2026, 11, 2),
        )
    mine = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    with pytest.raises(DomainError):
        quality.quality_audit_record(
            case=mine,
            acting_user=practitioner,
            assessment_grade="good",
            plan_grade="good",
            review_grade="good",
            overall_grade="good",
            feedback="x",
            audited_on=D(2026, 11, 2),
        )


def test_the_indicators_count_open_cases_supervised_within_the_authoritys_interval(
    client, district_manager, practitioner
):
    from oversight import services as oversight

    today = datetime.date.today()
    recent, stale, never, closed = (
        build.case(lead=practitioner, opened_on=today - datetime.timedelta(days=90))
        for _ in range(4)
    )
    for the_case, days_ago in ((recent, 3), (stale, 45), (closed, 5)):
        oversight.supervision_record(
            case=the_case,
            acting_user=district_manager,
            kind="supervision",
            held_on=today - datetime.timedelta(days=days_ago),
            discussion="Progress against the plan",
            decisions="Carry on",
            next_supervision_on=today + datetime.timedelta(days=20),
        )
    build.close(closed, closed_on=today - datetime.timedelta(days=1))
    quarter = Period.quarter_of(today)
    signed_in(client, district_manager)

    response = client.get(reverse("api_indicators"), {"start": quarter.start, "end": quarter.end})

    figure = _figures(response.json())["supervised_within_interval"]
    assert (figure["value"], figure["denominator"]) == (1, 3)
    assert "in the 30 days before" in figure["note"]
    page = client.get(reverse("indicators"), {"start": quarter.start, "end": quarter.end})
    assert "Open cases supervised within the authority&#x27;s interval" in page.content.decode()
