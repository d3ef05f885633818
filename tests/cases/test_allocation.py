"""Allocation from a team's queue (issue 12, point 1): the queue page, allocating a lead,
sending a case to another team, the API contract, and the bad inputs a manager can meet."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services as case_services
from cases import transitions
from cases.models import CaseStatus
from cases.selectors import cases_awaiting_allocation_for
from earlyhelp.errors import EditConflict, FieldError, InvalidTransition
from earlyhelp.models import Notification
from partners.models import Role
from tests import factories
from tests.cases.factories import waiting_case
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(eh_team, front_door_officer):
    return waiting_case(team=eh_team, queued_by=front_door_officer)


def test_manager_sees_waiting_case_with_who_decided_and_why(
    client, district_manager, waiting, front_door_officer
):
    page = signed_in(client, district_manager).get(reverse("allocation_queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert waiting.reference in html and waiting.family.name in html
    assert front_door_officer.full_name in html and "school attendance" in html


def test_allocation_queue_selector_is_empty_for_a_practitioner(practitioner, waiting):
    assert list(cases_awaiting_allocation_for(practitioner)) == []


def test_allocating_opens_the_case_tells_the_lead_and_writes_history(
    client, district_manager, practitioner, waiting
):
    response = signed_in(client, district_manager).post(
        reverse("allocate_case", args=[waiting.pk]),
        {"lead_professional": practitioner.pk, "note": "Please visit this week."},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.OPEN and waiting.lead_professional == practitioner
    note = Notification.objects.get(user=practitioner)
    assert waiting.reference in note.subject and "assessment is due" in note.subject
    moves = [(h.from_status, h.to_status, h.verb) for h in transitions.CASE.history_of(waiting)]
    assert moves == [
        ("", "awaiting_allocation", "create"),
        ("awaiting_allocation", "open", "allocate"),
    ]
    # the new lead now reads the case
    lead_page = signed_in(APIClient(), practitioner).get(f"/api/v1/cases/{waiting.pk}/")
    assert lead_page.status_code == 200


def test_allocating_to_someone_who_has_left_says_so_next_to_the_field(
    client, district_manager, practitioner, waiting
):
    practitioner.is_active = False
    practitioner.save()
    with pytest.raises(FieldError, match="has left"):
        case_services.case_allocate(
            case=waiting, lead_professional=practitioner, acting_user=district_manager
        )
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.AWAITING_ALLOCATION


def test_two_managers_allocating_at_once_the_second_is_told_who_won(
    district_manager, practitioner, eh_team, district, waiting
):
    second = factories.UserFactory(role=Role.TEAM_MANAGER, agency=eh_team, districts=[district])
    stale = type(waiting).objects.get(pk=waiting.pk)
    case_services.case_allocate(
        case=waiting, lead_professional=practitioner, acting_user=district_manager
    )
    with pytest.raises(EditConflict, match=district_manager.full_name):
        case_services.case_allocate(case=stale, lead_professional=second, acting_user=second)


def test_sending_to_another_team_needs_a_reason_and_moves_the_queue(
    client, district_manager, waiting, school
):
    client = signed_in(client, district_manager)
    url = reverse("send_case_to_team", args=[waiting.pk])
    empty = client.post(url, {"agency": school.pk, "reason": ""})
    assert empty.status_code == 400 and "Enter why" in empty.content.decode()
    done = client.post(url, {"agency": school.pk, "reason": "The school knows the family best."})
    assert done.status_code == 302
    waiting.refresh_from_db()
    assert waiting.lead_agency == school and waiting.status == CaseStatus.AWAITING_ALLOCATION
    assert waiting.queued_reason == "The school knows the family best."


def test_handover_on_a_case_with_no_lead_is_refused_with_a_message(
    district_manager, practitioner, waiting
):
    from earlyhelp.errors import DomainError

    with pytest.raises(DomainError, match="no lead professional yet"):
        case_services.lead_professional_handover(
            case=waiting, to_user=practitioner, acting_user=district_manager, note="Over to you"
        )


# --- API contract -------------------------------------------------------------------------


def test_api_allocate_answers_200_with_the_open_case(district_manager, practitioner, waiting):
    api = signed_in(APIClient(), district_manager)
    response = api.post(
        f"/api/v1/cases/{waiting.pk}/allocate/",
        {"lead_professional": practitioner.pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert response.json()["lead_professional"] == practitioner.pk


def test_api_allocate_400_with_field_message_when_user_may_not_lead(
    district_manager, waiting, school
):
    teacher = factories.UserFactory(agency=school)
    response = signed_in(APIClient(), district_manager).post(
        f"/api/v1/cases/{waiting.pk}/allocate/", {"lead_professional": teacher.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cannot lead this case" in response.json()["lead_professional"][0]


def test_api_allocate_409_when_not_waiting(district_manager, practitioner, waiting):
    api = signed_in(APIClient(), district_manager)
    url = f"/api/v1/cases/{waiting.pk}/allocate/"
    assert api.post(url, {"lead_professional": practitioner.pk}, format="json").status_code == 200
    again = api.post(url, {"lead_professional": practitioner.pk}, format="json")
    assert again.status_code == 409


def test_api_allocate_404_out_of_scope(waiting, practitioner, other_district):
    other_team = factories.EarlyHelpTeamFactory(name="Elsewhere team")
    stranger = factories.UserFactory(
        role=Role.TEAM_MANAGER, agency=other_team, districts=[other_district]
    )
    response = signed_in(APIClient(), stranger).post(
        f"/api/v1/cases/{waiting.pk}/allocate/", {"lead_professional": practitioner.pk}
    )
    assert response.status_code == 404


def test_api_eligible_leads_lists_the_team(district_manager, practitioner, waiting, school):
    factories.UserFactory(agency=school, full_name="Not In Team")
    response = signed_in(APIClient(), district_manager).get(
        f"/api/v1/cases/{waiting.pk}/eligible-leads/"
    )
    names = [row["full_name"] for row in response.json()]
    assert practitioner.full_name in names and "Not In Team" not in names


def test_the_schema_shows_eligible_leads_as_the_plain_list_it_is(district_manager):
    """The schema showed a page ({count, next, previous, results}) for what is a list."""
    from django.urls import reverse

    api = signed_in(APIClient(), district_manager)
    schema = api.get(reverse("api_schema") + "?format=json").json()
    path = schema["paths"]["/api/v1/cases/{id}/eligible-leads/"]["get"]
    answer = path["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array" and answer["items"]["$ref"].endswith("/LeadOutput")


def test_closing_an_already_closed_case_is_an_invalid_transition(practitioner):
    case = factories.closed_case(lead=practitioner)
    with pytest.raises(InvalidTransition):
        transitions.CASE.check(case, "close")


def test_a_case_waiting_too_long_is_escalated_once_per_stage_and_shows_as_overdue(
    eh_team, front_door_officer, district_manager, practitioner, client
):
    import datetime

    from django.utils import timezone

    from reminders import services as reminders
    from reminders.models import DeadlineKind, ReminderOccurrence, Stage

    today = timezone.localdate()
    old = waiting_case(
        team=eh_team, queued_by=front_door_officer, opened_on=today - datetime.timedelta(days=21)
    )
    fresh = waiting_case(team=eh_team, queued_by=front_door_officer, opened_on=today)
    reminders.reminders_sweep(today=today, use_lock=False)
    reminders.reminders_sweep(today=today, use_lock=False)
    rows = ReminderOccurrence.objects.filter(kind=DeadlineKind.ALLOCATION)
    assert sorted(rows.values_list("record_id", "stage", "recipient_id")) == [
        (old.pk, Stage.ESCALATION, district_manager.pk),
        (old.pk, Stage.OVERDUE, district_manager.pk),
    ]
    assert not rows.filter(recipient=practitioner).exists()
    overdue = signed_in(client, district_manager).get(reverse("overdue"))
    assert old.reference in overdue.content.decode()
    assert fresh.reference not in overdue.content.decode()
    case_services.case_allocate(
        case=old, lead_professional=practitioner, acting_user=district_manager
    )
    overdue = client.get(reverse("overdue"))
    assert old.reference not in overdue.content.decode()
