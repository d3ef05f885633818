"""The signposting report (issue 18 point 2): services families were signposted to, from a
front door decision, a plan action or a closure, counted by service, headline need,
district and hub for a period; managers see their scope, strategic viewers the whole
authority with small numbers suppressed; a CSV download; constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import PlanAction, PlanOutcome
from cases.models import Need
from directory.models import ServiceNeed
from earlyhelp.models import AuditAction, AuditEvent
from partners.models import FamilyHub, Service
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = {"start": "2026-07-01", "end": "2026-09-30"}
AUG_1, AUG_3, AUG_5 = D(2026, 8, 1), D(2026, 8, 3), D(2026, 8, 5)


@pytest.fixture
def directory(district):
    hub = FamilyHub.objects.create(district=district, name="Amberford Family Hub")
    play = Service.objects.create(name="Stay and play", family_hub=hub)
    money = Service.objects.create(name="Money advice line")
    ServiceNeed.objects.create(
        service=play, need=Need.objects.get(framework="supporting_families", code="early_years")
    )
    ServiceNeed.objects.create(
        service=money,
        need=Need.objects.get(framework="supporting_families", code="financial_stability"),
    )
    return play, money


def closure(lead, services, *, on=AUG_1):
    the_case = build.case(lead=lead, opened_on=D(2026, 1, 5))
    build.close(the_case, closed_on=on, reason="stepped_down")
    the_case.closure.signposted_services.set(services)
    return the_case


def plan_action(lead, services, *, on=AUG_3):
    the_case = build.case(lead=lead, opened_on=D(2026, 1, 5))
    plan = build.plan(the_case, created_on=D(2026, 1, 20))
    outcome = PlanOutcome.objects.create(plan=plan, text="Fewer worries", created_on=on)
    action = PlanAction.objects.create(
        outcome=outcome, what="Call", owner_is_family=True, set_on=on, due_on=on
    )
    action.services.set(services)


def decision(by, services, *, on=AUG_5):
    referral = build.referral(by=by, received_on=on)
    build.decide(referral, outcome="signposting", decided_on=on, by=by).signposted_services.set(
        services
    )


@pytest.fixture
def signposted(directory, practitioner, other_practitioner, front_door_officer):
    play, money = directory
    for _ in range(3):
        closure(practitioner, [play, money])
    plan_action(practitioner, [money])
    decision(front_door_officer, [play])
    closure(other_practitioner, [money])  # another district
    closure(practitioner, [play], on=D(2026, 4, 1))  # before the period
    return play, money


def test_a_manager_sees_signposting_in_their_scope_by_service_need_district_and_hub(
    client, district_manager, signposted
):
    response = signed_in(client, district_manager).get(reverse("signposting_report"), Q3)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total == 8
    assert report.by_route == [
        ("Front door decisions (information and signposting)", 1),
        ("Plan actions", 1),
        ("Closures (stepped down to universal services)", 6),
    ]
    assert report.by_service == [
        ("Stay and play", 4, "Amberford Family Hub"),
        ("Money advice line", 4, "Not at a family hub"),
    ] or report.by_service == [
        ("Money advice line", 4, "Not at a family hub"),
        ("Stay and play", 4, "Amberford Family Hub"),
    ]
    needs = dict(report.by_need)
    assert needs[Need.objects.get(code="early_years").label] == 4
    assert needs[Need.objects.get(code="financial_stability").label] == 4
    assert report.by_district == [("Amberford", 8)]
    assert dict(report.by_hub) == {"Amberford Family Hub": 4, "Not at a family hub": 4}
    page = response.content.decode()
    assert "Stay and play" in page and "Amberford Family Hub" in page


def test_a_strategic_viewer_sees_the_authority_with_small_numbers_suppressed(
    client, strategic_viewer, signposted
):
    response = signed_in(client, strategic_viewer).get(reverse("signposting_report"), Q3)
    report = response.context["report"]
    assert report.total == 9  # both districts
    # 1 in Brackenmoor is hidden, and so is Amberford's 8, which would give it away.
    assert dict(report.by_district) == {"Amberford": "[c]", "Brackenmoor": "<5"}
    assert dict((name, n) for name, n, _hub in report.by_service) == {
        "Money advice line": "[c]",
        "Stay and play": "<5",
    }
    routes = dict(report.by_route)
    assert routes["Plan actions"] == "<5"
    assert routes["Front door decisions (information and signposting)"] == "<5"
    page = response.content.decode()
    assert "&lt;5" in page and "Brackenmoor" in page


def test_the_counts_download_as_csv_suppressed_and_audited(client, strategic_viewer, signposted):
    response = signed_in(client, strategic_viewer).get(
        reverse("signposting_download", args=["csv"]), Q3
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "Breakdown,Item,Times signposted,Family hub of the service"
    assert "District,Brackenmoor,<5," in body
    assert "Service,Money advice line,[c],Not at a family hub" in body
    assert "Service,Stay and play,<5,Amberford Family Hub" in body
    assert AuditEvent.objects.filter(
        user=strategic_viewer, action=AuditAction.EXPORT, record_type="signposting"
    ).exists()
    xlsx = signed_in(client, strategic_viewer).get(
        reverse("signposting_download", args=["xlsx"]), Q3
    )
    assert xlsx.status_code == 200
    other = signed_in(client, strategic_viewer).get("/reporting/signposting.pdf")
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("practitioner", 403),
        ("front_door_officer", 403),
        ("district_manager", 200),
        ("consultant", 200),
        ("strategic_viewer", 200),
        ("administrator", 200),
    ],
)
def test_who_may_see_signposting_and_find_it_in_the_navigation(client, request, actor, status):
    c = signed_in(client, request.getfixturevalue(actor))
    assert c.get(reverse("signposting_report")).status_code == status
    assert c.get(reverse("signposting_download", args=["csv"])).status_code == status
    home = c.get(reverse("directory_search")).content.decode()
    assert (reverse("signposting_report") in home) == (status == 200)


def test_the_report_costs_the_same_queries_however_much_was_signposted(
    client, strategic_viewer, directory, practitioner, front_door_officer
):
    play, money = directory
    c = signed_in(client, strategic_viewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert c.get(reverse("signposting_report"), Q3).status_code == 200
        return len(captured)

    closure(practitioner, [play])
    few = queries()
    for i in range(6):
        closure(practitioner, [play, money])
        plan_action(practitioner, [money])
        decision(front_door_officer, [play, money])
        Service.objects.create(name=f"Extra {i}")
    closure(practitioner, list(Service.objects.filter(name__startswith="Extra")))
    assert queries() == few
