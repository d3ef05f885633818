"""Invitations and action reminders through a real Celery worker, Redis and the test
database: each (item, stage, person) is emailed exactly once, whatever is run twice."""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from cases import services as case_services
from partners import tasks as core_tasks
from reminders import tasks as reminder_tasks
from reminders.models import Notice, OccurrenceStatus, ReminderOccurrence
from tests import factories
from tests.reminders.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def barrier(queue: str) -> None:
    assert core_tasks.health_check.apply_async(queue=queue).get(timeout=90)["districts"] >= 1


def emails(workers) -> list[tuple[str, str]]:
    text = workers.mail_text()
    blocks = re.split(r"(?m)^-{20,}$", text)
    rows = []
    for block in blocks:
        to = re.search(r"(?m)^To: (.+)$", block)
        subject = re.search(r"(?m)^Subject: (.+)$", block)
        if to and subject:
            rows.append((to.group(1).strip(), subject.group(1).strip()))
    return rows


@pytest.fixture
def team(practitioner, eh_team, school, district):
    colleague = factories.UserFactory(full_name="Tom Reed", agency=eh_team, districts=[district])
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
    case.colleague = colleague
    return case


def run_senders_twice(workers) -> None:
    for _ in range(2):
        reminder_tasks.notices_send.apply_async(queue=workers.queue)
        reminder_tasks.reminders_send_pending.apply_async(queue=workers.queue)
    barrier(workers.queue)


def test_invitations_changes_and_cancellations_go_once_to_each_member(workers, team, practitioner):
    workers.start()
    meeting = assessment_services.meeting_schedule(
        case=team, acting_user=practitioner, scheduled_for=days(10), starts_at=datetime.time(10)
    )
    run_senders_twice(workers)
    assessment_services.meeting_reschedule(
        meeting=meeting,
        acting_user=practitioner,
        scheduled_for=days(11),
        starts_at=datetime.time(11),
        reason="Room change",
    )
    run_senders_twice(workers)
    assessment_services.meeting_cancel(
        meeting=meeting, acting_user=practitioner, reason="Not needed"
    )
    run_senders_twice(workers)
    wait_until(lambda: not Notice.objects.filter(status=OccurrenceStatus.PENDING).exists())
    barrier(workers.queue)
    rows = emails(workers)
    meeting_rows = [r for r in rows if "Team Around the Family meeting" in r[1]]
    people = {practitioner.email, team.colleague.email, "head@school.example"}
    assert Counter(meeting_rows) == Counter({(to, subject): 1 for to, subject in meeting_rows}), (
        "no email twice"
    )
    assert len(meeting_rows) == 3 * len(people)
    for word in ("Invitation:", "Changed:", "Cancelled:"):
        assert {to for to, subject in meeting_rows if word in subject} == people
    assert "BEGIN:VCALENDAR" in workers.mail_text()
    assert team.family.name not in workers.mail_text()


def test_action_owners_are_reminded_due_soon_and_overdue_once_each(workers, team, practitioner):
    workers.start()
    plan = assessment_services.plan_create(case=team, acting_user=practitioner)
    outcome = assessment_services.outcome_add(plan=plan, acting_user=practitioner, text="Sleep")
    member = team.taf_members.get(user=team.colleague)
    soon = assessment_services.action_add(
        outcome=outcome,
        acting_user=practitioner,
        what="Book clinic",
        due_on=days(2),
        owner_member=member,
    )
    late = assessment_services.action_add(
        outcome=outcome,
        acting_user=practitioner,
        what="Call school",
        due_on=days(-1),
        set_on=days(-10),
        owner_member=member,
    )
    for _ in range(2):
        reminder_tasks.reminders_sweep.apply_async(queue=workers.queue)
    run_senders_twice(workers)
    rows = ReminderOccurrence.objects.filter(kind="action")
    stages = {(r.record_id, r.stage, r.recipient_id) for r in rows}
    assert (soon.pk, "due_soon", team.colleague.pk) in stages
    assert (late.pk, "overdue", team.colleague.pk) in stages
    assert all(r.status == OccurrenceStatus.SENT for r in rows)
    reminders = [
        r for r in emails(workers) if r[0] == team.colleague.email and "plan action you own" in r[1]
    ]
    assert len(reminders) == rows.filter(recipient=team.colleague).count() == 2
    assigned = [r for r in emails(workers) if "A family plan action is yours" in r[1]]
    assert len(assigned) == 2  # one per action, to its owner
