"""Issue 17, point 3: the audit trail is whole and cannot be forged from the client.

On today's code: refused API calls and API list reads left no row, a wrong second-factor
code left no row, "signed in" was written at the password step, and the address came from
whatever the client wrote first in X-Forwarded-For. Each test below fails there."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.models import AuditAction, AuditEvent
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _sign_in(client, user, **extra):
    return client.post(
        reverse("login"), {"username": user.email, "password": "correct-horse-battery"}, **extra
    )


def test_a_refused_api_call_is_audited(client, practitioner):
    signed_in(client, practitioner)
    assert client.get("/api/v1/cases/987654/").status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.user == practitioner
    assert event.record_id == 987654
    assert event.path == "/api/v1/cases/987654/"


def test_an_api_call_refused_by_role_is_audited(client, strategic_viewer):
    signed_in(client, strategic_viewer)
    assert client.get("/api/v1/cases/").status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, user=strategic_viewer, path="/api/v1/cases/"
    ).exists()


def test_an_unauthenticated_api_call_is_audited(client):
    assert client.get("/api/v1/people/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, user=None).count() == 1


def test_an_api_list_read_is_one_audit_row_not_one_per_record(client, practitioner):
    for _ in range(3):
        factories.open_case(lead=practitioner)
    signed_in(client, practitioner)
    before = AuditEvent.objects.count()
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200 and len(response.json()["results"]) == 3
    rows = AuditEvent.objects.order_by("pk")[before:]
    assert len(rows) == 1
    assert rows[0].action == AuditAction.VIEW
    assert rows[0].record_type == "case"
    assert rows[0].reason == "API list: 3 records"


def test_signed_in_is_written_at_the_second_factor_not_the_password(client, practitioner):
    _sign_in(client, practitioner)
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_ACCEPTED).count() == 1

    client.post(reverse("two_factor"), {"code": "000000"})
    failed = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert failed.user == practitioner
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()

    device = TOTPDevice.objects.get(user=practitioner)
    device.throttle_reset()
    client.post(reverse("two_factor"), {"code": f"{TOTP(device.bin_key).token():06d}"})
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, user=practitioner).count() == 1


def test_a_forged_forwarded_for_header_is_ignored_by_default(client, practitioner):
    signed_in(client, practitioner)
    client.get("/api/v1/cases/5/", HTTP_X_FORWARDED_FOR="203.0.113.66", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.ip_address == "10.1.2.3"


def test_the_address_comes_from_the_configured_trusted_proxies(client, practitioner, settings):
    """With one proxy, the client is the last address it appended; anything to its left
    was written by the client."""
    settings.TRUSTED_PROXY_COUNT = 1
    signed_in(client, practitioner)
    client.get(
        "/api/v1/cases/5/",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
        REMOTE_ADDR="10.0.0.1",
    )
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.ip_address == "198.51.100.7"
