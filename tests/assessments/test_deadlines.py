"""The 20- and 10-working-day deadlines and the 4-to-6-week review window, across English
bank holidays (Blackpool strategy, Appendix 1)."""

import datetime

import pytest

from assessments import deadlines

D = datetime.date


@pytest.mark.parametrize(
    "started, due",
    [
        (D(2026, 11, 2), D(2026, 11, 30)),  # no holidays: 4 weeks of weekdays
        (D(2026, 12, 14), D(2027, 1, 14)),  # Christmas, Boxing Day (Mon 28 substitute), New Year
        (D(2027, 3, 15), D(2027, 4, 14)),  # Good Friday 26 March, Easter Monday 29 March
        (D(2026, 5, 1), D(2026, 6, 2)),  # Early May (4th) and Spring (25th) bank holidays
        (D(2026, 11, 7), D(2026, 12, 4)),  # started on a Saturday
    ],
)
def test_assessment_is_due_20_working_days_after_the_case_starts(started, due):
    assert deadlines.assessment_due_on(started) == due


@pytest.mark.parametrize(
    "created, due",
    [
        (D(2026, 11, 2), D(2026, 11, 16)),
        (D(2026, 12, 21), D(2027, 1, 7)),  # 25 Dec, 28 Dec (Boxing Day moved), 1 Jan
        (D(2026, 8, 24), D(2026, 9, 8)),  # Summer bank holiday Monday 31 August
    ],
)
def test_first_taf_meeting_is_due_10_working_days_after_the_plan(created, due):
    assert deadlines.first_taf_meeting_due_on(created) == due


def test_next_review_defaults_to_six_weeks_and_must_be_four_to_six_weeks():
    held = D(2026, 11, 2)
    assert deadlines.default_next_review_on(held) == D(2026, 12, 14)
    assert deadlines.review_date_error(held, D(2026, 11, 30)) is None
    assert deadlines.review_date_error(held, D(2026, 12, 14)) is None
    assert "4 to 6 weeks" in deadlines.review_date_error(held, D(2026, 11, 29))
    assert "4 to 6 weeks" in deadlines.review_date_error(held, D(2026, 12, 15))


def test_the_next_review_is_due_by_a_working_day_never_boxing_day():
    held = D(2026, 11, 14)  # 6 weeks on is Saturday 26 December (Boxing Day)
    assert deadlines.default_next_review_on(held) == D(2026, 12, 24)  # Christmas Eve
    assert deadlines.review_date_error(held, D(2026, 12, 24)) is None
    assert "4 to 6 weeks" in deadlines.review_date_error(held, D(2026, 12, 26))


def test_the_review_window_starts_on_the_first_working_day_after_four_weeks():
    held = D(2026, 11, 27)  # 4 weeks on is Christmas Day; Monday 28 is the Boxing Day holiday
    error = deadlines.review_date_error(held, D(2026, 12, 25))
    assert "between 29 December 2026 and 8 January 2027" in error
    assert deadlines.review_date_error(held, D(2026, 12, 29)) is None


def test_countdown_counts_working_days_and_says_when_overdue():
    due = D(2026, 12, 29)  # Tuesday after Christmas
    assert deadlines.countdown_text(due, D(2026, 12, 24)) == "1 working day left"
    assert deadlines.countdown_text(due, due) == "Due today"
    assert deadlines.countdown_text(due, D(2026, 12, 31)) == "Overdue by 2 working days"
    assert deadlines.working_days_left(D(2026, 11, 30), D(2026, 11, 2)) == 20
    assert deadlines.countdown_text(due, D(2026, 12, 24), paused=True) == "Deadline paused"
