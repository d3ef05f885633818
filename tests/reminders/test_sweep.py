"""The sweep writes one row per (deadline, stage, person) the person may see; the sender
notifies in-app and emails a link with no family details; digests go once a day."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from cases.models import Family
from earlyhelp.models import Notification
from partners.models import Role
from reminders import services
from reminders.models import (
    DeadlineKind,
    OccurrenceStatus,
    ReminderDigest,
    ReminderOccurrence,
    Stage,
)
from tests import factories

from .conftest import assessment_due, plan_due, quiet_case, referral_due, review_due


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def keys():
    return sorted(
        ReminderOccurrence.objects.values_list("kind", "record_id", "stage", "recipient_id")
    )


@pytest.mark.django_db
def test_each_stage_goes_to_the_lead_and_escalation_to_the_district_manager(
    practitioner, district_manager, partner_manager, other_district_manager
):
    today = timezone.localdate()
    soon, late = (factories.open_case(lead=practitioner) for _ in range(2))
    due_today = factories.open_case(lead=practitioner)
    a_soon = assessment_due(soon, today + datetime.timedelta(days=1))
    a_today = plan_due(due_today, today)
    a_late = review_due(late, today - datetime.timedelta(days=21))

    result = services.reminders_sweep(today=today)

    assert keys() == sorted(
        [
            (DeadlineKind.ASSESSMENT, a_soon.pk, Stage.DUE_SOON, practitioner.pk),
            (DeadlineKind.FIRST_TAF, a_today.pk, Stage.DUE_TODAY, practitioner.pk),
            (DeadlineKind.REVIEW, a_late.pk, Stage.OVERDUE, practitioner.pk),
            # The council team's manager for the district; not the school's manager (the
            # case is not led by the school) nor another district's.
            (DeadlineKind.REVIEW, a_late.pk, Stage.ESCALATION, district_manager.pk),
        ]
    )
    assert result.written == 4


@pytest.mark.django_db
def test_a_rerun_sweep_writes_nothing_new(practitioner, district_manager):
    today = timezone.localdate()
    case = factories.open_case(lead=practitioner)
    assessment_due(case, today - datetime.timedelta(days=30))
    services.reminders_sweep(today=today)
    first = keys()
    again = services.reminders_sweep(today=today)
    assert keys() == first
    assert again.new == 0 and again.written == 0


@pytest.mark.django_db
def test_nobody_is_told_about_a_case_they_cannot_see(practitioner, district_manager):
    today = timezone.localdate()
    family = factories.family_with_children(district=practitioner.districts.first())
    case = factories.open_case(lead=practitioner, family=family)
    assessment_due(case, today - datetime.timedelta(days=30))
    Family.objects.filter(pk=family.pk).update(restricted=True, restricted_contact="Head of EH")
    result = services.reminders_sweep(today=today)
    assert ReminderOccurrence.objects.count() == 0
    assert result.denied == 2  # the lead and the manager, neither named on the family

    family.named_people.add(practitioner)
    services.reminders_sweep(today=today)
    assert [k[3] for k in keys()] == [practitioner.pk]


@pytest.mark.django_db
def test_a_partner_agency_manager_is_told_about_cases_their_agency_leads(
    school, district, partner_manager, district_manager
):
    teacher = factories.UserFactory(agency=school, districts=[district])
    case = factories.open_case(lead=teacher)
    today = timezone.localdate()
    assessment_due(case, today - datetime.timedelta(days=30))
    services.reminders_sweep(today=today)
    escalated = set(
        ReminderOccurrence.objects.filter(stage=Stage.ESCALATION).values_list(
            "recipient_id", flat=True
        )
    )
    assert escalated == {partner_manager.pk, district_manager.pk}


@pytest.mark.django_db
def test_triage_reminders_go_to_the_officer_who_picked_it_up_or_else_the_districts_front_door(
    practitioner, front_door_officer, district, partner_manager, district_manager
):
    today = timezone.localdate()
    waiting = referral_due(district=district, created_by=practitioner, due_on=today)
    picked = factories.UserFactory(
        role=Role.FRONT_DOOR, agency=front_door_officer.agency, districts=[district]
    )
    mine = referral_due(
        district=district,
        created_by=practitioner,
        due_on=today - datetime.timedelta(days=10),
        picked_up_by=picked,
    )
    services.reminders_sweep(today=today)
    assert keys() == sorted(
        [
            (DeadlineKind.TRIAGE, waiting.pk, Stage.DUE_TODAY, front_door_officer.pk),
            (DeadlineKind.TRIAGE, waiting.pk, Stage.DUE_TODAY, picked.pk),
            (DeadlineKind.TRIAGE, mine.pk, Stage.OVERDUE, picked.pk),
            (DeadlineKind.TRIAGE, mine.pk, Stage.ESCALATION, district_manager.pk),
        ]
    )


@pytest.mark.django_db
def test_a_drifting_case_is_chased_after_the_configured_quiet_days(
    practitioner, settings, district_manager
):
    settings.REMINDER_DRIFT_DAYS = 30
    today = timezone.localdate()
    quiet = quiet_case(factories.open_case(lead=practitioner), 31)
    # Active enough at 30 days; at 5, overdue by a day: never escalated, whatever the weekday
    # (quiet for 10 days, it was escalated on Fridays: five working days overdue).
    recent = quiet_case(factories.open_case(lead=practitioner), 6)
    services.reminders_sweep(today=today)
    assert {(k[0], k[1], k[2]) for k in keys()} == {(DeadlineKind.DRIFT, quiet.pk, Stage.OVERDUE)}
    settings.REMINDER_DRIFT_DAYS = 5
    services.reminders_sweep(today=today)
    assert ReminderOccurrence.objects.filter(record_id=recent.pk, stage=Stage.OVERDUE).exists()
    escalated = ReminderOccurrence.objects.filter(stage=Stage.ESCALATION)
    assert [r.record_id for r in escalated] == [quiet.pk]


@pytest.mark.django_db
def test_sending_notifies_in_app_and_emails_only_a_link(practitioner):
    today = timezone.localdate()
    case = factories.open_case(lead=practitioner)
    assessment_due(case, today)
    services.reminders_sweep(today=today)
    result = services.reminders_send_pending()
    assert (result.sent, result.emailed) == (1, 1)
    row = ReminderOccurrence.objects.get()
    assert row.status == OccurrenceStatus.SENT and row.sent_at is not None
    notification = Notification.objects.get(user=practitioner)
    assert notification.subject == "An Early Help Assessment is due today"
    assert notification.url == f"/cases/{case.pk}/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    text = email.subject + email.body
    assert f"/cases/{case.pk}/" in email.body
    for personal in [case.family.name, case.family.postcode, case.family.address_line_1]:
        assert personal not in text
    for person in case.children.all():
        assert person.first_name not in text and person.last_name not in text
    assert services.reminders_send_pending().sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_reminder_no_longer_due_or_no_longer_visible_is_cancelled_not_sent(
    practitioner, district_manager
):
    today = timezone.localdate()
    done = factories.open_case(lead=practitioner)
    hidden = factories.open_case(lead=practitioner)
    eha = assessment_due(done, today)
    assessment_due(hidden, today)
    services.reminders_sweep(today=today)
    eha.status = "submitted"
    eha.save()
    Family.objects.filter(pk=hidden.family_id).update(restricted=True)
    result = services.reminders_send_pending()
    assert (result.sent, result.cancelled) == (0, 2)
    assert set(ReminderOccurrence.objects.values_list("cancelled_reason", flat=True)) == {
        "no_longer_due",
        "not_visible",
    }
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_digest_user_gets_one_email_a_day_listing_their_reminders(practitioner):
    practitioner.digest_reminders = True
    practitioner.save()
    today = timezone.localdate()
    for days in (0, 1, -2):
        assessment_due(
            factories.open_case(lead=practitioner), today + datetime.timedelta(days=days)
        )
    services.reminders_sweep(today=today)
    assert services.reminders_send_pending().emailed == 0
    assert Notification.objects.filter(user=practitioner).count() == 3
    assert mail.outbox == []

    assert services.reminders_send_digests(day=today) == 1
    assert services.reminders_send_digests(day=today) == 0
    assert len(mail.outbox) == 1
    assert "3 new reminders" in mail.outbox[0].body
    assert "/notifications/" in mail.outbox[0].body
    assert ReminderDigest.objects.get().reminder_count == 3


@pytest.mark.django_db
def test_a_second_digest_the_same_day_is_refused_by_the_database(practitioner):
    practitioner.digest_reminders = True
    practitioner.save()
    today = timezone.localdate()
    assessment_due(factories.open_case(lead=practitioner), today)
    ReminderDigest.objects.create(recipient=practitioner, digest_on=today)
    services.reminders_sweep(today=today)
    services.reminders_send_pending()
    assert services.reminders_send_digests(day=today) == 0
    assert mail.outbox == []
    assert services.reminders_send_digests(day=today + datetime.timedelta(days=1)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_sweep_skips_while_another_holds_the_advisory_lock(practitioner):
    today = timezone.localdate()
    assessment_due(factories.open_case(lead=practitioner), today)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services.SWEEP_LOCK_KEY])
        assert services.reminders_sweep(today=today).locked_out is True
        assert ReminderOccurrence.objects.count() == 0
        with other.cursor() as cursor:
            # Released explicitly: a closed connection's backend may outlive close() briefly.
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services.SWEEP_LOCK_KEY])
    finally:
        other.close()
    assert services.reminders_sweep(today=today).written == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_without_the_lock_still_write_each_reminder_once(
    practitioner, district_manager
):
    """The advisory lock is an optimisation; the UNIQUE constraint is the guarantee."""
    today = timezone.localdate()
    for days in range(-12, 6):
        assessment_due(
            factories.open_case(lead=practitioner), today + datetime.timedelta(days=days)
        )
    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait()
            services.reminders_sweep(today=today, use_lock=False)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = keys()
    assert len(rows) == len(set(rows)) > 18


@pytest.mark.django_db
def test_a_reminder_names_its_case_or_request_by_the_reference_every_page_shows():
    today = datetime.date(2026, 11, 2)

    def body(kind, **ids):
        row = ReminderOccurrence(kind=kind, due_on=today, stage=Stage.DUE_TODAY, **ids)
        return services.reminder_text(row, today)[1]

    assert body(DeadlineKind.ASSESSMENT, record_id=9, case_id=42).startswith("Case EH-000042.")
    assert body(DeadlineKind.TRIAGE, record_id=12).startswith("Request RFS-000012.")
