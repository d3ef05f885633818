"""Hand-overs in the demo county (issue 12), through the real services: cases waiting in the
teams' allocation queues (some overdue for escalation, one with significant harm), one sent
on to another team, step-up requests for social care (pending, accepted, declined), an
assessment waiting for sign-off, a targeted case's closure awaiting the demo manager's
authorisation, one withdrawn when social care accepted a step up, one the manager authorised,
one the manager returned to the lead, and one the demo practitioner cannot yet ask to close
while her step up waits for social care. Called by
demo/management/commands/load_demo_county.py."""

import datetime
import random

from django.utils import timezone

from cases import services as case_services
from cases.codes import Relationship
from cases.models import (
    CaseOrigin,
    CaseStatus,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    Need,
    Person,
    StepUpSource,
)
from demo import synthetic as demo
from demo.casework import assessment_content, submitted_assessment
from partners.models import AgencyKind, Role, User

REASONS = [
    "Targeted early help: attendance has fallen to 78% and mum's low mood is affecting home.",
    "Several agencies worried: rent arrears, an eviction notice and a young carer.",
    "School and health visitor both worried about the baby's weight and dad's drinking.",
]


def _manager_and_team(district):
    manager = (
        User.objects.filter(
            role=Role.TEAM_MANAGER,
            is_active=True,
            districts=district,
            agency__kind=AgencyKind.EARLY_HELP_TEAM,
        )
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    return manager, (manager.agency if manager else None)


def _new_family(rng: random.Random, district, d_index: int, today) -> Family:
    """A household not yet known to early help (synthetic names and address)."""
    last, address = demo.household(rng, district, d_index, numbers=99)
    family = Family.objects.create(**address)
    parent = Person.objects.create(
        first_name=rng.choice(demo.FIRST_NAMES_F),
        last_name=last,
        date_of_birth=today - datetime.timedelta(days=365 * rng.randint(24, 40)),
    )
    FamilyMembership.objects.create(family=family, person=parent, relationship=Relationship.PARENT)
    for _ in range(rng.randint(1, 2)):
        child = Person.objects.create(
            first_name=rng.choice(demo.FIRST_NAMES_F + demo.FIRST_NAMES_M),
            last_name=last,
            date_of_birth=today - datetime.timedelta(days=365 * rng.randint(2, 14)),
        )
        FamilyMembership.objects.create(
            family=family, person=child, relationship=Relationship.CHILD
        )
    return family


def load_demo_caseflow(rng: random.Random, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    counts = {"waiting": 0, "step_ups": 0, "submitted": 0}
    front_door = User.objects.filter(role=Role.FRONT_DOOR, is_active=True).order_by("pk").first()
    social = User.objects.filter(email="socialcare@demo.test").first()
    if front_door is None:
        return counts
    for d_index, district in enumerate(front_door.districts.order_by("pk")[:2]):
        manager, team = _manager_and_team(district)
        if team is None:
            continue
        for i in range(4):
            family = _new_family(rng, district, d_index, today)
            children = [m.person for m in family.memberships.all() if m.is_child]
            waited = [16, 2, 9, 1][i]  # calendar days: two are past the 5 working days
            case = case_services.case_open(
                family=family,
                children=children,
                lead_agency=team,
                lead_professional=None,
                level_of_need=3,
                opened_on=today - datetime.timedelta(days=waited),
                acting_user=front_door,
                origin=CaseOrigin.FRONT_DOOR,
                reason=rng.choice(REASONS),
                significant_harm=(i == 0 and d_index == 0),
            )
            counts["waiting"] += 1
            if i == 2 and manager is not None:
                partner = (
                    team.__class__.objects.filter(districts=district, active=True)
                    .exclude(pk=team.pk)
                    .exclude(kind__in=[AgencyKind.SOCIAL_CARE, AgencyKind.EARLY_HELP_TEAM])
                    .order_by("name")
                    .first()
                )
                if partner is not None:
                    case_services.case_send_to_team(
                        case=case,
                        agency=partner,
                        reason="The school's family worker already knows the children well.",
                        acting_user=manager,
                    )
    if social is not None:
        open_cases = list(
            EarlyHelpCase.objects.filter(
                status=CaseStatus.OPEN, district__in=social.districts.all()
            )
            .select_related("lead_professional", "family")
            .order_by("pk")[:4]
        )
        for i, case in enumerate(open_cases):
            step = case_services.step_up(
                case=case,
                acting_user=case.lead_professional,
                reason=rng.choice(
                    [
                        "Dad's drinking has escalated; the children were left alone overnight.",
                        "Disclosure at school of physical chastisement leaving marks.",
                        "Mum has been admitted to hospital and there is no safe carer at home.",
                    ]
                ),
                significant_harm=(i == 0),
                source=StepUpSource.CASE,
            )
            counts["step_ups"] += 1
            if i == 2:
                case_services.step_up_accept(
                    step=step, acting_user=social, social_care_team="Assessment and Intervention"
                )
            elif i == 3:
                case_services.step_up_decline(
                    step=step,
                    acting_user=social,
                    reason="Threshold for a statutory assessment not met: early help to continue "
                    "with a safety plan; call us again if anything changes.",
                )
    counts["submitted"] += _one_submitted_assessment(today)
    counts["partner_started"] = _one_started_by_a_school(rng, today)
    counts["level_changes"] = _one_level_change()
    counts["closure_pending"] = _one_closure_awaiting_authorisation(today)
    counts["closure_withdrawn"] = _one_closure_withdrawn_by_a_step_up(today, social)
    counts.update(_closures_decided_by_the_manager(today))
    counts["closure_held_back"] = _one_closure_held_back_by_a_step_up()
    return counts


def _one_started_by_a_school(rng: random.Random, today) -> int:
    """Early help started by the demo teacher (teacher@demo.test) with a family the school
    knows, without the front door: a partner-started episode on the indicators."""
    teacher = User.objects.filter(email="teacher@demo.test", is_active=True).first()
    district = teacher.districts.order_by("pk").first() if teacher else None
    if district is None:
        return 0
    last = rng.choice(demo.LAST_NAMES)
    case_services.case_start_by_partner(
        acting_user=teacher,
        district=district,
        address_line_1=f"{rng.randint(1, 99)} {rng.choice(demo.STREETS)}",
        town=district.name,
        postcode=demo.postcode(rng, 0),
        people=[
            {
                "first_name": rng.choice(demo.FIRST_NAMES_M),
                "last_name": last,
                "date_of_birth": today - datetime.timedelta(days=365 * 9),
                "relationship": Relationship.CHILD,
                "new_person": True,
            },
            {
                "first_name": rng.choice(demo.FIRST_NAMES_F),
                "last_name": last,
                "date_of_birth": today - datetime.timedelta(days=365 * 34),
                "relationship": Relationship.PARENT,
                "new_person": True,
            },
        ],
        consent={"given_by": 1, "given_on": today, "method": "in_person"},
        level_of_need=2,
        reason="He has been late most mornings since the spring; mum asked the school for "
        "help with routines and with the debt letters that worry her.",
    )
    return 1


def _one_level_change() -> int:
    """A case moved from level 2 to 3 by its lead, with a reason (issue 12, point 8)."""
    lead = User.objects.filter(email="practitioner@demo.test").first()
    case = (
        EarlyHelpCase.objects.filter(
            lead_professional=lead, status=CaseStatus.OPEN, level_of_need=2
        )
        .order_by("pk")
        .first()
        if lead
        else None
    )
    if case is None:
        return 0
    case_services.case_level_change(
        case=case,
        level_of_need=3,
        reason="Dad has left and mum is not coping: the family needs a key worker.",
        acting_user=lead,
    )
    return 1


def _closure_candidates(manager, districts=None):
    """Open targeted cases the demo manager (manager@demo.test) authorises the closure of,
    each with its practitioner lead: none whose closure a step up waiting for social care
    holds back, since a closure is not requested then (cases.services.closure_held_back_by)."""
    from cases.access import can_work_on_case, cases_visible_to, closure_needs_authorisation

    candidates = (
        cases_visible_to(manager)
        .filter(status=CaseStatus.OPEN, lead_professional__is_active=True)
        .select_related("lead_professional")
        .order_by("-opened_on", "pk")
    )
    if districts is not None:
        candidates = candidates.filter(district__in=districts)
    for case in candidates[:50]:
        lead = case.lead_professional
        if lead.role != Role.PRACTITIONER or not closure_needs_authorisation(lead, case):
            continue
        if case_services.closure_held_back_by(case, lead, needs_authorisation=True):
            continue
        if can_work_on_case(lead, case):
            yield case, lead


def _closure_requested(case, lead, today) -> None:
    case_services.case_close(
        case=case,
        acting_user=lead,
        reason="needs_met",
        closed_on=max(case.opened_on, today - datetime.timedelta(days=2)),
        family_view="improved",
        family_view_text="Mum says the mornings are calm and she knows who to call.",
        summary="Attendance is back above 95% and the family plan's actions are done.",
    )


def _one_closure_awaiting_authorisation(today) -> int:
    """A lead's closure of a targeted case, waiting for the demo manager (manager@demo.test)
    to authorise it or return it (issue 12, point 6)."""
    manager = User.objects.filter(email="manager@demo.test").first()
    if manager is None:
        return 0
    for case, lead in _closure_candidates(manager):
        _closure_requested(case, lead, today)
        return 1
    return 0


def _one_closure_withdrawn_by_a_step_up(today, social) -> int:
    """A lead's closure that waited for the manager until children's social care accepted a
    step up asked for meanwhile: the closure is kept as withdrawn, with why (ADR 0014)."""
    manager = User.objects.filter(email="manager@demo.test").first()
    if manager is None or social is None:
        return 0
    for case, lead in _closure_candidates(manager, districts=social.districts.all()):
        _closure_requested(case, lead, today)
        step = case_services.step_up(
            case=case,
            acting_user=lead,
            reason="While the closure waited, the children disclosed that dad's new partner "
            "hits them; the school made a safeguarding referral.",
            significant_harm=True,
            source=StepUpSource.CASE,
        )
        case_services.step_up_accept(
            step=step, acting_user=social, social_care_team="Assessment and Intervention"
        )
        return 1
    return 0


def _one_closure_held_back_by_a_step_up() -> int:
    """A targeted case the demo practitioner (practitioner@demo.test) leads, stepped up by
    her and waiting for social care: its page says closure can be requested once social care
    have decided, instead of offering it (cases.services.closure_held_back_by). After the
    closures above, so they pick the same cases as before."""
    from cases.access import closure_needs_authorisation

    lead = User.objects.filter(email="practitioner@demo.test", is_active=True).first()
    if lead is None:
        return 0
    cases = EarlyHelpCase.objects.filter(
        lead_professional=lead,
        status=CaseStatus.OPEN,
        step_up_requests__isnull=True,
        closure_requests__isnull=True,
    ).order_by("pk")
    for case in cases:
        if closure_needs_authorisation(lead, case):
            case_services.step_up(
                case=case,
                acting_user=lead,
                reason="Mum told the school nurse that dad came back last night and threatened "
                "her in front of the children; she does not feel safe at home.",
                source=StepUpSource.CASE,
            )
            return 1
    return 0


def _closures_decided_by_the_manager(today) -> dict:
    """Two leads' closures the demo manager (manager@demo.test) has decided: one authorised
    (the case closed with the lead's answers) and one returned with a reason (the case open
    again, the lead told why), so the closure's every decision is there to look at."""
    decided = {"closure_authorised": 0, "closure_returned": 0}
    manager = User.objects.filter(email="manager@demo.test").first()
    if manager is None:
        return decided
    for kind, (case, lead) in zip(decided, _closure_candidates(manager), strict=False):
        _closure_requested(case, lead, today)
        if kind == "closure_authorised":
            case_services.closure_authorise(case=case, acting_user=manager)
        else:
            case_services.closure_return(
                case=case,
                acting_user=manager,
                reason="Hold the last review first: the family have not been asked whether "
                "they are ready, and the school's view is missing.",
            )
        decided[kind] = 1
    return decided


def _one_submitted_assessment(today) -> int:
    """An assessment waiting for sign-off for the demo manager (manager@demo.test)."""
    lead = User.objects.filter(email="practitioner@demo.test").first()
    if lead is None:
        return 0
    case = (
        EarlyHelpCase.objects.filter(
            lead_professional=lead, status=CaseStatus.OPEN, assessment__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    if not case.consents.filter(withdrawn_on__isnull=True, to_assessment=True).exists():
        parent = case.family.memberships.exclude(relationship=Relationship.CHILD).first()
        if parent is None:
            return 0
        case_services.consent_record(
            case=case,
            given_by=parent.person,
            given_on=case.opened_on,
            method="in_person",
            shared_with=[],
            acting_user=lead,
        )
    start = max(case.opened_on, today - datetime.timedelta(days=12))
    content = assessment_content(
        lambda area: f"Discussed with the family: {area.title}.",
        lambda: "5",
        analysis="Mum and the school agree the mornings are the hardest time.",
    )
    need_ids = list(Need.objects.filter(active=True).values_list("pk", flat=True)[:2])
    submitted_assessment(case, lead, start, content=content, need_ids=need_ids)
    return 1
