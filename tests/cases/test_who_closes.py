"""Closing a case is the lead professional's (or a team manager's), as handing over is: a
TAF member from another agency records work on the case but cannot close it or request its
closure, on the page or through the API, and the case page offers them no link to."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import CaseStatus, ClosureRequest
from earlyhelp.errors import DomainError
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
REFUSED = "Only the lead professional or a team manager can close the case."
ANSWERS = {
    "reason": "needs_met",
    "closed_on": TODAY.isoformat(),
    "family_view": "improved",
    "summary": "Mornings are calm.",
}


@pytest.fixture
def case(practitioner, school):
    return factories.open_case(
        lead=practitioner,
        opened_on=TODAY - datetime.timedelta(days=60),
        consent_agencies=[school],
    )


@pytest.fixture
def teacher(case, school, district, practitioner):
    user = factories.UserFactory(full_name="Tess Teacher", agency=school, districts=[district])
    case_services.taf_member_add(case=case, user=user, agency=school, acting_user=practitioner)
    return user


def _still_open(case):
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert not ClosureRequest.objects.filter(case=case).exists()


@pytest.mark.parametrize("level", [2, 3])  # closes at once / waits for authorisation
def test_a_taf_member_cannot_close_or_request_closure_in_the_service(case, teacher, level):
    case.level_of_need = level
    case.save(update_fields=["level_of_need"])
    with pytest.raises(DomainError, match=REFUSED):
        case_services.case_close(
            case=case,
            acting_user=teacher,
            reason="needs_met",
            closed_on=TODAY,
            family_view="improved",
        )
    _still_open(case)


def test_a_taf_member_is_refused_the_closure_page(case, teacher, client):
    url = reverse("close_case", args=[case.pk])
    signed_in(client, teacher)
    response = client.get(url, follow=True)
    assert REFUSED in html.unescape(response.content.decode())
    assert "Check your answers" not in response.content.decode()
    response = client.post(url, {**ANSWERS, "confirm": "yes"}, follow=True)
    page = html.unescape(response.content.decode())
    assert REFUSED in page and "Case closed." not in page
    _still_open(case)


def test_a_taf_member_is_refused_by_the_closures_api(case, teacher):
    response = signed_in(APIClient(), teacher).post(
        "/api/v1/closures/", {"case": case.pk, **ANSWERS}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == REFUSED
    _still_open(case)


def test_the_case_page_offers_a_taf_member_only_what_they_may_do(case, teacher, client):
    page = signed_in(client, teacher).get(reverse("case_detail", args=[case.pk])).content
    page = page.decode()
    assert reverse("add_case_note", args=[case.pk]) in page  # still records work
    for name in ("close_case", "handover_lead_professional", "change_level_of_need"):
        assert reverse(name, args=[case.pk]) not in page


def test_the_lead_and_a_team_manager_are_offered_and_may_close(
    case, teacher, practitioner, district_manager, client
):
    for user in (practitioner, district_manager):
        page = signed_in(client, user).get(reverse("case_detail", args=[case.pk]))
        page = page.content.decode()
        for name in ("close_case", "handover_lead_professional", "change_level_of_need"):
            assert reverse(name, args=[case.pk]) in page
    response = client.post(reverse("close_case", args=[case.pk]), {**ANSWERS, "confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


@pytest.mark.parametrize(
    "page, refused",
    [
        ("handover_lead_professional", "can hand over the case."),
        ("change_level_of_need", "can change the level."),
    ],
)
def test_a_taf_member_who_types_the_address_is_told_before_filling_the_form_in(
    case, teacher, practitioner, client, page, refused
):
    """The case page offers them no link; an address typed or bookmarked is refused before
    anything is typed (as the closure page is), not after the form is sent."""
    url = reverse(page, args=[case.pk])

    response = signed_in(client, teacher).get(url, follow=True)

    text = html.unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == reverse("case_detail", args=[case.pk])
    assert f"Only the lead professional or a team manager {refused}" in text
    lead = signed_in(client, practitioner).get(url)
    assert lead.status_code == 200  # the lead still gets the form
