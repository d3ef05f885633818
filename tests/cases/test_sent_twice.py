"""Casework forms sent twice (a resend after a slow network, back and resubmit, two tabs)
record once and say the second time that it was already saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import NoConsentDecision, StepEvent
from tests.conftest import signed_in
from tests.sent_twice import send_twice, token_on, told_already_saved

pytestmark = pytest.mark.django_db


def no_consent(**changes):
    return {
        "decided_on": timezone.localdate().isoformat(),
        "escalation": NoConsentDecision.Escalation.values[0],
        "next_step": NoConsentDecision.NextStep.values[0],
        "rationale": "Parents declined at the home visit.",
        **changes,
    }


def test_a_no_consent_decision_sent_twice_is_recorded_once(client, case, practitioner):
    signed_in(client, practitioner)
    first, second = send_twice(client, reverse("record_no_consent", args=[case.pk]), no_consent())
    assert told_already_saved(first, second)
    assert NoConsentDecision.objects.filter(case=case).count() == 1
    assert case.chronology.filter(title__startswith="No consent").count() == 1


def test_a_no_consent_decision_refused_then_corrected_is_recorded_with_the_same_form(
    client, case, practitioner
):
    signed_in(client, practitioner)
    url = reverse("record_no_consent", args=[case.pk])
    token = token_on(client, url)
    refused = client.post(url, no_consent(rationale="", once=token))
    assert refused.status_code == 400
    assert client.post(url, no_consent(once=token)).status_code == 302
    assert NoConsentDecision.objects.filter(case=case).count() == 1


def test_a_no_consent_decision_posted_without_a_token_records_as_before(client, case, practitioner):
    signed_in(client, practitioner)
    url = reverse("record_no_consent", args=[case.pk])
    assert client.post(url, no_consent()).status_code == 302
    assert client.post(url, no_consent()).status_code == 302
    assert NoConsentDecision.objects.filter(case=case).count() == 2


def test_a_step_down_sent_twice_is_recorded_once(client, case, practitioner):
    signed_in(client, practitioner)
    data = {
        "across": "down",
        "occurred_on": timezone.localdate().isoformat(),
        "level_of_need": "3",
        "other_service": "Amberford children's social care",
        "reason": "Section 47 closed; early help to continue.",
    }
    first, second = send_twice(client, reverse("step_down_case", args=[case.pk]), data)
    assert told_already_saved(first, second)
    assert StepEvent.objects.filter(case=case).count() == 1
