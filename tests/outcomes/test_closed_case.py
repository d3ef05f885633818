"""A closed case takes no new needs, network meetings or review progress: only progress at
closure is recorded after it (the "may record work on this case" check, ADR 0006)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import MeetingStatus, TafMeeting
from cases.services import case_close
from earlyhelp.errors import DomainError
from outcomes import services
from outcomes.models import EvidenceSource, FamilyNeed, FamilyNetworkMeeting
from tests.conftest import signed_in
from tests.outcomes.conftest import worked_case

CLOSED = "This case is closed"


@pytest.fixture
def closed_case(practitioner, district_manager):
    case = worked_case(lead=practitioner, manager=district_manager, needs=["education", "housing"])
    services.needs_from_assessment(case=case, acting_user=practitioner)
    case_close(
        case=case,
        acting_user=practitioner,
        reason="needs_met",
        closed_on=timezone.localdate(),
        family_view="improved",
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("who", ["practitioner", "district_manager", "programme_officer"])
def test_no_one_records_a_new_need_on_a_closed_case(closed_case, who, request):
    with pytest.raises(DomainError, match=CLOSED):
        services.need_add(
            case=closed_case,
            acting_user=request.getfixturevalue(who),
            headline_code="crime",
            evidence="Police data match: two call-outs in March.",
            source=EvidenceSource.DATA_MATCH,
            identified_on=closed_case.opened_on,
        )
    assert not FamilyNeed.objects.filter(episode__case=closed_case, headline__code="crime").exists()


def test_needs_are_not_carried_over_from_the_assessment_once_closed(closed_case, practitioner):
    with pytest.raises(DomainError, match=CLOSED):
        services.needs_from_assessment(case=closed_case, acting_user=practitioner)


def test_no_family_network_meeting_is_recorded_on_a_closed_case(closed_case, practitioner):
    with pytest.raises(DomainError, match=CLOSED):
        services.network_meeting_record(
            case=closed_case,
            acting_user=practitioner,
            kind="family_network",
            held_on=timezone.localdate(),
            participants="Nan and Uncle Joe.",
            family_plan="Nan has the children on Tuesdays.",
            network_commitments="Uncle Joe helps with the budget.",
        )
    assert not FamilyNetworkMeeting.objects.filter(case=closed_case).exists()


def test_progress_is_recorded_at_closure_not_at_a_review_once_closed(closed_case, practitioner):
    need = FamilyNeed.objects.filter(episode__case=closed_case).first()
    review = TafMeeting.objects.filter(case=closed_case, status=MeetingStatus.HELD).first()
    with pytest.raises(DomainError, match="record the progress at closure"):
        services.progress_record(
            need=need,
            acting_user=practitioner,
            status="improving",
            evidence="At the last review.",
            meeting=review,
        )
    row = services.progress_record(
        need=need,
        acting_user=practitioner,
        status="significant",
        evidence="At closure.",
        at_closure=True,
    )
    assert row.at_closure


def test_the_need_page_of_a_closed_case_says_so_and_records_nothing(
    client, closed_case, practitioner
):
    signed_in(client, practitioner)
    response = client.post(
        reverse("add_need", args=[closed_case.pk]),
        {
            "headline": "crime",
            "evidence": "Police data match.",
            "source": EvidenceSource.DATA_MATCH,
            "identified_on": closed_case.opened_on.isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Need recorded." not in page
    assert "This case is closed. To work with the family again, make a new request." in page
    assert not FamilyNeed.objects.filter(episode__case=closed_case, headline__code="crime").exists()


def test_the_outcomes_page_of_a_closed_case_offers_progress_at_closure_only(
    client, closed_case, practitioner
):
    signed_in(client, practitioner)
    page = client.get(reverse("case_outcomes", args=[closed_case.pk])).content.decode()
    assert "Record progress" in page
    assert reverse("add_need", args=[closed_case.pk]) not in page
    assert reverse("needs_from_assessment", args=[closed_case.pk]) not in page
    assert reverse("add_network_meeting", args=[closed_case.pk]) not in page
