"""A family plan's outcome sent twice (a resend, back and resubmit, two tabs) is added once,
and the second answer says it was already saved."""

import datetime

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import PlanOutcome
from tests.conftest import signed_in
from tests.sent_twice import send_twice, told_already_saved

pytestmark = pytest.mark.django_db


def test_a_plan_outcome_sent_twice_is_added_once(client, case):
    lead = case.lead_professional
    services.assessment_start(case=case, acting_user=lead, started_on=datetime.date(2026, 11, 2))
    services.plan_create(case=case, acting_user=lead, created_on=datetime.date(2026, 11, 2))
    signed_in(client, lead)
    before = PlanOutcome.objects.filter(plan__case=case).count()
    data = {"text": "Homework done before tea", "priority": "2", "baseline_scaling": "3"}
    url = reverse("add_plan_outcome", args=[case.pk])
    first, second = send_twice(client, url, data)
    assert told_already_saved(first, second)
    added = PlanOutcome.objects.filter(plan__case=case, text="Homework done before tea")
    assert added.count() == 1
    assert PlanOutcome.objects.filter(plan__case=case).count() == before + 1
