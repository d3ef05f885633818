import random

import pytest
from django.core.management import call_command

from demo.referrals import load_demo_referrals
from referrals.models import Outcome, Referral, ReferralStatus, TriageDecision

pytestmark = pytest.mark.django_db


def test_demo_referrals_cover_every_state(settings):
    call_command("load_demo_county", families=24, seed=7)
    before = Referral.objects.count()
    made = load_demo_referrals(random.Random(1), count=60)
    assert len(made) == 60 and Referral.objects.count() == before + 60
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {
        ReferralStatus.SUBMITTED,
        ReferralStatus.IN_TRIAGE,
        ReferralStatus.DECIDED,
        ReferralStatus.CLOSED,
    } <= statuses
    outcomes = set(TriageDecision.objects.values_list("outcome", flat=True))
    assert {Outcome.TARGETED, Outcome.UNIVERSAL_PLUS, Outcome.STEP_UP} <= outcomes
    assert Referral.objects.filter(channel="step_down").exists()
