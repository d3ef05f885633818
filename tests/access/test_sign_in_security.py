import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.models import AuditAction, AuditEvent
from partners.models import Role
from tests.conftest import signed_in
from tests.factories import UserFactory


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, practitioner):
    for _ in range(5):
        response = _sign_in(client, practitioner.email, "wrong-password-guess")
        assert response.status_code in (200, 429)
    response = _sign_in(client, practitioner.email, "correct-horse-battery")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() >= 5


def test_failed_sign_in_is_audited_without_the_typed_email(client, practitioner):
    _sign_in(client, practitioner.email, "wrong-password-guess")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert practitioner.email not in str(event.changes) + event.reason


def test_password_alone_does_not_open_case_pages_for_a_practitioner(client, practitioner):
    response = _sign_in(client, practitioner.email, "correct-horse-battery")
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor"))


def test_the_right_totp_code_completes_sign_in(client, practitioner):
    _sign_in(client, practitioner.email, "correct-horse-battery")
    device = TOTPDevice.objects.get(user=practitioner)
    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(reverse("two_factor"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_totp_code_is_refused_with_a_clear_message(client, practitioner):
    _sign_in(client, practitioner.email, "correct-horse-battery")
    response = client.post(reverse("two_factor"), {"code": "000000"})
    assert response.status_code == 200
    assert b"The code is wrong or has expired" in response.content


def test_a_user_without_a_device_is_asked_to_set_one_up(client, practitioner):
    TOTPDevice.objects.filter(user=practitioner).delete()
    _sign_in(client, practitioner.email, "correct-horse-battery")
    response = client.get(reverse("two_factor"))
    assert b"Set up two-factor sign-in" in response.content
    assert b"data:image/svg+xml;base64," in response.content


def test_a_strategic_viewer_sees_figures_without_a_second_factor(client, strategic_viewer):
    _sign_in(client, strategic_viewer.email, "correct-horse-battery")
    assert client.get(reverse("home")).status_code == 200


def test_session_based_api_calls_need_the_second_factor(client, practitioner):
    signed_in(client, practitioner, verified=False)
    assert client.get("/api/v1/people/").status_code == 403


def test_sessions_expire_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_WARNING_SECONDS < settings.SESSION_COOKIE_AGE


def test_pages_carry_the_expiry_warning_for_signed_in_users(client, practitioner):
    text = signed_in(client, practitioner).get(reverse("home")).content.decode()
    assert 'data-session-idle="1740"' in text  # 30 minutes, less the idle clock's minute
    assert "You will be signed out soon" in text


@pytest.mark.parametrize("password", ["short", "password123456", "Priya Shah 2026"])
def test_weak_passwords_are_refused(password, practitioner):
    with pytest.raises(ValidationError):
        validate_password(password, user=practitioner)


def test_a_long_passphrase_is_accepted_without_complexity_rules(practitioner):
    validate_password("three random words together", user=practitioner)


def test_posts_without_a_csrf_token_are_refused(practitioner, db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": practitioner.email, "password": "x"})
    assert response.status_code == 403


def test_administrators_reach_the_admin_and_others_do_not(client, administrator, district_manager):
    assert signed_in(client, administrator).get("/admin/").status_code == 200
    client.logout()
    assert signed_in(client, district_manager).get("/admin/").status_code == 403


def test_strategic_viewer_has_no_case_data_pages(client, strategic_viewer):
    UserFactory(role=Role.PRACTITIONER)
    response = signed_in(client, strategic_viewer).get("/api/v1/families/")
    assert response.status_code == 403
