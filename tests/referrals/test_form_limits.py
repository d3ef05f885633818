"""The request form says the email address's limit with its label, where Django's "Ensure
this value has at most 254 characters" showed, keeps what was typed (in the draft every
send keeps) and sends nothing."""

import html

import pytest
from django.urls import reverse

from referrals.models import Referral, ReferralStatus
from tests.conftest import signed_in
from tests.referrals.test_views import form_data

pytestmark = pytest.mark.django_db


def test_a_too_long_referrer_email_is_said_in_words(client, referrer, district):
    email = "t" * 250 + "@example.test"  # a valid address, 263 characters
    response = signed_in(client, referrer).post(
        reverse("referral_start"), form_data(district, referrer_email=email)
    )
    page = html.unescape(response.content.decode())
    assert "Email address must be 254 characters or fewer; you entered 263" in page
    assert "Ensure this value" not in page
    assert email in page
    assert not Referral.objects.exclude(status=ReferralStatus.DRAFT).exists()
