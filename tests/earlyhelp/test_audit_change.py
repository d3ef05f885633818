from django.test import RequestFactory

from earlyhelp.audit import audit_change
from earlyhelp.models import AuditAction
from tests.factories import open_case


def test_audit_change_writes_a_change_row_about_the_record_and_its_family(
    practitioner, district_manager
):
    case = open_case(lead=practitioner)
    request = RequestFactory().post("/cases/1/level/", REMOTE_ADDR="10.0.0.7")
    request.user = district_manager
    row = audit_change(
        case,
        by=district_manager,
        request=request,
        changes={"level_of_need": ["2", "3"]},
        reason="Needs grew",
    )
    row.refresh_from_db()
    assert (row.user, row.action) == (district_manager, AuditAction.CHANGE)
    assert (row.record_type, row.record_id) == ("earlyhelpcase", case.pk)
    assert (row.person_id, row.family_id) == (None, case.family_id)
    assert (row.path, row.ip_address) == ("/cases/1/level/", "10.0.0.7")
    assert (row.changes, row.reason) == ({"level_of_need": ["2", "3"]}, "Needs grew")


def test_audit_change_without_request_or_changes_records_empty_values(practitioner):
    case = open_case(lead=practitioner)
    row = audit_change(case, by=practitioner)
    assert (row.path, row.ip_address, row.changes, row.reason) == ("", None, {}, "")
    assert row.user == practitioner
