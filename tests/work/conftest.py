import datetime

import pytest
from django.utils import timezone

from assessments.models import (
    Assessment,
    FamilyPlan,
    PlanAction,
    PlanOutcome,
    SignOffDecision,
    TafMeeting,
)
from cases import services as case_services
from cases.models import LeadProfessionalHandover
from earlyhelp.working_days import add_working_days
from tests import factories


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def plan_for(case, *, first_taf_due_on, agreed_on=None) -> FamilyPlan:
    return FamilyPlan.objects.create(
        case=case,
        created_on=min(first_taf_due_on, case.opened_on) if agreed_on is None else case.opened_on,
        first_taf_due_on=first_taf_due_on,
        agreed_on=agreed_on,
        created_by=case.lead_professional,
    )


def action_for(case, member, *, due_on) -> PlanAction:
    plan = FamilyPlan.objects.filter(case=case).first() or plan_for(
        case, first_taf_due_on=case.opened_on, agreed_on=case.opened_on
    )
    outcome = PlanOutcome.objects.create(plan=plan, text="Sleep well", created_on=case.opened_on)
    return PlanAction.objects.create(
        outcome=outcome,
        what="Arrange a sleep clinic appointment",
        owner_member=member,
        set_on=min(due_on, case.opened_on),
        due_on=due_on,
    )


def build_lead_work(lead, colleague, agency):
    """One of each kind of work for a lead professional; returns the cases by name."""
    today = timezone.localdate()
    cases = {}
    # No assessment and no consent, opened 40 days ago: both overdue.
    cases["unassessed"] = factories.open_case(lead=lead, opened_on=days(-40))
    # A draft assessment due in 3 working days, a first TAF meeting overdue, a meeting booked.
    c = factories.open_case(lead=lead, opened_on=days(-20), consent_agencies=[agency])
    Assessment.objects.create(
        case=c, started_on=days(-1), due_on=add_working_days(today, 3), created_by=lead
    )
    plan_for(c, first_taf_due_on=days(-2))
    TafMeeting.objects.create(
        case=c,
        kind="first_taf",
        scheduled_for=days(5),
        starts_at=datetime.time(10, 0),
        scheduled_by=lead,
    )
    LeadProfessionalHandover.objects.create(
        case=c,
        from_user=colleague,
        to_user=lead,
        handed_over_on=days(-1),
        note="Handed over",
        recorded_by=colleague,
    )
    cases["drafting"] = c
    # A returned assessment.
    c = factories.open_case(lead=lead, opened_on=days(-30), consent_agencies=[agency])
    returned = Assessment.objects.create(
        case=c, started_on=days(-30), due_on=days(-2), created_by=lead
    )
    SignOffDecision.objects.create(
        assessment=returned,
        version_number=1,
        outcome="returned",
        comment="Add the child's voice",
        decided_by=colleague,
    )
    cases["returned"] = c
    # A review overdue: held meeting whose next review date has passed, none booked.
    c = factories.open_case(lead=lead, opened_on=days(-90), consent_agencies=[agency])
    TafMeeting.objects.create(
        case=c,
        kind="review",
        status="held",
        scheduled_for=days(-45),
        held_on=days(-45),
        decision="continue",
        next_review_on=days(-3),
        scheduled_by=lead,
        recorded_by=lead,
        recorded_at=timezone.now(),
    )
    cases["review"] = c
    # A colleague's case where the lead owns an overdue action as a TAF member.
    c = factories.open_case(lead=colleague, opened_on=days(-60), consent_agencies=[agency])
    member = case_services.taf_member_add(
        case=c, user=lead, agency=agency, acting_user=colleague, joined_on=days(-60)
    )
    action_for(c, member, due_on=days(-1))
    cases["colleague"] = c
    return cases


@pytest.fixture
def colleague(eh_team, district):
    return factories.UserFactory(full_name="Tom Reed", agency=eh_team, districts=[district])


@pytest.fixture
def lead_work(practitioner, colleague, eh_team):
    return build_lead_work(practitioner, colleague, eh_team)


from tests.reminders.conftest import workers  # noqa: E402,F401 - real Celery workers
