import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from earlyhelp.audit import audit
from earlyhelp.models import AuditAction, AuditEvent
from tests import factories
from tests.conftest import signed_in


@pytest.fixture
def case(practitioner, eh_team):
    return factories.open_case(lead=practitioner, consent_agencies=[eh_team])


def test_the_database_rejects_changing_an_audit_row(case):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")


def test_the_database_rejects_deleting_an_audit_row(case):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


def test_viewing_a_childs_record_is_audited_with_who_when_and_where(client, practitioner, case):
    child = case.children.first()
    signed_in(client, practitioner).get(
        reverse("person_detail", args=[child.pk]), REMOTE_ADDR="10.1.2.3"
    )
    event = AuditEvent.objects.get(action=AuditAction.VIEW, person_id=child.pk)
    assert event.user == practitioner
    assert event.ip_address == "10.1.2.3"
    assert event.path == f"/people/{child.pk}/"


def test_a_failed_attempt_to_open_a_record_is_audited(client, case, other_district):
    outsider = factories.UserFactory(districts=[other_district])
    response = signed_in(client, outsider).get(reverse("family_detail", args=[case.family_id]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (event.user, event.record_id) == (outsider, case.family_id)


def test_creating_a_case_is_audited(case, practitioner):
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, record_type="earlyhelpcase", record_id=case.pk, user=practitioner
    ).exists()


def test_manager_sees_who_has_seen_a_childs_record(client, practitioner, district_manager, case):
    child = case.children.first()
    signed_in(client, practitioner).get(reverse("person_detail", args=[child.pk]))
    client.logout()
    response = signed_in(client, district_manager).get(reverse("person_audit", args=[child.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Priya Shah" in text
    assert "Viewed" in text


def test_a_practitioner_cannot_read_the_audit_trail(client, practitioner, case):
    child = case.children.first()
    response = signed_in(client, practitioner).get(reverse("person_audit", args=[child.pk]))
    assert response.status_code == 403


def test_administrator_sees_the_trail_without_the_childs_name(client, administrator, case):
    child = case.children.first()
    response = signed_in(client, administrator).get(reverse("person_audit", args=[child.pk]))
    assert response.status_code == 200
    assert child.first_name not in response.content.decode()


def test_break_glass_needs_a_reason_and_is_audited(client, administrator, case):
    signed_in(client, administrator)
    url = reverse("family_detail", args=[case.family_id])
    assert client.get(url).status_code == 404
    response = client.post(reverse("break_glass"), {"family": case.family_id, "reason": ""})
    assert b"Enter the reason for opening this record" in response.content
    response = client.post(
        reverse("break_glass"),
        {"family": case.family_id, "reason": "Subject access request SAR-2026-114"},
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.reason == "Subject access request SAR-2026-114"


def test_user_activity_page_lists_what_a_user_did(client, administrator, practitioner, case):
    response = signed_in(client, administrator).get(
        reverse("user_activity", args=[practitioner.pk])
    )
    assert response.status_code == 200
    assert "Created" in response.content.decode()


def test_team_manager_cannot_see_activity_of_another_agencys_staff(client, district_manager):
    outsider = factories.UserFactory()
    response = signed_in(client, district_manager).get(reverse("user_activity", args=[outsider.pk]))
    assert response.status_code == 404


def test_the_audit_trail_keeps_its_filter_on_the_next_page(client, administrator, practitioner):
    for n in range(1, 52):
        audit(user=practitioner, action=AuditAction.VIEW, record_type="person", record_id=n)
    response = signed_in(client, administrator).get(
        reverse("audit_search"), {"record_type": "person", "page": "1"}
    )
    assert response.status_code == 200
    assert 'href="?record_type=person&amp;page=2"' in response.content.decode()
