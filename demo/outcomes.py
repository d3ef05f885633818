"""Family outcomes for the synthetic demo county, built through the real services: the
programme team and internal audit sign-ins, and families in every state a user can meet
(not eligible, working — a need improving, one not started —, ready, claimed — prepared,
sampled, not sampled, audit passed, batched, withdrawn —, audit failed, not claimed with a
reason), with family hubs and family network meetings.
Called once from earlyhelp's load_demo_county."""

import datetime
import random

from django.contrib.auth.models import Group
from django.utils import timezone

from assessments import services as eha
from cases.codes import Ethnicity, Gender, Relationship
from cases.models import Family, FamilyMembership, Need, Person
from demo import synthetic as demo
from demo.accounts import demo_account
from demo.casework import assessment_content, open_case, submitted_assessment
from outcomes import services
from outcomes.models import EvidenceSource, ProgressStatus
from partners.models import Agency, AgencyKind, District, FamilyHub, Role, User

PROGRAMME_GROUP = "Family outcomes programme team"
AUDIT_GROUP = "Family outcomes internal audit"
THREE = ["education", "family_relationships", "financial_stability"]
PROGRESS = [
    (
        ProgressStatus.SIGNIFICANT,
        "School attendance 95% for three terms; arguments down, by the family's account; "
        "budget plan kept since the autumn.",
    ),
    (ProgressStatus.IMPROVING, "Better weeks than bad ones; not yet steady."),
    (ProgressStatus.NOT_STARTED, "Not started: the family want school sorted first."),
]


def _user(email, name, group, agency, districts) -> User:
    job_title = group.name.replace("Family outcomes ", "").capitalize()
    user = demo_account(email, name, Role.CONSULTANT, agency, districts, job_title=job_title)
    user.groups.add(group)
    return user


def _content() -> dict:
    return assessment_content(
        lambda area: f"Demo notes: {area.title.lower()}.",
        lambda: "4",
        family_history="Moved to the area three years ago.",
        analysis="School attendance, arguments at home and money worries are linked.",
    )


def _family(rng: random.Random, district: District, index: int):
    last, address = demo.household(rng, district, index % len(demo.DISTRICTS))
    family = Family.objects.create(**address)
    today = timezone.localdate()
    parent, child = (
        Person.objects.create(
            first_name=rng.choice(first_names),
            last_name=last,
            date_of_birth=today - datetime.timedelta(days=365 * age),
            gender=gender,
            ethnicity=Ethnicity.WBRI,
        )
        for first_names, age, gender in (
            (demo.FIRST_NAMES_F, 34, Gender.FEMALE),
            (demo.FIRST_NAMES_M, 9, Gender.MALE),
        )
    )
    FamilyMembership.objects.create(family=family, person=parent, relationship=Relationship.PARENT)
    FamilyMembership.objects.create(family=family, person=child, relationship=Relationship.CHILD)
    return family, parent, child


def worked_case(*, rng, lead, manager, district, index, needs, opened_days_ago=420):
    """A case with a signed-off assessment naming `needs`, a family plan and a held review
    last month, as a lead professional's casework leaves it."""
    today = timezone.localdate()
    family, parent, child = _family(rng, district, index)
    opened = today - datetime.timedelta(days=opened_days_ago)
    case = open_case(
        family=family,
        children=[child],
        lead=lead,
        opened_on=opened,
        level_of_need=3,
        consent_by=parent,
    )
    start = opened + datetime.timedelta(days=7)
    need_ids = list(
        Need.objects.filter(framework="supporting_families", code__in=needs).values_list(
            "pk", flat=True
        )
    )
    a = submitted_assessment(case, lead, start, content=_content(), need_ids=need_ids)
    eha.assessment_sign_off(assessment=a, acting_user=manager, comment="Agreed.")
    plan = eha.plan_create(case=case, acting_user=lead, created_on=start)
    outcome = eha.outcome_add(
        plan=plan,
        acting_user=lead,
        text="We want the children in school every day and fewer arguments",
        baseline_scaling=rng.randint(2, 4),
    )
    first = eha.meeting_schedule(case=case, acting_user=lead, scheduled_for=start)
    eha.meeting_record(meeting=first, acting_user=lead, held_on=start, decision="continue")
    held_on = today - datetime.timedelta(days=rng.randint(10, 30))
    review = case.taf_meetings.filter(status="scheduled").first()
    eha.meeting_record(
        meeting=review,
        acting_user=lead,
        held_on=held_on,
        decision="continue",
        progress=[{"outcome": outcome, "scaling": rng.randint(5, 9)}],
    )
    review.refresh_from_db()
    return case, review


