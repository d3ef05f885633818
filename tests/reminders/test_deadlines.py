"""Deadlines and reminder stages in working days, across weekends and English bank
holidays (Christmas 2026: Friday 25th and Monday 28th December are bank holidays)."""

import datetime

import pytest
from django.utils import timezone

from assessments.deadlines import assessment_due_on, first_taf_meeting_due_on
from earlyhelp.working_days import working_days_between
from reminders.deadlines import deadlines_due_by, drift_due_on, overdue_deadlines
from reminders.models import DeadlineKind, Stage
from reminders.services import StageWindows, escalation_cutoff
from tests import factories

from .conftest import assessment_due, plan_due, quiet_case, referral_due, review_due

D = datetime.date


def test_due_soon_window_is_five_working_days_and_skips_christmas_bank_holidays():
    windows = StageWindows.for_day(D(2026, 12, 22))  # Tuesday
    assert windows.soon_until == D(2026, 12, 31)  # 23, 24, 29, 30, 31
    assert windows.stages(D(2026, 12, 31)) == (Stage.DUE_SOON,)
    assert windows.stages(D(2027, 1, 4)) == ()


def test_escalation_comes_after_five_working_days_overdue_across_new_year():
    today = D(2027, 1, 4)  # Monday; 1 January and 25, 28 December are bank holidays
    assert escalation_cutoff(today, 5) == D(2026, 12, 23)
    windows = StageWindows.for_day(today)
    assert windows.stages(D(2026, 12, 23)) == (Stage.OVERDUE, Stage.ESCALATION)
    assert windows.stages(D(2026, 12, 24)) == (Stage.OVERDUE,)
    assert windows.stages(today) == (Stage.DUE_TODAY,)


def test_escalation_cutoff_agrees_with_counting_working_days_on_every_day_of_a_year():
    start = D(2026, 1, 1)
    for offset in range(0, 366, 3):
        today = start + datetime.timedelta(days=offset)
        cutoff = escalation_cutoff(today, 5)
        for back in range(0, 20):
            due = today - datetime.timedelta(days=back)
            assert (due <= cutoff) == (working_days_between(due, today) >= 5), (today, due)


def test_due_today_on_a_saturday_is_only_that_day():
    windows = StageWindows.for_day(D(2026, 12, 26))
    assert windows.stages(D(2026, 12, 26)) == (Stage.DUE_TODAY,)
    assert windows.stages(D(2026, 12, 25)) == (Stage.OVERDUE,)


def test_casework_deadlines_cross_easter_and_weekends():
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    assert assessment_due_on(D(2026, 3, 27)) == D(2026, 4, 28)
    assert first_taf_meeting_due_on(D(2026, 4, 1)) == D(2026, 4, 17)


def test_drift_starts_the_configured_days_after_the_last_local_activity(settings):
    settings.REMINDER_DRIFT_DAYS = 30
    late_evening_bst = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)
    assert drift_due_on(late_evening_bst, D(2026, 1, 1)) == D(2026, 7, 2)
    assert drift_due_on(None, D(2026, 1, 1)) == D(2026, 1, 31)
    settings.REMINDER_DRIFT_DAYS = 10
    assert drift_due_on(None, D(2026, 1, 1)) == D(2026, 1, 11)


@pytest.mark.django_db
def test_every_outstanding_deadline_kind_is_gathered_and_finished_work_is_not(
    practitioner, front_door_officer, district
):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=2)
    past = today - datetime.timedelta(days=3)
    c1, c2, c3, c4, c5 = (factories.open_case(lead=practitioner) for _ in range(5))
    eha = assessment_due(c1, soon)
    assessment_due(c2, past, status="submitted")  # done: submitted for sign-off
    plan = plan_due(c3, past)
    plan_due(c2, past, agreed_on=past - datetime.timedelta(days=1))  # done: agreed
    review = review_due(c4, past)
    referral = referral_due(district=district, created_by=practitioner, due_on=today)
    quiet_case(c5, 40)
    closed = factories.closed_case(lead=practitioner)
    assessment_due(closed, past)  # closed cases are not chased

    found = {(d.kind, d.record_id): d for d in deadlines_due_by(soon)}
    assert set(found) == {
        (DeadlineKind.ASSESSMENT, eha.pk),
        (DeadlineKind.FIRST_TAF, plan.pk),
        (DeadlineKind.REVIEW, review.pk),
        (DeadlineKind.TRIAGE, referral.pk),
        (DeadlineKind.DRIFT, c5.pk),
    }
    assert found[(DeadlineKind.ASSESSMENT, eha.pk)].responsible_id == practitioner.pk
    assert found[(DeadlineKind.TRIAGE, referral.pk)].responsible_id is None
    assert found[(DeadlineKind.DRIFT, c5.pk)].due_on == today - datetime.timedelta(days=10)
    overdue = {(d.kind, d.record_id) for d in overdue_deadlines(today)}
    assert (DeadlineKind.ASSESSMENT, eha.pk) not in overdue
    assert (DeadlineKind.TRIAGE, referral.pk) not in overdue  # due today is not overdue
    assert (DeadlineKind.FIRST_TAF, plan.pk) in overdue


@pytest.mark.django_db
def test_a_later_held_meeting_clears_the_review_deadline(practitioner):
    today = timezone.localdate()
    case = factories.open_case(lead=practitioner)
    review_due(case, today - datetime.timedelta(days=20))
    review_due(case, today + datetime.timedelta(days=20))  # held since, next one set
    kinds = [(d.kind, d.due_on) for d in deadlines_due_by(today)]
    assert kinds == []
