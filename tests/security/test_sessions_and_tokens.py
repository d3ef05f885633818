"""Issue 17, point 5: sessions, the API schema, tokens and throttling.

On today's code: the session key stayed the same through the second factor; the schema and
docs opened with a password alone; any person's DRF token used the API without a second
factor; and no throttle class was configured, so the rates did nothing. Each test below
fails there."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from earlyhelp.models import ApiScope
from partners import service_accounts
from partners.models import Role
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_session_key_changes_when_the_second_factor_is_verified(client, practitioner):
    client.post(
        reverse("login"), {"username": practitioner.email, "password": "correct-horse-battery"}
    )
    key_after_password = client.session.session_key
    device = TOTPDevice.objects.get(user=practitioner)
    response = client.post(reverse("two_factor"), {"code": f"{TOTP(device.bin_key).token():06d}"})
    assert response.status_code == 302
    assert client.session.session_key != key_after_password
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_api_schema_and_docs_need_the_second_factor(client, practitioner, path):
    signed_in(client, practitioner, verified=False)
    assert client.get(path).status_code == 403
    signed_in(client, practitioner, verified=True)
    assert client.get(path).status_code == 200


def test_a_persons_token_cannot_skip_the_second_factor(client, practitioner):
    factories.open_case(lead=practitioner)
    token = Token.objects.create(user=practitioner)
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)


@pytest.fixture
def partner_system(eh_team, district, administrator):
    return service_accounts.service_account_create(
        acting_user=administrator,
        email="mis@school.example.test",
        system_name="School MIS",
        agency=eh_team,
        role=Role.TEAM_MANAGER,
        districts=[district],
    )


def test_a_service_account_token_reads_within_its_scope(
    client, partner_system, administrator, practitioner
):
    case = factories.open_case(lead=practitioner)
    token, key = service_accounts.api_token_issue(
        account=partner_system, acting_user=administrator, scope=ApiScope.READ, days=30
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    response = client.get("/api/v1/cases/", **auth)
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [case.pk]
    assert "no-store" in response["Cache-Control"]  # a proxy keeps no copy of a case
    # A read-only token may not change anything.
    response = client.post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"text": "From the MIS"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.key_digest != key and key not in token.key_digest


def test_expired_and_revoked_tokens_are_refused(client, partner_system, administrator):
    token, key = service_accounts.api_token_issue(
        account=partner_system, acting_user=administrator, days=1
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/cases/", **auth).status_code == 200
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert client.get("/api/v1/cases/", **auth).status_code == 401
    token.expires_at = timezone.now() + timedelta(days=1)
    token.save()
    service_accounts.api_token_revoke(token=token, acting_user=administrator)
    assert client.get("/api/v1/cases/", **auth).status_code == 401


def test_a_service_account_cannot_sign_in_to_the_pages(client, partner_system):
    response = client.post(
        reverse("login"), {"username": "mis@school.example.test", "password": ""}
    )
    assert response.status_code == 200
    assert not partner_system.user.has_usable_password()


def test_api_throttling_answers_429_over_the_configured_rate(client, practitioner, settings):
    cache.delete(f"throttle_user_{practitioner.pk}")  # counts from earlier tests' requests
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "3/minute"},
    }
    signed_in(client, practitioner)
    statuses = [client.get("/api/v1/cases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get("/api/v1/cases/").headers["Retry-After"]) > 0


def test_throttling_is_configured_for_every_endpoint(settings):
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_CLASSES, "rates without a throttle class do nothing"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] == "600/minute"


def test_a_service_account_is_never_offered_as_a_person(partner_system, practitioner):
    """A partner system's account has a role and a place, but is not someone to lead a
    case, join a team or be told about one."""
    from cases import selectors as case_selectors
    from referrals import services as referral_services

    case = factories.open_case(lead=practitioner, consent_agencies=[practitioner.agency])
    assert partner_system.user not in referral_services.eligible_leads_any()
    assert partner_system.user not in case_selectors.users_who_may_join(case)
