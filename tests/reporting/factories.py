"""Builders for the records the reporting indicators count. Names are synthetic."""

import datetime

from django.utils import timezone

from assessments.deadlines import assessment_due_on
from assessments.models import Assessment, AssessmentVersion, FamilyPlan, TafMeeting
from cases.codes import Relationship
from cases.models import CaseClosure, CaseStatus, FamilyView, StepEvent
from referrals.models import Referral, TriageDecision
from tests import factories


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def case(*, lead, opened_on, level_of_need=2, family=None, children=1, district=None):
    family = family or factories.family_with_children(
        district=district or lead.districts.first(), children=children
    )
    return factories.open_case(
        lead=lead, family=family, level_of_need=level_of_need, opened_on=opened_on
    )


def close(the_case, *, closed_on, reason="needs_met", family_view=FamilyView.NOT_ASKED):
    the_case.status = CaseStatus.CLOSED
    the_case.closed_on = closed_on
    the_case.closure_reason = reason
    the_case.save()
    CaseClosure.objects.create(
        case=the_case,
        reason=reason,
        closed_on=closed_on,
        family_view=family_view,
        closed_by=the_case.lead_professional,
    )
    return the_case


def assessment(the_case, *, started_on, signed_off_on=None):
    record = Assessment.objects.create(
        case=the_case,
        started_on=started_on,
        due_on=assessment_due_on(started_on),
        created_by=the_case.lead_professional,
        status="signed_off" if signed_off_on else "draft",
    )
    if signed_off_on:
        AssessmentVersion.objects.create(
            assessment=record,
            number=1,
            content={},
            started_on=started_on,
            signed_off_at=at(signed_off_on),
            signed_off_by=the_case.lead_professional,
        )
    return record


def plan(the_case, *, created_on, first_taf_due_on=None, agreed_on=None):
    return FamilyPlan.objects.create(
        case=the_case,
        created_on=created_on,
        first_taf_due_on=first_taf_due_on or created_on + datetime.timedelta(days=14),
        agreed_on=agreed_on,
        created_by=the_case.lead_professional,
    )


def meeting(the_case, *, held_on, kind="review", next_review_on=None):
    return TafMeeting.objects.create(
        case=the_case,
        kind=kind,
        status="held",
        scheduled_for=held_on,
        held_on=held_on,
        decision="continue",
        next_review_on=next_review_on,
        scheduled_by=the_case.lead_professional,
    )


def step(the_case, *, direction, occurred_on):
    return StepEvent.objects.create(
        case=the_case,
        direction=direction,
        occurred_on=occurred_on,
        reason="Test",
        level_of_need_before=2,
        level_of_need_after=4 if direction == "up" else 2,
        recorded_by=the_case.lead_professional,
    )


def referral(
    *,
    by,
    received_on,
    district=None,
    family=None,
    status="submitted",
    due_on=None,
    channel="web",
    urgency="routine",
):
    return Referral.objects.create(
        status=status,
        channel=channel,
        created_by=by,
        district=district or by.districts.first(),
        received_at=at(received_on),
        due_on=due_on or received_on + datetime.timedelta(days=3),
        family=family,
        urgency=urgency,
        closed_reason="withdrawn" if status == "closed" else "",
        picked_up_by=by if status == "in_triage" else None,
        worries="Test",
    )


def decide(the_referral, *, outcome, decided_on, by, the_case=None, agency=None):
    the_referral.status = "decided"
    the_referral.save()
    return TriageDecision.objects.create(
        referral=the_referral,
        level_of_need=2,
        outcome=outcome,
        rationale="Test",
        allocated_agency=agency,
        case=the_case,
        decided_by=by,
        decided_at=at(decided_on),
    )


def child_of(the_case):
    return the_case.family.memberships.filter(relationship=Relationship.CHILD).first().person
