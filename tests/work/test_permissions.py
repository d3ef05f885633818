"""The permission matrix for every page and endpoint issue 14 adds: role x page -> status."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import meeting_schedule
from oversight.services import consultation_record
from tests.access.conftest import ROLES, world  # noqa: F401 - the matrix's world
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

OK, DENIED, HIDDEN = 200, 403, 404
EVERYONE = dict.fromkeys(ROLES, OK)
CASE_WORK = {
    "practitioner": OK,  # on the TAF, with consent
    "front_door": HIDDEN,
    "team_manager": OK,
    "partner_manager": HIDDEN,
    "consultant": DENIED,  # reads the case, does not work on it
    "strategic": DENIED,
    "administrator": DENIED,
    "administrator_break_glass": DENIED,
}
EXPECTED = {
    "home": EVERYONE,
    "my_work_api": EVERYONE,
    "message_preferences": EVERYONE,
    "record_supervision": {
        **dict.fromkeys(ROLES, DENIED),
        "team_manager": OK,
        "partner_manager": HIDDEN,
    },
    "consultation_log": {
        **dict.fromkeys(ROLES, DENIED),
        "team_manager": OK,
        "partner_manager": OK,  # sees an empty log: not a council team
        "consultant": OK,
    },
    "record_consultation": {**dict.fromkeys(ROLES, DENIED), "consultant": OK},
    "consultation_detail": {
        **dict.fromkeys(ROLES, DENIED),
        "team_manager": OK,
        "partner_manager": HIDDEN,
        "consultant": OK,
    },
    "reschedule_taf_meeting": CASE_WORK,
    "cancel_taf_meeting": CASE_WORK,
    "invite_contributor": CASE_WORK,
}


def _url(name, world):  # noqa: F811
    case = world.cases["in_scope"]
    if name == "my_work_api":
        return "/api/v1/my-work/"
    if name in ("record_supervision", "invite_contributor"):
        return reverse(name, args=[case.pk])
    if name in ("reschedule_taf_meeting", "cancel_taf_meeting"):
        meeting = case.taf_meetings.filter(status="scheduled").first() or meeting_schedule(
            case=case, acting_user=case.lead_professional, scheduled_for=timezone.localdate()
        )
        return reverse(name, args=[case.pk, meeting.pk])
    if name == "consultation_detail":
        consultation = consultation_record(
            acting_user=world.actors["consultant"],
            asked_on=timezone.localdate(),
            asked_by_name="A school nurse",
            asked_by_agency=None,
            question="Should I refer?",
            advice="Yes",
            outcome="make_request",
        )
        return reverse(name, args=[consultation.pk])
    return reverse(name)


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_issue_14_pages_and_endpoints_matrix(client, world, role, page):  # noqa: F811
    url = _url(page, world)
    response = signed_in(client, world.actors[role]).get(url)
    assert response.status_code == EXPECTED[page][role], (role, page)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_signed_out_people_are_sent_to_sign_in_or_refused(client, world, page):  # noqa: F811
    response = client.get(_url(page, world))
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]
