"""The Django admin (issue 13, point 5): case data is read-only; administrators manage
users, agencies, districts, hubs, the services directory and the schedules, audited."""

import datetime

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import BreakGlass, ConsentRecord, EarlyHelpCase, Family, Person
from earlyhelp.models import AuditAction, AuditEvent
from partners.models import Agency, District, FamilyHub, Organisation, Role, Service, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator, case):
    BreakGlass.objects.create(
        user=administrator,
        family=case.family,
        reason="Checking the admin cannot change case data",
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    return signed_in(client, administrator)


def _snapshot(case):
    family = Family.objects.get(pk=case.family_id)
    child = case.children.get()
    return (
        family.name,
        family.postcode,
        Person.objects.get(pk=child.pk).first_name,
        EarlyHelpCase.objects.get(pk=case.pk).status,
        ConsentRecord.objects.filter(case=case).count(),
    )


def test_the_admin_changes_no_case_data(admin_client, case):
    before = _snapshot(case)
    child = case.children.get()
    consent = ConsentRecord.objects.get(case=case)
    records = {
        "cases_family": case.family_id,
        "cases_person": child.pk,
        "cases_earlyhelpcase": case.pk,
        "cases_consentrecord": consent.pk,
    }
    for name, pk in records.items():
        change = reverse(f"admin:{name}_change", args=[pk])
        page = admin_client.get(change)
        assert page.status_code == 200, name  # readable under break glass
        assert 'name="_save"' not in page.content.decode(), name
        assert (
            admin_client.post(change, {"name": "Hacked", "first_name": "Hacked"}).status_code == 403
        )
        assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 403, name
        assert (
            admin_client.post(
                reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"}
            ).status_code
            == 403
        )
    assert _snapshot(case) == before


def test_administrators_create_and_change_users_audited(admin_client, eh_team, district):
    response = admin_client.post(
        reverse("admin:partners_user_add"),
        {
            "email": "new.worker@example.test",
            "full_name": "New Worker",
            "role": Role.PRACTITIONER,
            "agency": eh_team.pk,
            "districts": [district.pk],
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.worker@example.test")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, record_type="user", record_id=user.pk
    ).exists()


def test_switching_off_a_leaver_lists_their_cases_for_reallocation(
    admin_client, practitioner, case, district_manager
):
    response = admin_client.post(
        reverse("admin:partners_user_changelist"),
        {"action": "switch_off_leavers", "_selected_action": [practitioner.pk]},
    )
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    event = AuditEvent.objects.get(record_type="user", record_id=practitioner.pk)
    assert event.changes["cases_to_reallocate"] == [case.pk]
    assert district_manager.notifications.filter(subject__contains=case.reference).exists()


def test_resetting_two_factor_removes_the_device_audited(admin_client, practitioner):
    assert TOTPDevice.objects.filter(user=practitioner).exists()
    admin_client.post(
        reverse("admin:partners_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [practitioner.pk]},
    )
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert AuditEvent.objects.filter(
        record_type="user", record_id=practitioner.pk, reason__contains="Two-factor"
    ).exists()


def test_users_are_never_deleted_in_the_admin(admin_client, practitioner):
    response = admin_client.post(
        reverse("admin:partners_user_delete", args=[practitioner.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=practitioner.pk).exists()


def test_administrators_manage_districts_hubs_agencies_services_and_schedules_audited(
    admin_client, eh_team
):
    assert (
        admin_client.post(
            reverse("admin:partners_district_add"),
            {
                "code": "newtown",
                "name": "Newtown",
                "family_hubs-TOTAL_FORMS": 0,
                "family_hubs-INITIAL_FORMS": 0,
            },
        ).status_code
        == 302
    )
    district = District.objects.get(code="newtown")
    assert (
        admin_client.post(
            reverse("admin:partners_familyhub_add"),
            {"district": district.pk, "name": "Newtown Hub"},
        ).status_code
        == 302
    )
    assert (
        admin_client.post(
            reverse("admin:partners_agency_add"),
            {
                "name": "Newtown Academy",
                "kind": "school",
                "active": "on",
                "districts": [district.pk],
            },
        ).status_code
        == 302
    )
    agency = Agency.objects.get(name="Newtown Academy")
    organisation = Organisation.objects.create(name=agency.name, agency=agency)
    assert (
        admin_client.post(
            reverse("admin:partners_service_add"),
            {"organisation": organisation.pk, "name": "Homework club", "status": "active"},
        ).status_code
        == 302
    )
    task = PeriodicTask.objects.get(task="records.tasks.retention_list_due")
    page = admin_client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert page.status_code == 200
    for model, pk in [
        ("district", district.pk),
        ("familyhub", FamilyHub.objects.get(name="Newtown Hub").pk),
        ("agency", agency.pk),
        ("service", Service.objects.get(name="Homework club").pk),
    ]:
        assert AuditEvent.objects.filter(
            action=AuditAction.CREATE, record_type=model, record_id=pk
        ).exists(), model
    agency_change = reverse("admin:partners_agency_change", args=[agency.pk])
    admin_client.post(
        agency_change, {"name": "Newtown Academy", "kind": "school", "districts": [district.pk]}
    )
    event = AuditEvent.objects.filter(
        action=AuditAction.CHANGE, record_type="agency", record_id=agency.pk
    ).get()
    assert event.changes["active"] == ["True", "False"]


def test_a_practitioner_cannot_open_the_admin(client, practitioner):
    response = signed_in(client, practitioner).get(reverse("admin:partners_user_changelist"))
    assert response.status_code in (302, 403)
