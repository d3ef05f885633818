"""Passwords are stored with Argon2id at the parameters ADR 0010 measured; hashes made by
the earlier PBKDF2 setting still sign in and are upgraded on the way."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = django_settings.PRODUCTION_PASSWORD_HASHERS


def test_production_stores_argon2id_with_19_mib_2_passes_1_lane(production_hashers):
    encoded = make_password("a long enough passphrase")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("a long enough passphrase", encoded)
    assert not check_password("a long enough passphrase!", encoded)


@pytest.mark.django_db
def test_a_pbkdf2_password_still_signs_in_and_is_rehashed_with_argon2(production_hashers, client):
    user = UserFactory()
    user.password = make_password("correct-horse-battery", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        reverse("login"), {"username": user.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_tests_keep_a_fast_hasher():
    assert django_settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
