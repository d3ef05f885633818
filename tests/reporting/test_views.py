"""Dashboard, indicators and drill-down pages under Access; constant query counts."""

import datetime

import pytest
from django.urls import reverse

from partners.models import Role
from tests import factories
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("actor", "url_name", "status"),
    [
        ("practitioner", "dashboard", 403),
        ("front_door_officer", "dashboard", 403),
        ("consultant", "dashboard", 403),
        ("strategic_viewer", "dashboard", 403),
        ("district_manager", "dashboard", 200),
        ("practitioner", "indicators", 403),
        ("front_door_officer", "indicators", 403),
        ("district_manager", "indicators", 200),
        ("consultant", "indicators", 200),
        ("strategic_viewer", "indicators", 200),
        ("administrator", "indicators", 200),
        ("strategic_viewer", "dashboard_cases", 403),
        ("practitioner", "dashboard_cases", 403),
        ("practitioner", "qa_sample", 403),
        ("district_manager", "qa_sample", 403),
        ("consultant", "qa_sample", 200),
    ],
)
def test_who_may_open_the_reporting_pages(client, request, actor, url_name, status):
    user = request.getfixturevalue(actor)
    response = signed_in(client, user).get(reverse(url_name))
    assert response.status_code == status


def test_the_dashboard_counts_only_the_managers_scope(
    client, district_manager, practitioner, other_practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1), level_of_need=2)
    build.case(lead=practitioner, opened_on=D(2026, 2, 1), level_of_need=3)
    elsewhere = build.case(lead=other_practitioner, opened_on=D(2026, 1, 1), level_of_need=3)

    response = signed_in(client, district_manager).get(reverse("dashboard"))

    load = response.context["load"]
    assert load["total"] == 2
    assert [n for _code, _label, n in load["by_level"]] == [0, 1, 1, 0]
    assert elsewhere.family.name not in response.content.decode()


def test_a_figure_links_to_the_cases_behind_it_within_scope(
    client, district_manager, practitioner, other_practitioner
):
    mine = build.case(lead=practitioner, opened_on=D(2026, 1, 1), level_of_need=3)
    build.case(lead=practitioner, opened_on=D(2026, 1, 1), level_of_need=2)
    theirs = build.case(lead=other_practitioner, opened_on=D(2026, 1, 1), level_of_need=3)

    response = signed_in(client, district_manager).get(
        reverse("dashboard_cases"), {"figure": "open", "level": 3}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in body
    assert theirs.reference not in body
    assert response.context["page"].paginator.count == 1


def test_overdue_assessments_link_to_the_overdue_cases(client, district_manager, practitioner):
    overdue = build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    build.assessment(overdue, started_on=D(2026, 1, 5))
    fresh = build.case(lead=practitioner, opened_on=D(2026, 11, 20))
    build.assessment(fresh, started_on=datetime.date.today())

    client = signed_in(client, district_manager)
    load = client.get(reverse("dashboard")).context["load"]
    listed = client.get(reverse("dashboard_cases"), {"figure": "assessments_overdue"})

    assert load["assessments_overdue"] == 1
    assert [case.pk for case, _ in listed.context["rows"]] == [overdue.pk]


def test_a_manager_cannot_widen_the_scope_with_another_district_filter(
    client, district_manager, other_district, other_practitioner
):
    build.case(lead=other_practitioner, opened_on=D(2026, 1, 1))

    response = signed_in(client, district_manager).get(
        reverse("dashboard"), {"district": other_district.pk}
    )

    # Not a choice for this manager: the form refuses it and the scope stays their own.
    assert response.context["load"]["total"] == 0


def test_strategic_viewers_see_small_numbers_suppressed_and_no_names(
    client, strategic_viewer, practitioner
):
    for _ in range(3):
        build.case(lead=practitioner, opened_on=D(2026, 1, 1))
    family_name = build.case(lead=practitioner, opened_on=D(2026, 1, 1)).family.name

    response = signed_in(client, strategic_viewer).get(reverse("indicators"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-indicator="families_worked_with">&lt;5<' in body
    assert family_name not in body
    assert practitioner.full_name not in body


def test_strategic_viewers_see_numbers_of_5_or_more(client, strategic_viewer, practitioner):
    for _ in range(6):
        build.case(lead=practitioner, opened_on=D(2026, 1, 1))

    body = signed_in(client, strategic_viewer).get(reverse("indicators")).content.decode()

    assert 'data-indicator="families_worked_with">6<' in body


def test_managers_see_real_small_numbers(client, district_manager, practitioner):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1))

    body = signed_in(client, district_manager).get(reverse("indicators")).content.decode()

    assert 'data-indicator="families_worked_with">1<' in body


def test_a_bad_period_is_explained_not_a_server_error(client, district_manager):
    response = signed_in(client, district_manager).get(
        reverse("indicators"), {"start": "2026-09-01", "end": "2026-08-01"}
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_charts_are_accessible_svg_with_the_numbers_as_a_table(
    client, district_manager, practitioner
):
    build.case(lead=practitioner, opened_on=D(2026, 1, 1))

    body = signed_in(client, district_manager).get(reverse("dashboard")).content.decode()

    assert 'role="img"' in body
    assert '<title id="chart-level-title">Open cases by level of need</title>' in body
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Open cases by level of need'
        in body
    )


def _populate(district, agency, lead, cases: int):
    for i in range(cases):
        episode = build.case(lead=lead, opened_on=D(2026, 1, 1) + datetime.timedelta(days=i))
        build.assessment(episode, started_on=D(2026, 2, 1))
        build.plan(episode, created_on=D(2026, 3, 1))
        build.meeting(episode, held_on=D(2026, 4, 1), next_review_on=D(2026, 5, 1))
        build.referral(by=lead, received_on=D(2026, 11, 1))


def test_the_district_dashboard_renders_in_a_constant_number_of_queries(
    client, district_manager, practitioner, eh_team, district, django_assert_max_num_queries
):
    client = signed_in(client, district_manager)
    _populate(district, eh_team, practitioner, 2)
    with django_assert_max_num_queries(25) as small:
        client.get(reverse("dashboard"))
    more_workers = [
        factories.UserFactory(agency=eh_team, districts=[district], role=Role.PRACTITIONER)
        for _ in range(4)
    ]
    for worker in more_workers:
        _populate(district, eh_team, worker, 5)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        client.get(reverse("dashboard"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_indicators_page_renders_in_a_constant_number_of_queries(
    client, district_manager, practitioner, eh_team, district, django_assert_max_num_queries
):
    client = signed_in(client, district_manager)
    _populate(district, eh_team, practitioner, 1)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("indicators"))
    _populate(district, eh_team, practitioner, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("indicators"))
