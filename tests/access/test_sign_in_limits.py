"""The sign-in page says the email address's limit with its label, where Django's "Ensure
this value has at most 320 characters" showed."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_too_long_email_address_is_said_in_words(client):
    email = "a" * 320 + "@example.test"
    response = client.post(reverse("login"), {"username": email, "password": "x"})
    page = html.unescape(response.content.decode())
    assert "Email address must be 254 characters or fewer; you entered 333" in page
    assert "Ensure this value" not in page
