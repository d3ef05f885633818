from django.test import RequestFactory

from earlyhelp.audit import audit, audit_change
from earlyhelp.models import AuditAction, AuditEvent
from tests.factories import open_case

ROW = ("user", "action", "record_type", "record_id", "person_id", "family_id", "path")
MORE = ("ip_address", "changes", "reason")


def test_audit_change_writes_the_same_row_as_the_long_call(practitioner, district_manager):
    case = open_case(lead=practitioner)
    request = RequestFactory().post("/cases/1/level/", REMOTE_ADDR="10.0.0.7")
    request.user = district_manager
    changes = {"level_of_need": ["2", "3"]}
    long = audit(
        user=district_manager,
        action=AuditAction.CHANGE,
        record=case,
        request=request,
        changes=changes,
        reason="Needs grew",
    )
    short = audit_change(
        case, by=district_manager, request=request, changes=changes, reason="Needs grew"
    )
    fields = ROW + MORE
    long_row, short_row = (
        AuditEvent.objects.filter(pk=pk).values(*fields).get() for pk in (long.pk, short.pk)
    )
    assert short_row == long_row
    assert short_row["action"] == AuditAction.CHANGE
    assert short_row["family_id"] == case.family_id
    assert short_row["ip_address"] == "10.0.0.7"


def test_audit_change_without_request_or_changes_records_empty_values(practitioner):
    case = open_case(lead=practitioner)
    row = audit_change(case, by=practitioner)
    assert (row.path, row.ip_address, row.changes, row.reason) == ("", None, {}, "")
    assert row.user == practitioner
