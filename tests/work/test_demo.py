"""The demo county gives every role a tray with items in every kind, some overdue."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from partners.models import User
from work.tray import work_tray_for

pytestmark = pytest.mark.django_db

EXPECTED = {
    "practitioner@demo.test": {
        "assessment_start",
        "assessment_submit",
        "assessment_correct",
        "first_taf",
        "meeting",
        "review",
        "action",
        "consent",
        "handover",
    },
    "manager@demo.test": {
        "allocation",
        "signoff",
        "overdue_work",
        "drift",
        "no_progress",
        "long_open",
        "leaver_case",
        "supervision",
    },
    "frontdoor@demo.test": {"triage"},
    "consultant@demo.test": {"partner_drift", "consultation", "contribution"},
    "admin@demo.test": {"leaver"},
}


def test_every_role_has_every_kind_of_work_some_overdue():
    call_command("load_demo_county", families=24, verbosity=0)
    today = timezone.localdate()
    for email, kinds in EXPECTED.items():
        tray = work_tray_for(User.objects.get(email=email), today=today)
        assert kinds <= {i.kind for i in tray.items}, email
        assert tray.overdue_count > 0, email
    manager = work_tray_for(User.objects.get(email="manager@demo.test"), today=today)
    assert any(i.overdue for i in manager.items if i.kind == "supervision")  # overdue shows
    strategic = work_tray_for(User.objects.get(email="strategic@demo.test"), today=today)
    figures = dict(strategic.figures)
    assert figures["Open cases"] > 0
    assert sum(n for label, n in strategic.figures if label.startswith("Overdue")) > 0
