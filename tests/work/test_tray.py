"""The work tray: each role's home page and GET /api/v1/my-work/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import signed_in
from work.kinds import TrayKind
from work.tray import work_tray_for

from .conftest import build_lead_work, days

pytestmark = pytest.mark.django_db

OPEN_IDS_SQL = 'SELECT "cases_earlyhelpcase"."id" AS "pk" FROM "cases_earlyhelpcase" '

LEAD_KINDS = {
    "assessment_start",
    "assessment_submit",
    "assessment_correct",
    "first_taf",
    "meeting",
    "review",
    "action",
    "consent",
    "handover",
}


def test_a_practitioners_tray_holds_every_kind_of_their_work_overdue_first(practitioner, lead_work):
    tray = work_tray_for(practitioner, today=timezone.localdate())
    kinds = {item.kind for item in tray.items}
    assert kinds >= LEAD_KINDS
    flags = [item.overdue for item in tray.items]
    assert flags == sorted(flags, reverse=True), "overdue items come first"
    overdue = [i for i in tray.items if i.overdue]
    assert {i.kind for i in overdue} >= {"assessment_start", "first_taf", "review", "action"}
    assert all(i.working_days < 0 for i in overdue)
    action = next(i for i in tray.items if i.kind == "action")
    assert action.reference == lead_work["colleague"].reference
    assert action.url == reverse("family_plan", args=[lead_work["colleague"].pk])


def test_the_home_page_is_the_tray_and_links_to_where_the_work_is_done(
    client, practitioner, lead_work
):
    page = signed_in(client, practitioner).get(reverse("home")).content.decode()
    assert "Your work" in page
    assert reverse("edit_assessment", args=[lead_work["returned"].pk]) in page
    assert "Correct the returned Early Help Assessment" in page
    assert "Overdue by" in page


def test_my_work_api_gives_the_contract_fields_overdue_first(client, practitioner, lead_work):
    response = signed_in(client, practitioner).get("/api/v1/my-work/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results
    kinds = set(TrayKind.values)
    for row in results:
        assert {"kind", "due_date", "overdue", "working_days", "case", "url"} <= set(row)
        assert row["kind"] in kinds and isinstance(row["overdue"], bool)
        assert isinstance(row["working_days"], int) and row["url"].startswith("/")
        assert row["case"] is None or row["case"].startswith("EH-")
        assert client.get(row["url"]).status_code == 200, row  # one click to the work
        assert (row["working_days"] < 0) == row["overdue"] or row["due_date"] == str(
            timezone.localdate()
        )
    overdue = [row["overdue"] for row in results]
    assert overdue == sorted(overdue, reverse=True)
    first = results[0]
    assert first["overdue"] is True and first["case"].startswith("EH-")
    assert datetime.date.fromisoformat(first["due_date"]) < timezone.localdate()


def test_the_tray_costs_the_same_queries_with_more_cases(
    client, practitioner, colleague, eh_team, django_assert_max_num_queries
):
    build_lead_work(practitioner, colleague, eh_team)
    signed_in(client, practitioner)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/my-work/")
    for _ in range(3):
        build_lead_work(practitioner, colleague, eh_team)
    with django_assert_max_num_queries(len(small)):
        assert len(client.get("/api/v1/my-work/").json()["results"]) > 20
    with django_assert_max_num_queries(len(small) + 12):
        client.get(reverse("home"))


def test_a_manager_sees_allocation_sign_off_drift_leavers_and_supervision(
    client, district_manager, practitioner, colleague, eh_team, district
):
    from assessments.models import Assessment
    from cases import services as case_services
    from cases.models import EarlyHelpCase
    from tests.reminders.conftest import quiet_case

    family = factories.family_with_children(district=district)
    waiting = case_services.case_open(
        family=family,
        children=[],
        lead_agency=eh_team,
        lead_professional=None,
        level_of_need=3,
        opened_on=days(-10),
        acting_user=district_manager,
    )
    submitted = factories.open_case(lead=practitioner, opened_on=days(-20))
    Assessment.objects.create(
        case=submitted,
        status="submitted",
        started_on=days(-20),
        due_on=days(5),
        submitted_at=timezone.now() - datetime.timedelta(days=8),
        created_by=practitioner,
    )
    build_lead_work(practitioner, colleague, eh_team)
    quiet_case(factories.open_case(lead=practitioner), 45)
    long_open = factories.open_case(lead=practitioner, opened_on=days(-400))
    leaver = factories.UserFactory(agency=eh_team, districts=[district])
    left_behind = factories.open_case(lead=leaver)
    leaver.is_active = False
    leaver.save()
    tray = work_tray_for(district_manager, today=timezone.localdate())
    kinds = {i.kind for i in tray.items}
    assert {
        "allocation",
        "signoff",
        "overdue_work",
        "drift",
        "long_open",
        "leaver_case",
        "supervision",
    } <= kinds
    by_kind = {(i.kind, i.case_id) for i in tray.items}
    assert ("allocation", waiting.pk) in by_kind
    assert ("signoff", submitted.pk) in by_kind
    assert ("long_open", long_open.pk) in by_kind
    assert ("leaver_case", left_behind.pk) in by_kind
    signoff = next(i for i in tray.items if i.kind == "signoff")
    assert signoff.overdue  # submitted 8 days ago, 5 working days to sign off
    assert EarlyHelpCase.objects.filter(pk=waiting.pk, status="awaiting_allocation").exists()
    page = signed_in(client, district_manager).get(reverse("home")).content.decode()
    assert "Supervision" in page and "were supervised in the last" in page


def test_a_front_door_officer_sees_the_queue_against_its_targets(
    client, front_door_officer, district
):
    from tests.reminders.conftest import referral_due

    late = referral_due(district=district, created_by=front_door_officer, due_on=days(-2))
    referral_due(district=district, created_by=front_door_officer, due_on=days(3))
    tray = work_tray_for(front_door_officer, today=timezone.localdate())
    assert [i.reference for i in tray.items if i.kind == "triage"][0] == late.reference
    figures = dict(tray.figures)
    assert figures["Requests waiting for a decision"] == 2
    assert figures["Past their decision target"] == 1
    page = signed_in(client, front_door_officer).get(reverse("home")).content.decode()
    assert "The triage queue against its targets" in page


def test_a_strategic_viewer_sees_numbers_and_never_a_name(
    client, strategic_viewer, practitioner, colleague, eh_team
):
    cases = build_lead_work(practitioner, colleague, eh_team)
    page = signed_in(client, strategic_viewer).get(reverse("home")).content.decode()
    assert "Figures for your districts" in page
    for case in cases.values():
        assert case.family.name not in page and case.reference not in page
    assert client.get("/api/v1/my-work/").json()["results"] == []


def test_an_administrator_sees_leavers_who_still_hold_work_without_the_cases(
    client, administrator, practitioner, colleague, eh_team
):
    cases = build_lead_work(practitioner, colleague, eh_team)
    practitioner.is_active = False
    practitioner.save()
    page = signed_in(client, administrator).get(reverse("home")).content.decode()
    assert "Priya Shah: leads 4 open cases, on 1 TAF" in page
    for case in cases.values():
        assert case.family.name not in page and case.reference not in page


def test_my_cases_shows_the_next_due_date_and_sorts_by_it(client, practitioner, lead_work):
    signed_in(client, practitioner)
    page = client.get(reverse("case_list"), {"status": "open", "sort": "next_due"})
    assert page.status_code == 200
    rows = page.context["page"].object_list
    dues = [c.next_due for c in rows if c.next_due]
    assert dues == sorted(dues)
    html = page.content.decode()
    assert "Next due" in html and "Overdue by" in html
    latest_first = client.get(reverse("case_list"), {"status": "open", "sort": "-next_due"})
    dues = [c.next_due for c in latest_first.context["page"].object_list if c.next_due]
    assert dues == sorted(dues, reverse=True)


def test_a_managers_tray_costs_the_same_queries_with_more_cases(
    client, district_manager, practitioner, colleague, eh_team, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_lead_work(practitioner, colleague, eh_team)
    signed_in(client, district_manager)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    # The open cases' ids are read once (two queries), for the items and the supervision
    # figure alike; the whole page is pinned so a query added per kind shows here.
    open_ids = [q for q in small.captured_queries if q["sql"].startswith(OPEN_IDS_SQL)]
    assert len(open_ids) == 2
    assert len(small) <= 25
    for _ in range(3):
        build_lead_work(practitioner, colleague, eh_team)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse("home")).status_code == 200


def test_a_trays_links_are_what_reverse_gives():
    from work.tray import Links

    link = Links()
    for case_id in (7, 123456):
        assert link("case_detail", case_id) == reverse("case_detail", args=[case_id])
        assert link("taf_meeting_detail", case_id, 12) == reverse(
            "taf_meeting_detail", args=[case_id, 12]
        )
    assert link("home") == reverse("home")
