"""Casework for the synthetic demo county: assessments in every state, plans with actions,
TAF meetings and reviews, some overdue. Called by earlyhelp's load_demo_county."""

import datetime
import random

from django.utils import timezone

from assessments import services
from assessments.sections import AREAS, PROMPTS, SCALING, area_field, voice_field
from cases import services as case_services
from cases.models import Need
from partners.models import Role, User

OUTCOMES = [
    "We want mornings to be calmer so the children get to school on time",
    "I want to feel less alone and know where to get help",
    "We want fewer arguments at home",
    "I want my son to sleep in his own bed",
    "We want to sort out the rent arrears",
]
ACTIONS = [
    "Make a morning routine chart",
    "Book a parenting course",
    "Referral to the food bank",
    "School nurse drop-in",
    "Meet the housing officer",
]


def assessment_content(notes, scaling, **answers) -> dict:
    """Demo answers for a whole assessment: `answers` (family_history, analysis ...), then
    for every area `notes(area)` at each prompt and `scaling()` as its score."""
    content = dict(answers)
    for area in AREAS:
        for prompt, _ in PROMPTS:
            content[area_field(area.code, prompt)] = notes(area)
        content[area_field(area.code, SCALING[0])] = scaling()
    return content


def _content(rng: random.Random) -> dict:
    return assessment_content(
        lambda area: f"Demo notes: {area.title.lower()}.",
        lambda: str(rng.randint(2, 8)),
        family_history="Moved to the area two years ago.",
        analysis="The family are motivated; routines and money worries are the focus.",
    )


def with_child_voices(case, content: dict) -> dict:
    """`content` with the voice of each child it does not already hear: a submitted
    assessment records each child's voice (assessments.services.unheard_children)."""
    voices = {
        voice_field(child.pk): f"{child.first_name} says home is calmer when mornings have a plan."
        for child in case.children.all()
    }
    return {**voices, **content}


def submitted_assessment(case, lead, started_on, *, content: dict, need_ids: list):
    """An assessment on `case` started on `started_on`, filled in and submitted by `lead`."""
    a = services.assessment_start(case=case, acting_user=lead, started_on=started_on)
    a = services.assessment_save(
        assessment=a,
        acting_user=lead,
        lock_version=a.lock_version,
        content=with_child_voices(case, content),
        need_ids=need_ids,
    )
    return services.assessment_submit(assessment=a, acting_user=lead, lock_version=a.lock_version)


def open_case(
    *,
    family,
    children,
    lead,
    opened_on,
    level_of_need=2,
    lead_agency=None,
    acting_user=None,
    consent_by=None,
    shared_with=None,
):
    """A case led by `lead`, opened on `opened_on` (by `acting_user`, else the lead); with
    `consent_by`, that person's consent given in person the same day, shared with
    `shared_with` (else the lead's agency)."""
    case = case_services.case_open(
        family=family,
        children=children,
        lead_agency=lead_agency or lead.agency,
        lead_professional=lead,
        level_of_need=level_of_need,
        opened_on=opened_on,
        acting_user=acting_user or lead,
    )
    if consent_by is not None:
        case_services.consent_record(
            case=case,
            given_by=consent_by,
            given_on=opened_on,
            method="in_person",
            shared_with=[lead.agency] if shared_with is None else shared_with,
            acting_user=lead,
        )
    return case


def load_demo_casework(rng: random.Random, cases) -> dict:
    """Add casework to open demo cases (an iterable of EarlyHelpCase with a lead
    professional). Returns counts by kind. Dates are set in the past so some work is
    overdue. Idempotent per case: cases with an assessment are skipped."""
    today = timezone.localdate()
    needs = list(Need.objects.filter(active=True, framework="supporting_families"))
    counts = {"assessments": 0, "signed_off": 0, "plans": 0, "meetings": 0}
    for case in cases:
        lead = case.lead_professional
        if lead is None or not case.is_open or hasattr(case, "assessment"):
            continue
        stage = rng.random()
        start = max(case.opened_on, today - datetime.timedelta(days=rng.randint(5, 60)))
        a = services.assessment_start(case=case, acting_user=lead, started_on=start)
        counts["assessments"] += 1
        if stage < 0.35:
            continue  # a draft, some overdue
        a = services.assessment_save(
            assessment=a,
            acting_user=lead,
            lock_version=a.lock_version,
            content=with_child_voices(case, _content(rng)),
            need_ids=[n.pk for n in rng.sample(needs, min(2, len(needs)))],
        )
        a = services.assessment_submit(assessment=a, acting_user=lead, lock_version=a.lock_version)
        manager = (
            User.objects.filter(
                role=Role.TEAM_MANAGER, districts=case.district_id, agency=case.lead_agency
            )
            .exclude(pk=lead.pk)
            .first()
        )
        if manager is None or stage < 0.5:
            continue  # waiting for sign-off
        services.assessment_sign_off(assessment=a, acting_user=manager, comment="Demo sign-off")
        counts["signed_off"] += 1
        plan = services.plan_create(case=case, acting_user=lead, created_on=start)
        counts["plans"] += 1
        for i, text in enumerate(rng.sample(OUTCOMES, 2), start=1):
            outcome = services.outcome_add(
                plan=plan,
                acting_user=lead,
                text=text,
                priority=i,
                baseline_scaling=rng.randint(1, 5),
            )
            services.action_add(
                outcome=outcome,
                acting_user=lead,
                what=rng.choice(ACTIONS),
                owner_is_family=True,
                set_on=start,
                due_on=start + datetime.timedelta(days=rng.randint(7, 50)),
            )
        if stage < 0.7:
            continue  # first TAF meeting not yet held (some overdue)
        held = min(today, start + datetime.timedelta(days=7))
        meeting = services.meeting_schedule(case=case, acting_user=lead, scheduled_for=held)
        services.meeting_record(
            meeting=meeting,
            acting_user=lead,
            held_on=held,
            decision="continue",
            progress=[{"outcome": o, "scaling": rng.randint(3, 8)} for o in plan.outcomes.all()],
        )
        counts["meetings"] += 1
    return counts
