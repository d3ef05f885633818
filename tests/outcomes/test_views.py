"""The family outcomes pages as a user meets them: bad input kept with a clear message, the
return refused until every row passes, small numbers suppressed for strategic viewers, the
authority's Families First words on every page and export, constant queries per list."""

import csv
import datetime
import io

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.models import FamilyNeed
from partners.models import FamilyHub
from tests.conftest import signed_in
from tests.outcomes.conftest import sustain_all, worked_case

FAMILIES_FIRST = {"LEAD_TITLE": "lead practitioner", "HELP_NAME": "Family Help"}


def _quarter():
    from outcomes.returns import quarter_choices

    return quarter_choices(timezone.localdate())[0][0]


def test_a_need_without_evidence_is_refused_and_what_was_typed_is_kept(
    client, working_case, practitioner
):
    signed_in(client, practitioner)
    response = client.post(
        reverse("add_need", args=[working_case.pk]),
        {"headline": "crime", "source": "family", "evidence": "", "identified_on": "not a date"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the evidence" in page
    assert "Enter the date identified as a real date" in page
    assert 'value="family" checked' in page
    assert not FamilyNeed.objects.filter(headline__code="crime").exists()


def test_a_need_already_recorded_is_refused_with_its_name(client, working_case, practitioner):
    signed_in(client, practitioner)
    response = client.post(
        reverse("add_need", args=[working_case.pk]),
        {
            "headline": "housing",
            "source": "family",
            "evidence": "Rent arrears letter",
            "identified_on": working_case.opened_on.isoformat(),
        },
    )
    assert (
        "“Secure housing” is already one of this family&#x27;s needs." in response.content.decode()
    )


def test_progress_recorded_at_a_review_through_the_page(client, working_case, practitioner):
    need = working_case.programme.needs.get(headline__code="housing")
    signed_in(client, practitioner)
    response = client.post(
        reverse("record_progress", args=[working_case.pk, need.pk]),
        {
            "at": f"meeting:{working_case.review.pk}",
            "status": "significant",
            "significant_since": "",
            "evidence": "Tenancy secure; arrears cleared.",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "significant"
    assert need.significant_since == working_case.review.held_on
    page = client.get(reverse("case_outcomes", args=[working_case.pk])).content.decode()
    assert "Significant progress since" in page


def test_the_return_with_a_bad_row_is_not_exported_and_lists_the_fix(
    client, ready_case, programme_officer
):
    signed_in(client, programme_officer)
    url = reverse("outcomes_return")
    response = client.get(url, {"quarter": _quarter(), "download": "1"})
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert ready_case.reference in page
    assert "No family hub recorded: choose the hub on the family&#x27;s outcomes page." in page
    hub = FamilyHub.objects.create(district=ready_case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    response = client.get(url, {"quarter": _quarter(), "download": "1"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Case reference", "Family ID", "District"]
    assert rows[1][0] == ready_case.reference
    assert "Ready to claim" in rows[1]


def test_the_rows_to_fix_come_a_page_at_a_time(
    client, ready_case, programme_officer, practitioner, district_manager, monkeypatch
):
    from outcomes import views
    from tests.outcomes.conftest import worked_case

    other = worked_case(lead=practitioner, manager=district_manager)
    services.needs_from_assessment(case=other, acting_user=practitioner)
    monkeypatch.setattr(views, "RETURN_PROBLEMS_PAGE", 1)
    signed_in(client, programme_officer)
    url = reverse("outcomes_return")
    first = client.get(url, {"quarter": _quarter()}).content.decode()
    assert "cannot be exported: 2 problems" in first
    assert "1 to 1 of 2" in first
    assert ready_case.reference in first and other.reference not in first
    assert f"?quarter={_quarter()}&amp;page=2" in first
    second = client.get(url, {"quarter": _quarter(), "page": "2"}).content.decode()
    assert "2 to 2 of 2" in second
    assert other.reference in second and ready_case.reference not in second


def test_the_return_uses_the_configured_columns(client, ready_case, programme_officer):
    hub = FamilyHub.objects.create(district=ready_case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    signed_in(client, programme_officer)
    client.post(reverse("return_columns"), {"columns": ["case_reference", "needs_sustained"]})
    response = client.get(reverse("outcomes_return"), {"quarter": _quarter(), "download": "1"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Case reference", "Needs with sustained progress"],
        [ready_case.reference, "3"],
    ]


def test_a_closed_family_without_progress_at_closure_fails_the_return(
    ready_case, programme_officer, practitioner
):
    from cases.services import case_close
    from outcomes import returns

    hub = FamilyHub.objects.create(district=ready_case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    case_close(
        case=ready_case,
        acting_user=practitioner,
        reason="needs_met",
        closed_on=timezone.localdate(),
        family_view="improved",
    )
    ready_case.refresh_from_db()
    start, end = returns.quarter_bounds(timezone.localdate())
    _, rows, problems = returns.build_return(start, end)
    assert returns.check_return(start, end) == (len(rows), problems)  # the page's check
    assert [p.message for p in problems] == [
        f"Closed on {timezone.localdate():%-d %B %Y} without progress at closure for: "
        "Getting a good education, Secure housing, Financial stability. Record it on the "
        "family's outcomes page."
    ]
    for need in ready_case.programme.needs.all():
        services.progress_record(
            need=need,
            acting_user=practitioner,
            status="significant",
            evidence="Held at closure.",
            at_closure=True,
        )
    assert returns.build_return(start, end)[2] == []
    assert returns.check_return(start, end) == (len(rows), [])


def test_strategic_viewers_see_small_numbers_suppressed(
    client, ready_case, strategic_viewer, district_manager
):
    signed_in(client, strategic_viewer)
    page = client.get(reverse("outcomes_dashboard")).content.decode()
    assert '<dd class="govuk-summary-list__value" id="families-total">&lt;5</dd>' in page
    assert ready_case.family.name not in page
    client.logout()
    signed_in(client, district_manager)
    page = client.get(reverse("outcomes_dashboard")).content.decode()
    assert '<dd class="govuk-summary-list__value" id="families-total">1</dd>' in page


def test_distance_travelled_sums_the_reviews_against_the_start(
    client, ready_case, district_manager
):
    from outcomes.selectors import cohort_dashboard

    distance = cohort_dashboard(district_manager).distance
    # Baseline 3, latest review 7: four points for the one plan outcome.
    assert distance == [
        {
            "name": ready_case.district.name,
            "outcomes": 1,
            "points": 4,
            "average": 4.0,
            "improved": 1,
        }
    ]


def test_distance_travelled_is_read_from_the_summaries_once_built_and_says_when(
    client, ready_case, practitioner, district_manager
):
    from assessments import services as eha
    from outcomes.selectors import cohort_dashboard
    from reporting.summaries.refresh import summaries_refresh

    live = cohort_dashboard(district_manager).distance
    summaries_refresh()
    assert cohort_dashboard(district_manager).distance == live
    signed_in(client, district_manager)
    page = client.get(reverse("outcomes_dashboard")).content.decode()
    assert "Figures as at the last rebuild of the reporting figures" in page

    # A later review (scaling 9) counts from the next rebuild, as the page says.
    outcome = ready_case.family_plan.outcomes.get()
    review = ready_case.taf_meetings.filter(status="scheduled").first() or eha.meeting_schedule(
        case=ready_case, acting_user=practitioner, scheduled_for=timezone.localdate()
    )
    eha.meeting_record(
        meeting=review,
        acting_user=practitioner,
        held_on=timezone.localdate(),
        decision="continue",
        progress=[{"outcome": outcome, "scaling": 9}],
    )
    assert cohort_dashboard(district_manager).distance[0]["points"] == 4
    summaries_refresh()
    assert cohort_dashboard(district_manager).distance[0]["points"] == 6


@override_settings(**FAMILIES_FIRST)
def test_the_authoritys_families_first_words_are_used_on_pages_and_exports(
    client, ready_case, practitioner, programme_officer
):
    signed_in(client, practitioner)
    case_page = client.get(reverse("case_detail", args=[ready_case.pk])).content.decode()
    assert "Lead practitioner" in case_page and "Lead professional" not in case_page
    assert "Family Help" in case_page
    outcomes_page = client.get(reverse("case_outcomes", args=[ready_case.pk])).content.decode()
    assert "Lead practitioner" in outcomes_page
    cases_page = client.get(reverse("case_list")).content.decode()
    assert "Lead practitioner" in cases_page and "Lead professional" not in cases_page
    client.logout()
    hub = FamilyHub.objects.create(district=ready_case.district, name="Amberford Family Hub")
    services.episode_hub_set(case=ready_case, acting_user=programme_officer, family_hub=hub)
    signed_in(client, programme_officer)
    response = client.get(reverse("outcomes_return"), {"quarter": _quarter(), "download": "1"})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Lead practitioner" in header


def test_the_default_words_are_the_early_help_ones(client, ready_case, practitioner):
    signed_in(client, practitioner)
    page = client.get(reverse("case_detail", args=[ready_case.pk])).content.decode()
    assert "Lead professional" in page


def test_a_failed_audit_without_notes_keeps_the_choice_and_says_why(
    client, ready_case, programme_officer, auditor
):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    services.claims_sample(period=claim.period, acting_user=auditor)
    signed_in(client, auditor)
    response = client.post(
        reverse("claim_detail", args=[claim.pk]), {"action": "audit", "result": "fail", "notes": ""}
    )
    page = response.content.decode()
    assert "Enter the audit notes" in page
    assert 'value="fail" checked' in page
    claim.refresh_from_db()
    assert claim.status == "in_sample"


def test_preparing_a_claim_for_a_family_not_ready_shows_which_need(
    client, working_case, programme_officer
):
    signed_in(client, programme_officer)
    response = client.post(reverse("prepare_claim", args=[working_case.pk]), {"action": "prepare"})
    assert response.status_code == 200
    assert "Getting a good education: progress is ‘Not started’" in response.content.decode()


def test_list_pages_cost_the_same_queries_however_many_families(
    client,
    ready_case,
    practitioner,
    district_manager,
    programme_officer,
    auditor,
    django_assert_max_num_queries,
):
    def load(user, url):
        client.logout()
        signed_in(client, user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.claim_prepare(case=ready_case, acting_user=programme_officer)
    pages = [
        (programme_officer, reverse("programme_families")),
        (programme_officer, reverse("claim_list")),
        (programme_officer, reverse("outcomes_dashboard")),
        (programme_officer, "/api/v1/outcomes/families/"),
        (programme_officer, f"{reverse('outcomes_return')}?quarter={_quarter()}"),
    ]
    before = [load(user, url) for user, url in pages]
    for _ in range(2):
        case = worked_case(lead=practitioner, manager=district_manager)
        services.needs_from_assessment(case=case, acting_user=practitioner)
        case.review = case.taf_meetings.filter(kind="review", status="held").first()
        sustain_all(case, acting_user=practitioner, since=case.review.held_on)
        services.claim_prepare(case=case, acting_user=programme_officer)
    after = [load(user, url) for user, url in pages]
    assert after == before
    with django_assert_max_num_queries(20):
        client.get(reverse("programme_families"))
    with django_assert_max_num_queries(25):  # the dashboard: a few grouped queries
        client.get(reverse("outcomes_dashboard"))
    with django_assert_max_num_queries(25):  # the return: episodes, needs, claims, distance
        client.get(reverse("outcomes_return"), {"quarter": _quarter()})


def test_the_family_network_plan_feeds_the_family_plan_page(client, working_case, practitioner):
    services.network_meeting_record(
        case=working_case,
        acting_user=practitioner,
        kind="family_network",
        held_on=timezone.localdate() - datetime.timedelta(days=2),
        participants="Nan (grandmother)",
        family_plan="Nan does the school run on Mondays.",
        network_commitments="Nan keeps the calendar of appointments.",
    )
    signed_in(client, practitioner)
    page = client.get(reverse("family_plan", args=[working_case.pk])).content.decode()
    assert "The family network's plan" in page
    assert "Nan does the school run on Mondays." in page


def test_a_nul_in_the_claim_period_gets_a_message_not_a_server_error(
    client, programme_officer, auditor
):
    """A NUL in the period (a crafted link or form) used to give 'problem with the service'
    on the claims list, the audit sample and the batch."""
    signed_in(client, programme_officer)
    assert client.get(reverse("claim_list") + "?period=2026%00").status_code == 200
    batch = client.post(reverse("create_batch"), {"period": "2026\x00-27"}, follow=True)
    assert "There are no passed claims in 2026-27 waiting for a batch" in batch.content.decode()
    client.logout()
    signed_in(client, auditor)
    sample = client.post(reverse("sample_claims"), {"period": "2026\x00-27"}, follow=True)
    assert "There are no prepared claims in 2026-27 to sample" in sample.content.decode()
