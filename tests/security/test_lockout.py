"""Issue 17, point 4: lock-out per account and, separately, per address, without telling an
attacker which emails exist.

On today's code the lock was on the pair (email, address): a locked account signed in at
once from another address, and one address could try any number of accounts. The first two
tests fail there."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _attempt(client, email, password, address):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_a_locked_account_stays_locked_from_another_address(client, practitioner):
    for _ in range(5):
        _attempt(client, practitioner.email, "wrong-password-guess", "192.0.2.10")
    response = _attempt(client, practitioner.email, "correct-horse-battery", "198.51.100.20")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_one_address_trying_many_accounts_is_locked(client, eh_team, district):
    users = [factories.UserFactory(agency=eh_team, districts=[district]) for _ in range(6)]
    for user in users[:5]:
        _attempt(client, user.email, "wrong-password-guess", "192.0.2.99")
    response = _attempt(client, users[5].email, "correct-horse-battery", "192.0.2.99")
    assert response.status_code == 429
    # The same account from an address that has not failed still signs in.
    response = _attempt(client, users[5].email, "correct-horse-battery", "192.0.2.100")
    assert response.status_code == 302


def test_locking_out_does_not_reveal_whether_an_email_exists(client, practitioner):
    """An email with no account locks after the same number of failures, with the same
    answer as a real one, and the messages before the lock are the same too."""
    answers = {}
    for email, address in (
        (practitioner.email, "192.0.2.1"),
        ("nobody-here@example.test", "192.0.2.2"),
    ):
        statuses = []
        for _ in range(6):
            response = _attempt(client, email, "wrong-password-guess", address)
            statuses.append(response.status_code)
        body = re.sub(
            r'(nonce|value)="[^"]*"', "", response.content.decode().replace(email, "EMAIL")
        )
        answers[email] = (statuses, body)
    real, unknown = answers[practitioner.email], answers["nobody-here@example.test"]
    assert real[0] == unknown[0]
    assert real[0][-1] == 429
    assert real[1] == unknown[1]
