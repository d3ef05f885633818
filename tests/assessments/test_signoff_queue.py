"""Manager sign-off as a queue (issue 12, point 5) and consent before assessment (point 4)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import AssessmentStatus
from assessments.sections import AREAS, PROMPTS, SCALING, area_field, voice_field
from assessments.selectors import assessments_awaiting_signoff_for
from cases.models import Need
from earlyhelp.errors import DomainError
from earlyhelp.models import Notification
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def child_voices(case) -> dict:
    """The voice of each child in the assessment, which submitting needs."""
    return {voice_field(child.pk): "Wants calmer mornings." for child in case.children.all()}


def complete(assessment, lead):
    content = {"analysis": "Mornings are hard; school is worried."}
    for area in AREAS:
        for prompt, _ in PROMPTS:
            content[area_field(area.code, prompt)] = "Notes"
        content[area_field(area.code, SCALING[0])] = "5"
    content.update(child_voices(assessment.case))
    return services.assessment_save(
        assessment=assessment,
        acting_user=lead,
        lock_version=assessment.lock_version,
        content=content,
        need_ids=[Need.objects.filter(active=True).first().pk],
    )


@pytest.fixture
def submitted(assessment, practitioner, district_manager):
    saved = complete(assessment, practitioner)
    return services.assessment_submit(
        assessment=saved, acting_user=practitioner, lock_version=saved.lock_version
    )


def test_submitting_tells_the_manager_and_fills_the_queue(submitted, district_manager, client):
    assert Notification.objects.filter(user=district_manager, subject__contains="sign-off")
    assert list(assessments_awaiting_signoff_for(district_manager)) == [submitted]
    page = signed_in(client, district_manager).get(reverse("signoff_queue"))
    assert page.status_code == 200 and submitted.case.reference in page.content.decode()


def test_queue_is_empty_for_practitioners_and_other_districts(
    submitted, practitioner, other_district
):
    other = factories.UserFactory(
        role="team_manager",
        agency=factories.EarlyHelpTeamFactory(name="Other team"),
        districts=[other_district],
    )
    assert list(assessments_awaiting_signoff_for(practitioner)) == []
    assert list(assessments_awaiting_signoff_for(other)) == []


def test_returning_tells_the_lead_what_to_change(submitted, district_manager, practitioner):
    services.assessment_return(
        assessment=submitted, acting_user=district_manager, comment="Add the child's voice."
    )
    note = Notification.objects.get(user=practitioner, subject__contains="returned")
    assert note.body == "What to change: Add the child's voice."
    assert list(assessments_awaiting_signoff_for(district_manager)) == []
    moves = [c.verb for c in submitted.status_changes.all()]
    assert moves == ["create", "submit", "return"]


def test_api_submit_and_sign_off(assessment, practitioner, district_manager):
    saved = complete(assessment, practitioner)
    lead_api = signed_in(APIClient(), practitioner)
    response = lead_api.post(
        f"/api/v1/assessments/{saved.pk}/submit/",
        {"lock_version": saved.lock_version},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    manager_api = signed_in(APIClient(), district_manager)
    signed = manager_api.post(f"/api/v1/assessments/{saved.pk}/sign-off/", {}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == AssessmentStatus.SIGNED_OFF


def test_an_assessment_cannot_start_without_consent(practitioner, client):
    case = factories.open_case(
        lead=practitioner, opened_on=datetime.date(2026, 11, 2), consent_agencies=None
    )
    with pytest.raises(DomainError, match="consent"):
        services.assessment_start(case=case, acting_user=practitioner)
    page = signed_in(client, practitioner).get(reverse("case_detail", args=[case.pk]))
    html = page.content.decode()
    assert "needs the family&#x27;s consent" in html or "needs the family's consent" in html
    assert reverse("record_consent", args=[case.pk]) in html


def test_an_assessment_cannot_be_submitted_once_consent_is_withdrawn(assessment, practitioner):
    from cases import services as case_services

    saved = complete(assessment, practitioner)
    for consent in saved.case.consents.all():
        case_services.consent_withdraw(
            consent=consent,
            withdrawn_on=consent.given_on,
            note="Family withdrew",
            acting_user=practitioner,
        )
    with pytest.raises(DomainError, match="consent"):
        services.assessment_submit(
            assessment=saved, acting_user=practitioner, lock_version=saved.lock_version
        )


def test_the_assessment_of_a_closed_case_is_not_sent_back_for_changes(
    submitted, district_manager, practitioner
):
    from django.utils import timezone

    from cases.services import case_close

    case_close(
        case=submitted.case,
        acting_user=practitioner,
        reason="needs_met",
        closed_on=timezone.localdate(),
        family_view="improved",
    )
    with pytest.raises(DomainError, match="This case is closed"):
        services.assessment_return(
            assessment=submitted, acting_user=district_manager, comment="Add the child's voice."
        )
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED
