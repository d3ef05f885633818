"""Actors and families in each programme state, built through the real services."""

import datetime
import random

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments import services as eha
from cases.models import Need
from demo.casework import _content, with_child_voices
from outcomes import services
from outcomes.models import ProgressStatus
from partners.models import Role
from tests import factories

PROGRAMME_GROUP = "Family outcomes programme team"
AUDIT_GROUP = "Family outcomes internal audit"
THREE = ["education", "housing", "financial_stability"]


@pytest.fixture(autouse=True)
def _default_plan(request):
    """Transactional tests empty every table: seed the default plan and groups again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("outcomes.migrations.0002_default_plan").load(apps, None)


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def programme_officer(eh_team, db):
    user = factories.UserFactory(
        full_name="Olu Programme", role=Role.CONSULTANT, agency=eh_team, districts=[]
    )
    return in_group(user, PROGRAMME_GROUP)


@pytest.fixture
def auditor(eh_team, db):
    user = factories.UserFactory(
        full_name="Ada Auditor", role=Role.CONSULTANT, agency=eh_team, districts=[]
    )
    return in_group(user, AUDIT_GROUP)


def worked_case(
    *,
    lead,
    manager,
    needs=THREE,
    opened_days_ago: int = 400,
    review_days_ago: int = 300,
):
    """An open case with a signed-off assessment naming `needs`, a family plan with one
    outcome (baseline 3) and a held review `review_days_ago` days ago (scaling 7)."""
    today = timezone.localdate()
    case = factories.open_case(
        lead=lead,
        opened_on=today - datetime.timedelta(days=opened_days_ago),
        consent_agencies=[lead.agency],
    )
    start = min(case.opened_on + datetime.timedelta(days=5), today)
    a = eha.assessment_start(case=case, acting_user=lead, started_on=start)
    a = eha.assessment_save(
        assessment=a,
        acting_user=lead,
        lock_version=a.lock_version,
        content=with_child_voices(case, _content(random.Random(1))),
        need_ids=list(
            Need.objects.filter(framework="supporting_families", code__in=needs).values_list(
                "pk", flat=True
            )
        ),
    )
    a = eha.assessment_submit(assessment=a, acting_user=lead, lock_version=a.lock_version)
    eha.assessment_sign_off(assessment=a, acting_user=manager)
    plan = eha.plan_create(case=case, acting_user=lead, created_on=start)
    outcome = eha.outcome_add(
        plan=plan, acting_user=lead, text="Calmer mornings", baseline_scaling=3
    )
    first = eha.meeting_schedule(case=case, acting_user=lead, scheduled_for=start)
    eha.meeting_record(meeting=first, acting_user=lead, held_on=start, decision="continue")
    held_on = today - datetime.timedelta(days=review_days_ago)
    review = case.taf_meetings.filter(status="scheduled").first() or eha.meeting_schedule(
        case=case, acting_user=lead, scheduled_for=held_on
    )
    eha.meeting_record(
        meeting=review,
        acting_user=lead,
        held_on=held_on,
        decision="continue",
        progress=[{"outcome": outcome, "scaling": 7}],
    )
    review.refresh_from_db()
    case.review = review
    return case


def sustain_all(case, *, acting_user, since: datetime.date):
    """Every need: significant progress since `since`, recorded at the case's review."""
    for need in case.programme.needs.all():
        services.progress_record(
            need=need,
            acting_user=acting_user,
            status=ProgressStatus.SIGNIFICANT,
            evidence="Attendance 96% this term; rent paid on time.",
            meeting=case.review,
            significant_since=since,
        )


@pytest.fixture
def working_case(practitioner, district_manager):
    case = worked_case(lead=practitioner, manager=district_manager)
    services.needs_from_assessment(case=case, acting_user=practitioner)
    case.refresh_from_db()
    case.review = case.taf_meetings.filter(kind="review", status="held").first()
    return case


@pytest.fixture
def ready_case(working_case, practitioner):
    sustain_all(working_case, acting_user=practitioner, since=working_case.review.held_on)
    return working_case
