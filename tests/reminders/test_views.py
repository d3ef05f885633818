import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.models import AuditEvent
from reminders.models import DeadlineKind
from tests import factories
from tests.conftest import signed_in

from .conftest import assessment_due, plan_due, referral_due, review_due

pytestmark = pytest.mark.django_db


def overdue_work(lead, district, n=3):
    today = timezone.localdate()
    cases = []
    for i in range(n):
        case = factories.open_case(lead=lead)
        assessment_due(case, today - datetime.timedelta(days=3 + i))
        plan_due(case, today - datetime.timedelta(days=1))
        review_due(case, today + datetime.timedelta(days=5))  # not overdue
        cases.append(case)
    referral_due(district=district, created_by=lead, due_on=today - datetime.timedelta(days=2))
    return cases


def test_a_manager_sees_the_overdue_work_in_their_scope_most_overdue_first(
    client, practitioner, district_manager, district
):
    cases = overdue_work(practitioner, district)
    response = signed_in(client, district_manager).get(reverse("overdue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "All overdue work (7)" in html
    assert "Early Help Assessment (3)" in html and "Triage decision (1)" in html
    assert html.index(cases[2].reference) < html.index(cases[0].reference)
    assert "Priya Shah" in html
    assert cases[0].family.name not in html  # references, not family names


def test_the_overdue_page_filters_by_kind(client, practitioner, district_manager, district):
    overdue_work(practitioner, district)
    response = signed_in(client, district_manager).get(
        reverse("overdue"), {"kind": DeadlineKind.FIRST_TAF}
    )
    assert response.content.decode().count('<tr class="govuk-table__row">') == 1 + 3


def test_a_manager_of_another_district_sees_none_of_it(
    client, practitioner, other_district_manager, district
):
    overdue_work(practitioner, district)
    html = signed_in(client, other_district_manager).get(reverse("overdue")).content.decode()
    assert "All overdue work (0)" in html and "Nothing is overdue" in html


@pytest.mark.parametrize("role_fixture", ["practitioner", "front_door_officer", "consultant"])
def test_only_team_managers_may_open_the_overdue_page(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    assert signed_in(client, user).get(reverse("overdue")).status_code == 403


def test_the_overdue_page_costs_the_same_queries_for_many_cases(
    client, practitioner, district_manager, district, django_assert_max_num_queries
):
    overdue_work(practitioner, district, n=2)
    signed_in(client, district_manager)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("overdue"))
    overdue_work(practitioner, district, n=12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("overdue"))
    assert "All overdue work (" in response.content.decode()


def test_a_user_chooses_a_daily_digest_and_the_change_is_audited(client, practitioner):
    signed_in(client, practitioner)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert 'value="single" checked' in page
    response = client.post(reverse("notification_preferences"), {"delivery": "digest"})
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.digest_reminders is True
    assert AuditEvent.objects.filter(user=practitioner, action="change").exists()
    assert 'value="digest" checked' in client.get(response.url).content.decode()


def test_no_choice_shows_an_error_summary(client, practitioner):
    signed_in(client, practitioner)
    response = client.post(reverse("notification_preferences"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_delivery_0"' in html
