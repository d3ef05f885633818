import csv
import datetime
import io

import pytest

from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction, AuditEvent
from reporting.exports import referrals_csv
from tests.reporting import factories as rf

D = datetime.date


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_years_requests_export_lists_the_managers_district_only(
    district_manager, front_door_officer, other_manager
):
    rf.referral(by=front_door_officer, received_on=D(2026, 3, 1))
    decided = rf.referral(by=front_door_officer, received_on=D(2026, 6, 1))
    rf.decide(decided, outcome="signposting", decided_on=D(2026, 6, 2), by=front_door_officer)
    rf.referral(by=front_door_officer, received_on=D(2024, 1, 1))  # before the period
    rf.referral(by=other_manager, received_on=D(2026, 3, 1))  # another district
    rows = _rows(referrals_csv(district_manager, start=D(2025, 11, 1), end=D(2026, 10, 31)))
    assert rows[0][0] == "Reference"
    assert len(rows) == 3
    assert rows[2][7] == "Information and signposting"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, user=district_manager).exists()


def test_a_practitioner_cannot_export_requests(practitioner):
    with pytest.raises(DomainError):
        referrals_csv(practitioner, start=D(2026, 1, 1), end=D(2026, 12, 31))
