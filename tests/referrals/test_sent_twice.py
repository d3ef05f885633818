"""A request for support sent twice (a resend after a slow network, back and resubmit, two
tabs) is one request; a refused one is still kept as a draft, and its form can be sent."""

import pytest
from django.urls import reverse

from referrals.models import Referral, ReferralStatus
from tests.conftest import signed_in
from tests.referrals.test_views import form_data
from tests.sent_twice import ALREADY_SAVED, send_twice, token_on

pytestmark = pytest.mark.django_db


def test_a_request_sent_twice_is_one_request(client, referrer, district):
    signed_in(client, referrer)
    first, second = send_twice(
        client, reverse("referral_start"), form_data(district, referrer.agency)
    )
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SUBMITTED
    assert first.url == reverse("referral_sent", args=[referral.pk])
    assert second.redirect_chain[0][0] == reverse("referral_list")
    assert ALREADY_SAVED in second.content.decode()


def test_a_refused_request_is_kept_as_a_draft_and_the_same_form_can_then_be_sent(
    client, referrer, district
):
    signed_in(client, referrer)
    url = reverse("referral_start")
    token = token_on(client, url)
    refused = client.post(url, form_data(district, referrer.agency, worries="", once=token))
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    draft = Referral.objects.get()
    assert draft.status == ReferralStatus.DRAFT and draft.draft_data["worries"] == ""
    edit = reverse("referral_edit", args=[draft.pk])
    assert f'action="{edit}"' in refused.content.decode()
    sent = client.post(edit, form_data(district, referrer.agency, once=token))
    assert sent.url == reverse("referral_sent", args=[draft.pk])
    assert Referral.objects.get().status == ReferralStatus.SUBMITTED
