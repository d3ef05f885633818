"""People told what is theirs, exactly once: TAF membership, meeting invitations with a
calendar file, changes and cancellations, action assignment; preferences, digests, leavers."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from assessments import services as assessment_services
from cases import services as case_services
from earlyhelp.models import Notification
from reminders.models import Delivery, MessageKind, MessagePreference, Notice, OccurrenceStatus
from reminders.notices import notices_send_pending
from reminders.services import reminders_send_digests
from tests import factories
from tests.conftest import signed_in

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_mail_server(settings):
    """The sender's time budget now covers handing the owed emails to the mail server
    (outbox_send), which claims no more than one OUTBOX_SMTP_TIMEOUT per message fits in the
    time left: at the default 10 s a 5-second run hands over one email. The test backend
    never waits, so budget one second per message."""
    settings.OUTBOX_SMTP_TIMEOUT = 1


@pytest.fixture
def team(practitioner, colleague, eh_team, school):
    case = factories.open_case(
        lead=practitioner, opened_on=days(-30), consent_agencies=[eh_team, school]
    )
    case_services.taf_member_add(
        case=case, user=colleague, agency=eh_team, acting_user=practitioner
    )
    case_services.taf_member_add(
        case=case,
        agency=school,
        contact_name="Ms Head",
        contact_email="head@school.example",
        acting_user=practitioner,
    )
    case_services.taf_member_add(
        case=case, agency=school, contact_name="Mr Nomail", acting_user=practitioner
    )
    notices_send_pending(max_seconds=5)
    mail.outbox.clear()
    return case


def _calendar(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_a_new_taf_member_is_told_once_and_the_email_names_no_family(
    practitioner, colleague, eh_team, school
):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    case_services.taf_member_add(
        case=case, user=colleague, agency=eh_team, acting_user=practitioner
    )
    for _ in range(2):
        notices_send_pending(max_seconds=5)
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert "added to a Team Around the Family" in mail.outbox[0].subject
    assert case.family.name not in mail.outbox[0].body
    assert Notification.objects.filter(user=colleague, url=reverse("case_detail", args=[case.pk]))


def test_a_removed_member_is_told(practitioner, colleague, eh_team):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    member = case_services.taf_member_add(
        case=case, user=colleague, agency=eh_team, acting_user=practitioner
    )
    notices_send_pending(max_seconds=5)
    case_services.taf_member_remove(member=member, acting_user=practitioner)
    notices_send_pending(max_seconds=5)
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert "removed from a Team Around the Family" in subjects[1]
    notification = Notification.objects.filter(user=colleague).order_by("-pk").first()
    assert notification.url == ""  # no link to a case they can no longer open


def test_an_addition_undone_before_it_was_sent_is_not_sent(practitioner, colleague, eh_team):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    member = case_services.taf_member_add(
        case=case, user=colleague, agency=eh_team, acting_user=practitioner
    )
    case_services.taf_member_remove(member=member, acting_user=practitioner)
    notices_send_pending(max_seconds=5)
    assert [m.subject for m in mail.outbox] == [
        f"Early help: You have been removed from a Team Around the Family ({case.reference})"
    ]
    added = Notice.objects.get(kind="taf_added")
    assert added.status == OccurrenceStatus.CANCELLED and added.cancelled_reason == "not_visible"


def test_every_member_is_invited_with_a_calendar_file_external_ones_without_case_details(
    client, team, practitioner, colleague
):
    signed_in(client, practitioner)
    response = client.post(
        reverse("schedule_taf_meeting", args=[team.pk]),
        {
            "scheduled_for": str(days(7)),
            "starts_at": "10:00",
            "duration_minutes": "90",
            "location": "Amberford Family Hub",
            "note_for_external": "Please bring the attendance figures.",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mr Nomail has no email address, so was not sent the invitation" in page
    meeting = team.taf_meetings.get()  # recorded despite the member without an address
    notices_send_pending(max_seconds=5)
    notices_send_pending(max_seconds=5)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([practitioner.email, colleague.email, "head@school.example"])
    external = next(m for m in mail.outbox if m.to == ["head@school.example"])
    assert "Please bring the attendance figures." in external.body
    assert team.family.name not in external.body and team.reference not in external.body
    event = _calendar(external).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"taf-meeting-{meeting.pk}@")
    assert event.decoded("DTSTART").hour == 10
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=90)


def test_moving_and_cancelling_a_meeting_tells_every_member_with_a_reason(
    client, team, practitioner, colleague
):
    meeting = assessment_services.meeting_schedule(
        case=team,
        acting_user=practitioner,
        scheduled_for=days(7),
        starts_at=datetime.time(10, 0),
    )
    notices_send_pending(max_seconds=5)
    mail.outbox.clear()
    signed_in(client, practitioner)
    bad = client.post(
        reverse("reschedule_taf_meeting", args=[team.pk, meeting.pk]),
        {"scheduled_for": str(days(9)), "starts_at": "14:00", "reason": ""},
    )
    assert bad.status_code == 400
    assert "Enter why the meeting is moving" in bad.content.decode()
    assert str(days(9)) in bad.content.decode()  # what was typed is kept
    moved = client.post(
        reverse("reschedule_taf_meeting", args=[team.pk, meeting.pk]),
        {
            "scheduled_for": str(days(9)),
            "starts_at": "14:00",
            "reason": "The school hall is booked",
        },
    )
    assert moved.status_code == 302
    notices_send_pending(max_seconds=5)
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith("Early help: Changed:") for m in mail.outbox)
    event = _calendar(mail.outbox[0]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").hour == 14
    mail.outbox.clear()
    client.post(
        reverse("cancel_taf_meeting", args=[team.pk, meeting.pk]),
        {"reason": "The family asked to wait"},
    )
    notices_send_pending(max_seconds=5)
    assert len(mail.outbox) == 3
    calendar = _calendar(mail.outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.change_reason == "The family asked to wait"
    again = client.post(
        reverse("cancel_taf_meeting", args=[team.pk, meeting.pk]), {"reason": "Twice"}
    )
    assert "Only a scheduled meeting can be cancelled" in again.content.decode()


def test_the_meeting_api_moves_and_cancels_with_a_reason(client, team, practitioner):
    meeting = assessment_services.meeting_schedule(
        case=team, acting_user=practitioner, scheduled_for=days(7)
    )
    signed_in(client, practitioner)
    url = f"/api/v1/reviews/{meeting.pk}/"
    missing = client.post(url + "reschedule/", {"scheduled_for": str(days(8))})
    assert missing.status_code == 400 and "reason" in missing.json()
    moved = client.post(
        url + "reschedule/",
        {"scheduled_for": str(days(8)), "starts_at": "09:30", "reason": "Clash"},
    )
    assert moved.status_code == 200 and moved.json()["starts_at"] == "09:30:00"
    assert client.post(url + "cancel/", {"reason": "Not needed"}).json()["status"] == "cancelled"
    assert client.post(url + "cancel/", {"reason": "Again"}).status_code in (400, 409)


@pytest.mark.parametrize(
    "day,hour_utc",
    [
        (datetime.date(2026, 10, 23), 9),  # British Summer Time: 10:00 is 09:00 UTC
        (datetime.date(2026, 10, 26), 10),  # after the clocks go back: 10:00 is 10:00 UTC
        (datetime.date(2027, 3, 26), 10),  # before they go forward
        (datetime.date(2027, 3, 29), 9),  # after
    ],
)
def test_the_calendar_file_keeps_ten_oclock_london_time_across_the_clock_change(
    practitioner, day, hour_utc
):
    from reminders.calendar import meeting_ics

    case = factories.open_case(lead=practitioner, opened_on=datetime.date(2026, 1, 5))
    meeting = assessment_services.meeting_schedule(
        case=case, acting_user=practitioner, scheduled_for=day, starts_at=datetime.time(10, 0)
    )
    calendar = Calendar.from_ical(meeting_ics(meeting))
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)
    assert str(start.tzinfo) == "Europe/London"
    assert start.astimezone(datetime.UTC).hour == hour_utc
    assert calendar.walk("VTIMEZONE")  # the zone's rules travel with the file


def test_an_action_owner_is_told_when_an_action_is_assigned(team, practitioner, colleague):
    plan = assessment_services.plan_create(case=team, acting_user=practitioner)
    outcome = assessment_services.outcome_add(
        plan=plan, acting_user=practitioner, text="Get to school on time"
    )
    member = team.taf_members.get(user=colleague)
    assessment_services.action_add(
        outcome=outcome,
        acting_user=practitioner,
        what="Morning check-ins",
        due_on=days(14),
        owner_member=member,
    )
    notices_send_pending(max_seconds=5)
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert "A family plan action is yours" in mail.outbox[0].subject


def test_a_leaver_gets_nothing_from_the_moment_they_leave(team, practitioner, colleague):
    assessment_services.meeting_schedule(case=team, acting_user=practitioner, scheduled_for=days(7))
    colleague.is_active = False
    colleague.save()
    notices_send_pending(max_seconds=5)
    assert colleague.email not in [m.to[0] for m in mail.outbox]
    assert Notice.objects.get(recipient=colleague, kind="meeting_invite").cancelled_reason == (
        "left"
    )
    assert not Notification.objects.filter(
        user=colleague,
        created_at__gte=timezone.now() - datetime.timedelta(minutes=1),
        subject__startswith="Invitation",
    )
    from earlyhelp.notifications import notify

    assert notify(user=colleague, subject="Anything") is None


def test_preferences_send_in_app_only_or_in_the_daily_digest_which_never_repeats(
    client, team, practitioner, colleague
):
    signed_in(client, colleague)
    response = client.post(
        reverse("message_preferences"),
        {
            "deadlines": "email",
            "actions": "email",
            "team": "in_app",
            "meetings": "digest",
        },
    )
    assert response.status_code == 302
    assert MessagePreference.objects.get(user=colleague, kind=MessageKind.MEETINGS).delivery == (
        Delivery.DIGEST
    )
    meeting = assessment_services.meeting_schedule(
        case=team, acting_user=practitioner, scheduled_for=days(7)
    )
    notices_send_pending(max_seconds=5)
    assert colleague.email not in [m.to[0] for m in mail.outbox]
    assert Notification.objects.filter(user=colleague, subject__startswith="Invitation").exists()
    mail.outbox.clear()
    today = timezone.localdate()
    assert reminders_send_digests(day=today) >= 1
    digests = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(digests) == 1 and "TAF meeting invitation: 1" in digests[0].body
    mail.outbox.clear()
    reminders_send_digests(day=today)
    reminders_send_digests(day=today + datetime.timedelta(days=1))
    assert [m for m in mail.outbox if m.to == [colleague.email]] == []  # nothing repeated
    assessment_services.meeting_reschedule(
        meeting=meeting,
        acting_user=practitioner,
        scheduled_for=days(8),
        starts_at=None,
        reason="Room change",
    )
    notices_send_pending(max_seconds=5)
    reminders_send_digests(day=today + datetime.timedelta(days=2))
    digests = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(digests) == 1 and "TAF meeting changed: 1" in digests[0].body
    assert "invitation" not in digests[0].body


def test_the_preferences_page_says_what_is_missing(client, practitioner):
    response = signed_in(client, practitioner).post(
        reverse("message_preferences"), {"deadlines": "email"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not MessagePreference.objects.filter(user=practitioner).exists()


def test_notices_are_written_once_whatever_the_repeats(team, practitioner):
    meeting = assessment_services.meeting_schedule(
        case=team, acting_user=practitioner, scheduled_for=days(7)
    )
    from earlyhelp import events

    events.emit("meeting_scheduled", meeting=meeting, acting_user=practitioner)
    assert Notice.objects.filter(record_id=meeting.pk).count() == 3
    notices_send_pending(max_seconds=5)
    assert Notice.objects.filter(status=OccurrenceStatus.SENT, record_id=meeting.pk).count() == 3


def test_a_contact_removed_before_the_invitation_went_is_not_sent_it(team, practitioner):
    assessment_services.meeting_schedule(case=team, acting_user=practitioner, scheduled_for=days(7))
    head = team.taf_members.get(contact_name="Ms Head")
    case_services.taf_member_remove(member=head, acting_user=practitioner)
    notices_send_pending(max_seconds=5)
    to_head = [m.subject for m in mail.outbox if m.to == ["head@school.example"]]
    assert to_head == ["Early help: You have been removed from a Team Around the Family"]
    invite = Notice.objects.get(kind="meeting_invite", recipient_email="head@school.example")
    assert invite.cancelled_reason == "not_a_member"
