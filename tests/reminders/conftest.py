import datetime
import os
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.models import Assessment, FamilyPlan, TafMeeting
from partners.models import Role
from referrals.models import Referral, ReferralStatus
from tests import factories
from tests.conftest import start_worker, stop_processes


def assessment_due(case, due_on, *, status="draft", started_on=None) -> Assessment:
    started = started_on or due_on - datetime.timedelta(days=28)
    return Assessment.objects.create(
        case=case,
        status=status,
        started_on=started,
        due_on=due_on,
        created_by=case.lead_professional,
    )


def plan_due(case, due_on, *, agreed_on=None) -> FamilyPlan:
    return FamilyPlan.objects.create(
        case=case,
        created_on=due_on - datetime.timedelta(days=14),
        first_taf_due_on=due_on,
        agreed_on=agreed_on,
        created_by=case.lead_professional,
    )


def review_due(case, next_review_on) -> TafMeeting:
    held = next_review_on - datetime.timedelta(weeks=6)
    return TafMeeting.objects.create(
        case=case,
        kind="review",
        status="held",
        scheduled_for=held,
        held_on=held,
        decision="continue",
        next_review_on=next_review_on,
        scheduled_by=case.lead_professional,
        recorded_by=case.lead_professional,
        recorded_at=timezone.now(),
    )


def deadlines_for(lead, count: int = 3) -> None:
    """Each of `count` new cases owes its lead 3 reminders (due soon, due today, overdue) and
    its district's managers 1 escalation."""
    today = timezone.localdate()
    for i in range(count):
        case = factories.open_case(lead=lead)
        assessment_due(case, today + datetime.timedelta(days=1))
        plan_due(case, today)
        review_due(case, today - datetime.timedelta(days=20 + i))


def referral_due(*, district, created_by, due_on, picked_up_by=None) -> Referral:
    return Referral.objects.create(
        status=ReferralStatus.IN_TRIAGE if picked_up_by else ReferralStatus.SUBMITTED,
        created_by=created_by,
        district=district,
        received_at=timezone.now() - datetime.timedelta(days=3),
        due_on=due_on,
        picked_up_by=picked_up_by,
        picked_up_at=timezone.now() if picked_up_by else None,
    )


def quiet_case(case, days: int):
    """Make a case's last recorded activity `days` days ago (for drift): at noon on that
    local day, so that it is that day whatever the hour and the clocks' change between
    (24 x `days` hours before 23:30 GMT in November is the next day in BST)."""
    from cases.models import EarlyHelpCase

    day = timezone.localdate() - datetime.timedelta(days=days)
    EarlyHelpCase.objects.filter(pk=case.pk).update(
        last_activity_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
        opened_on=timezone.localdate() - datetime.timedelta(days=days + 1),
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def partner_manager(school, district):
    return factories.UserFactory(role=Role.TEAM_MANAGER, agency=school, districts=[district])


@pytest.fixture
def other_district_manager(other_district):
    team = factories.EarlyHelpTeamFactory(name="Brackenmoor Early Help Team")
    team.districts.add(other_district)
    return factories.UserFactory(role=Role.TEAM_MANAGER, agency=team, districts=[other_district])


class Workers:
    """Start real Celery workers (subprocesses) on one test queue against the test database,
    with emails written to files so the test can count what was really sent."""

    def __init__(self, tmp_path: Path):
        self.queue = f"reminders-{os.getpid()}-{time.monotonic_ns()}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.pause_file = tmp_path / "pause"
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str = "w") -> subprocess.Popen:
        proc = start_worker(
            self.queue,
            f"{self.queue}-{name}-{len(self.procs)}",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            REMINDERS_TEST_PAUSE_FILE=str(self.pause_file),
            EARLYHELP_TESTING="1",
        )
        self.procs.append(proc)
        return proc

    def emails(self) -> list[str]:
        """Every email the workers sent: (To, Subject) lines of each message."""
        found = []
        for path in sorted(self.mail_dir.glob("*")):
            for line in path.read_text().splitlines():
                if line.startswith("Subject: "):
                    found.append(line[len("Subject: ") :])
        return found

    def mail_text(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.mail_dir.glob("*")))

    def stop(self) -> None:
        stop_processes(self.procs)


@pytest.fixture
def workers(transactional_db, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    if pool.pause_file.exists():
        pool.pause_file.unlink()  # let a paused worker finish before it is stopped
    pool.stop()


def wait_until(predicate, timeout: float = 45.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
