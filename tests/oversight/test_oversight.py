"""Supervision on the case, the supervision indicator, the consultation log and invited
contributors to an assessment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import AssessmentContributor
from earlyhelp.models import Notification
from oversight import selectors, services
from oversight.models import Consultation, Supervision
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def case(practitioner, eh_team):
    return factories.open_case(lead=practitioner, opened_on=days(-60), consent_agencies=[eh_team])


def test_a_manager_records_supervision_on_the_case_and_it_shows_there(
    client, district_manager, case
):
    signed_in(client, district_manager)
    url = reverse("record_supervision", args=[case.pk])
    bad = client.post(
        url,
        {
            "kind": "supervision",
            "held_on": str(days(-1)),
            "discussion": "Attendance is improving",
            "decisions": "",
            "next_supervision_on": str(days(-5)),
        },
    )
    assert bad.status_code == 400
    assert "Enter the decisions and actions" in bad.content.decode()
    assert "Attendance is improving" in bad.content.decode()
    assert not Supervision.objects.exists()
    good = client.post(
        url,
        {
            "kind": "supervision",
            "held_on": str(days(-1)),
            "discussion": "Attendance is improving",
            "decisions": "Keep the plan; ask school for figures",
            "next_supervision_on": str(days(27)),
        },
    )
    assert good.status_code == 302
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Keep the plan; ask school for figures" in page
    assert "Record supervision" in page


def test_the_next_supervision_must_come_after_this_one(district_manager, case):
    from earlyhelp.errors import DomainError

    with pytest.raises(DomainError, match="must be after this one"):
        services.supervision_record(
            case=case,
            acting_user=district_manager,
            kind="oversight",
            held_on=days(-1),
            discussion="x",
            decisions="y",
            next_supervision_on=days(-2),
        )


def test_practitioners_and_managers_elsewhere_cannot_record_supervision(
    client, practitioner, case, other_district
):
    assert (
        signed_in(client, practitioner)
        .get(reverse("record_supervision", args=[case.pk]))
        .status_code
        == 403
    )
    elsewhere = factories.UserFactory(
        role="team_manager",
        agency=factories.EarlyHelpTeamFactory(),
        districts=[other_district],
    )
    assert (
        signed_in(client, elsewhere).get(reverse("record_supervision", args=[case.pk])).status_code
        == 404
    )


def test_the_indicator_counts_cases_supervised_within_the_interval(
    district_manager, practitioner, case, eh_team
):
    never = factories.open_case(lead=practitioner, opened_on=days(-60))
    long_ago = factories.open_case(lead=practitioner, opened_on=days(-90))
    for c, held in ((case, days(-3)), (long_ago, days(-45))):
        services.supervision_record(
            case=c,
            acting_user=district_manager,
            kind="supervision",
            held_on=held,
            discussion="d",
            decisions="d",
            next_supervision_on=held + datetime.timedelta(days=30),
        )
    figures = selectors.supervision_indicator(district_manager, timezone.localdate())
    assert (figures.open_cases, figures.supervised_within_interval) == (3, 1)
    assert figures.percent == 33
    due = {
        c.pk: c.due_on
        for c in selectors.supervision_due_cases(
            selectors.cases_visible_to(district_manager), timezone.localdate()
        )
    }
    assert due[never.pk] == never.opened_on + datetime.timedelta(days=30)  # overdue
    assert due[long_ago.pk] == days(-15)
    assert due[case.pk] == days(27)


def test_a_consultant_logs_advice_anonymously_or_about_a_family_they_can_see(
    client, consultant, case, school, other_district
):
    signed_in(client, consultant)
    form = {
        "asked_on": str(days(0)),
        "asked_by_name": "Mrs Class Teacher",
        "asked_by_agency": school.pk,
        "question": "Should I make a request for support?",
        "advice": "Talk to the family first; consider a TAF led by the school.",
        "outcome": "pending",
        "follow_up_on": str(days(7)),
    }
    anonymous = client.post(reverse("record_consultation"), form)
    assert anonymous.status_code == 302
    first = Consultation.objects.get()
    assert first.is_anonymous and first.district in consultant.districts.all()
    hidden = factories.open_case(
        lead=factories.UserFactory(
            agency=factories.EarlyHelpTeamFactory(), districts=[other_district]
        )
    )
    out = client.post(reverse("record_consultation"), {**form, "family_id": hidden.family_id})
    assert out.status_code == 400
    assert "no family with that number you can see" in out.content.decode()
    assert 'id="id_family_id-error"' in out.content.decode()  # next to the family number
    assert "Should I make a request for support?" in out.content.decode()
    named = client.post(reverse("record_consultation"), {**form, "family_id": case.family_id})
    assert named.status_code == 302
    log = client.get(reverse("consultation_log")).content.decode()
    assert "2 consultations" in log and "Anonymous" in log
    tray = client.get(reverse("home")).content.decode()
    assert "Consultation to follow up" in tray


def test_another_consultant_cannot_open_my_consultation(client, consultant, eh_team, district):
    mine = services.consultation_record(
        acting_user=consultant,
        asked_on=days(0),
        asked_by_name="A nurse",
        asked_by_agency=None,
        question="q",
        advice="a",
        outcome="signpost",
    )
    other = factories.UserFactory(role="consultant", agency=eh_team, districts=[district])
    assert (
        signed_in(client, other).get(reverse("consultation_detail", args=[mine.pk])).status_code
        == 404
    )


def test_a_lead_invites_a_consultant_who_helps_and_is_recorded_as_a_contributor(
    client, practitioner, consultant, case
):
    assessment = assessment_services.assessment_start(case=case, acting_user=practitioner)
    edit = reverse("edit_assessment", args=[case.pk])
    assert signed_in(client, consultant).get(edit).status_code == 403
    signed_in(client, practitioner)
    page = client.get(reverse("invite_contributor", args=[case.pk]))
    assert consultant.full_name in page.content.decode()
    client.post(
        reverse("invite_contributor", args=[case.pk]),
        {"user": consultant.pk, "note": "Please help with the parenting section"},
    )
    invitation = AssessmentContributor.objects.get(assessment=assessment, user=consultant)
    assert Notification.objects.filter(user=consultant, url=edit).exists()
    signed_in(client, consultant)
    assert client.get(edit).status_code == 200
    assessment_services.assessment_save(
        assessment=assessment,
        acting_user=consultant,
        lock_version=assessment.lock_version,
        content={"child_development__working_well": "Advice from the consultant"},
    )
    invitation.refresh_from_db()
    assert invitation.last_contributed_at is not None
    detail = client.get(reverse("assessment_detail", args=[case.pk])).content.decode()
    assert "Contributors" in detail and consultant.full_name in detail
    tray = client.get(reverse("home")).content.decode()
    assert "Help complete an assessment (invited)" in tray
    from earlyhelp.errors import DomainError

    with pytest.raises(DomainError):
        assessment_services.assessment_submit(
            assessment=assessment, acting_user=consultant, lock_version=2
        )