def load_demo_outcomes(rng: random.Random) -> dict:
    """Build the programme's demo families; returns how many of each state."""
    districts = list(District.objects.order_by("pk")[:2])
    programme = Group.objects.get(name=PROGRAMME_GROUP)
    internal_audit = Group.objects.get(name=AUDIT_GROUP)
    team = Agency.objects.create(
        name="Demoshire Family Outcomes Team", kind=AgencyKind.EARLY_HELP_TEAM
    )
    team.districts.set(District.objects.all())
    officer = _user("outcomes@demo.test", "Grace Mensah", programme, team, [])
    auditor = _user("audit@demo.test", "Ivan Petrov", internal_audit, team, [])
    lead = User.objects.get(email="practitioner@demo.test")
    manager = User.objects.get(email="manager@demo.test")
    today = timezone.localdate()

    states = [
        "not_eligible",
        "working",
        "ready",
        "ready",
        "prepared",
        "audit_failed",
        "audit_passed",
        "sample_pair",
        "sample_pair",
        "declined",
    ]
    built = {}
    for index, state in enumerate(states):
        district = districts[index % len(districts)]
        worker = lead if district == districts[0] else _worker_in(district) or lead
        needs = THREE[:2] if state == "not_eligible" else THREE
        case, review = worked_case(
            rng=rng, lead=worker, manager=manager, district=district, index=index, needs=needs
        )
        services.needs_from_assessment(case=case, acting_user=worker)
        hub = FamilyHub.objects.filter(district=district).first()
        services.episode_hub_set(case=case, acting_user=worker, family_hub=hub)
        if state == "not_eligible":
            built.setdefault(state, []).append(case)
            continue
        for n, need in enumerate(case.programme.needs.all()):
            # A working family's first need has moved on, the next is improving, the last
            # not started; every need of the others shows significant progress.
            status, evidence = PROGRESS[min(n, 2)] if state == "working" else PROGRESS[0]
            significant = status == ProgressStatus.SIGNIFICANT
            services.progress_record(
                need=need,
                acting_user=worker,
                status=status,
                evidence=evidence,
                meeting=review,
                significant_since=(case.opened_on + datetime.timedelta(days=30))
                if significant
                else None,
            )
        if index % 3 == 0:
            services.network_meeting_record(
                case=case,
                acting_user=worker,
                kind="fgdm" if index % 2 else "family_network",
                held_on=review.held_on,
                participants="Grandmother (mum's mum)\nFamily friend from church",
                family_plan="Grandmother does the Monday and Wednesday school run.",
                network_commitments="The family friend helps with the budget each month.",
                next_meeting_on=today + datetime.timedelta(days=42),
            )
        built.setdefault(state, []).append(case)

    if "ready" in built:
        services.need_add(
            case=built["ready"][0],
            acting_user=officer,
            headline_code="housing",
            evidence="Housing data match: rent arrears notice in January, cleared since.",
            source=EvidenceSource.DATA_MATCH,
            identified_on=built["ready"][0].opened_on,
        )
        _sustain(built["ready"][0], worker=lead)

    def claim(case):
        return services.claim_prepare(case=case, acting_user=officer)

    period = services.programme_period(today)
    failed = claim(built["audit_failed"][0])
    services.claims_sample(period=period, acting_user=auditor, rng=rng)
    services.claim_audit(
        claim=failed,
        acting_user=auditor,
        passed=False,
        notes="The attendance evidence covers two terms, not three. Add the summer term data.",
    )
    passed = claim(built["audit_passed"][0])
    services.claims_sample(period=period, acting_user=auditor, rng=rng)
    services.claim_audit(claim=passed, acting_user=auditor, passed=True, notes="Evidence checked.")
    for case in built["sample_pair"]:
        claim(case)
    services.claims_sample(period=period, acting_user=auditor, rng=rng)
    services.claim_batch_create(period=period, acting_user=officer)
    # After the batch: two claims waiting for the next one (one passed audit, one not
    # sampled), and one withdrawn.
    late = _claimable(rng=random.Random(len(states)), lead=lead, manager=manager, start=len(states))
    for case in late[:2]:
        claim(case)
    sampled, _not_sampled = services.claims_sample(
        period=period, acting_user=auditor, rng=random.Random(0)
    )
    for sampled_claim in sampled:
        services.claim_audit(
            claim=sampled_claim,
            acting_user=auditor,
            passed=True,
            notes="Attendance and budget evidence checked with the school and the family.",
        )
    services.claim_withdraw(
        claim=claim(late[2]),
        acting_user=officer,
        reason="A neighbouring authority has already claimed for this family this year.",
    )
    claim(built["prepared"][0])
    services.claim_decline(
        case=built["declined"][0],
        acting_user=officer,
        reason="The family moved out of the county before the outcome could be sustained.",
    )
    return {state: len(cases) for state, cases in built.items()}


def _claimable(*, rng, lead, manager, start: int, count: int = 3) -> list:
    """`count` more programme families in the demo practitioner's district whose every need
    shows significant progress, sustained: each can be claimed for."""
    district = lead.districts.order_by("pk").first()
    cases = []
    for index in range(start, start + count):
        case, review = worked_case(
            rng=rng, lead=lead, manager=manager, district=district, index=index, needs=THREE
        )
        services.needs_from_assessment(case=case, acting_user=lead)
        services.episode_hub_set(
            case=case,
            acting_user=lead,
            family_hub=FamilyHub.objects.filter(district=district).first(),
        )
        for need in case.programme.needs.all():
            services.progress_record(
                need=need,
                acting_user=lead,
                status=ProgressStatus.SIGNIFICANT,
                evidence="Attendance 96% since January; the budget plan is kept every month.",
                meeting=review,
                significant_since=case.opened_on + datetime.timedelta(days=30),
            )
        cases.append(case)
    return cases


def _worker_in(district):
    return (
        User.objects.filter(
            role=Role.PRACTITIONER, districts=district, agency__kind="early_help_team"
        )
        .order_by("pk")
        .first()
    )


def _sustain(case, *, worker):
    review = case.taf_meetings.filter(status="held", kind="review").first()
    for need in case.programme.needs.exclude(status=ProgressStatus.SIGNIFICANT):
        services.progress_record(
            need=need,
            acting_user=worker,
            status=ProgressStatus.SIGNIFICANT,
            evidence="No arrears since February; tenancy secure.",
            meeting=review,
            significant_since=case.opened_on + datetime.timedelta(days=30),
        )
