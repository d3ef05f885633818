"""Demo work for every role's tray (issue 14): each kind of item, some overdue, built
through the real services. Called once by demo's load_demo_county."""

import datetime
import random

from django.utils import timezone

from assessments import services as eha
from assessments.models import TafMeeting
from cases import services as case_services
from cases.models import EarlyHelpCase, Family, Need
from demo.casework import _content as demo_content
from demo.casework import open_case, submitted_assessment
from oversight import services as oversight
from partners.models import Agency, AgencyKind, Role, User


def _ago(today, n):
    return today - datetime.timedelta(days=n)


def _quiet(case, days: int, today) -> None:
    """Synthetic history: the case's last recorded activity `days` ago (drift)."""
    EarlyHelpCase.objects.filter(pk=case.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=days)
    )


def _case(family, lead, agency, opened, *, consent=None, acting=None):
    """A case opened by `acting` (else the lead); with `consent`, the parent's consent
    shared with those agencies."""
    parent = None
    if consent is not None:
        parent = family.memberships.exclude(relationship="child").first()
    return open_case(
        family=family,
        children=[m.person for m in family.memberships.filter(relationship="child")],
        lead=lead,
        opened_on=opened,
        lead_agency=agency,
        acting_user=acting,
        consent_by=parent.person if parent is not None else None,
        shared_with=consent,
    )


def _submitted_assessment(case, lead, started_on, *, seed: int):
    """An assessment on `case`, filled in with demo content and submitted for sign-off."""
    return submitted_assessment(
        case,
        lead,
        started_on,
        content=demo_content(random.Random(seed)),
        need_ids=list(Need.objects.filter(active=True).values_list("pk", flat=True)[:2]),
    )


SURNAMES = [
    "Ashworth",
    "Brindle",
    "Catterall",
    "Duckworth",
    "Entwistle",
    "Fairclough",
    "Greenhalgh",
    "Haworth",
    "Ingham",
    "Jolly",
    "Kenyon",
    "Lomax",
    "Marsden",
    "Nuttall",
    "Openshaw",
    "Pilkington",
]


def _families(district, count):
    """Synthetic households for the demo work, each a parent and two children."""
    from cases.models import FamilyMembership, Person

    made = []
    for n, last in enumerate(SURNAMES[:count]):
        family = Family.objects.create(
            name=f"{last} household",
            address_line_1=f"{n + 3} Tray Street",
            town=district.name,
            postcode="ZZ9 9ZZ",
            district=district,
        )
        for first, born, relationship in (
            ("Alex", datetime.date(1990, 5, 1), "parent"),
            ("Robin", datetime.date(2016, 3, 9), "child"),
            ("Sam", datetime.date(2019, 11, 20), "child"),
        ):
            person = Person.objects.create(first_name=first, last_name=last, date_of_birth=born)
            FamilyMembership.objects.create(family=family, person=person, relationship=relationship)
        made.append(family)
    return made


def load_demo_work(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    priya = User.objects.get(email="practitioner@demo.test")
    tom = User.objects.get(email="teacher@demo.test")
    morag = User.objects.get(email="manager@demo.test")
    cara = User.objects.get(email="consultant@demo.test")
    team = priya.agency
    district = priya.districts.first()
    school = tom.agency
    colleague = (
        User.objects.filter(role=Role.PRACTITIONER, agency=team, is_active=True)
        .exclude(pk=priya.pk)
        .order_by("pk")
        .first()
    )
    families = iter(_families(district, 16))
    made = {}

    # Not assessed, no consent yet: overdue to start, consent to record.
    made["unassessed"] = _case(next(families), priya, team, _ago(today, 35))
    # A draft assessment running late, the consultant invited to help.
    c = _case(next(families), priya, team, _ago(today, 40), consent=[team, school])
    draft = eha.assessment_start(case=c, acting_user=priya, started_on=_ago(today, 32))
    eha.contributor_invite(
        assessment=draft, acting_user=priya, user=cara, note="Could you help with parenting?"
    )
    made["draft"] = c
    # Returned by the manager for corrections.
    c = _case(next(families), priya, team, _ago(today, 20), consent=[team, school])
    a = _submitted_assessment(c, priya, _ago(today, 15), seed=14)
    eha.assessment_return(
        assessment=a, acting_user=morag, comment="Add what the children said, in their words."
    )
    made["returned"] = c
    # Submitted and waiting for the manager's sign-off.
    c = _case(next(families), priya, team, _ago(today, 25), consent=[team, school])
    _submitted_assessment(c, priya, _ago(today, 20), seed=15)
    made["submitted"] = c
    # A plan whose first TAF meeting is overdue, and a meeting booked with the team
    # (a member with an account, one without, one without an email address).
    c = _case(next(families), priya, team, _ago(today, 45), consent=[team, school])
    case_services.taf_member_add(case=c, user=tom, agency=school, acting_user=priya)
    case_services.taf_member_add(
        case=c,
        agency=school,
        contact_name="Jo Visitor (health visitor)",
        contact_email="jo.visitor@health.example",
        acting_user=priya,
    )
    case_services.taf_member_add(
        case=c, agency=school, contact_name="Mr Caretaker (no email)", acting_user=priya
    )
    eha.plan_create(case=c, acting_user=priya, created_on=_ago(today, 20))
    eha.meeting_schedule(
        case=c,
        acting_user=priya,
        scheduled_for=today + datetime.timedelta(days=3),
        starts_at=datetime.time(10, 0),
        location="Family hub, room 2",
        note_for_external="A first meeting to agree the family plan.",
    )
    made["plan"] = c
    # A review overdue: the review set at the last meeting was cancelled, none rebooked.
    c = _case(next(families), priya, team, _ago(today, 120), consent=[team, school])
    plan = eha.plan_create(case=c, acting_user=priya, created_on=_ago(today, 100))
    outcome = eha.outcome_add(
        plan=plan, acting_user=priya, text="Calmer mornings", baseline_scaling=3
    )
    eha.action_add(
        outcome=outcome,
        acting_user=priya,
        what="Morning routine chart",
        owner_is_family=True,
        set_on=_ago(today, 100),
        due_on=_ago(today, 60),
    )
    first = eha.meeting_schedule(case=c, acting_user=priya, scheduled_for=_ago(today, 95))
    eha.meeting_record(
        meeting=first,
        acting_user=priya,
        held_on=_ago(today, 95),
        decision="continue",  # the next review by 6 weeks on, a working day
        progress=[{"outcome": outcome, "scaling": 4}],
    )
    booked = TafMeeting.objects.get(case=c, status="scheduled")
    eha.meeting_cancel(meeting=booked, acting_user=priya, reason="The family was on holiday.")
    made["review"] = c
    # An action Priya owns on a colleague's case, overdue; and a case handed to her.
    if colleague is not None:
        c = _case(next(families), colleague, team, _ago(today, 50), consent=[team, school])
        member = case_services.taf_member_add(
            case=c, user=priya, agency=team, acting_user=colleague, joined_on=_ago(today, 50)
        )
        plan = eha.plan_create(case=c, acting_user=colleague, created_on=_ago(today, 40))
        outcome = eha.outcome_add(plan=plan, acting_user=colleague, text="Sort out the rent")
        eha.action_add(
            outcome=outcome,
            acting_user=colleague,
            what="Go with mum to the housing office",
            owner_member=member,
            set_on=_ago(today, 40),
            due_on=_ago(today, 2),
        )
        made["action"] = c
        c = _case(next(families), colleague, team, _ago(today, 30), consent=[team, school])
        case_services.taf_member_add(case=c, user=priya, agency=team, acting_user=colleague)
        case_services.lead_professional_handover(
            case=c,
            to_user=priya,
            acting_user=colleague,
            note="Priya knows the family from the school run.",
            handed_over_on=_ago(today, 1),
        )
        made["handover"] = c

    # The manager: waiting for allocation, open too long, drifting, a leaver's case,
    # repeated reviews without progress; supervision recorded on one case.
    made["waiting"] = case_services.case_open(
        family=next(families),
        children=[],
        lead_agency=team,
        lead_professional=None,
        level_of_need=3,
        opened_on=_ago(today, 12),
        acting_user=morag,
    )
    made["long_open"] = _case(next(families), priya, team, _ago(today, 420), consent=[team])
    _quiet(made["long_open"], 40, today)
    c = _case(next(families), priya, team, _ago(today, 200), consent=[team])
    plan = eha.plan_create(case=c, acting_user=priya, created_on=_ago(today, 190))
    outcome = eha.outcome_add(
        plan=plan, acting_user=priya, text="Fewer arguments", baseline_scaling=4
    )
    meeting = eha.meeting_schedule(case=c, acting_user=priya, scheduled_for=_ago(today, 180))
    held = _ago(today, 180)
    for _ in range(4):  # the first TAF meeting, then three reviews: scaling never moves
        eha.meeting_record(
            meeting=meeting,
            acting_user=priya,
            held_on=held,
            decision="continue",  # the next review by 6 weeks on, a working day
            progress=[{"outcome": outcome, "scaling": 4}],
        )
        meeting = TafMeeting.objects.get(case=c, status="scheduled")
        held = meeting.scheduled_for
    made["stuck"] = c
    oversight.supervision_record(
        case=made["draft"],
        acting_user=morag,
        kind="supervision",
        held_on=_ago(today, 5),
        discussion="The assessment is late: the family cancelled two visits.",
        decisions="Finish the assessment this week; consultant to help.",
        next_supervision_on=today + datetime.timedelta(days=25),
    )
    leaver = (
        User.objects.filter(role=Role.PRACTITIONER, agency=team)
        .exclude(pk__in=[priya.pk, getattr(colleague, "pk", None)])
        .order_by("-pk")
        .first()
    )
    if leaver is not None:
        made["leaver"] = _case(next(families), leaver, team, _ago(today, 60), consent=[team])
        User.objects.filter(pk=leaver.pk).update(
            is_active=False, last_login=timezone.now() - datetime.timedelta(days=9)
        )

    # The consultant: a partner-led case drifting, and advice to follow up.
    c = _case(next(families), tom, school, _ago(today, 70), consent=[school])
    eha.assessment_start(case=c, acting_user=tom, started_on=_ago(today, 60))
    _quiet(c, 45, today)
    made["partner"] = c
    health = Agency.objects.filter(kind=AgencyKind.HEALTH).first()
    oversight.consultation_record(
        acting_user=cara,
        asked_on=_ago(today, 10),
        asked_by_name="A school nurse",
        asked_by_agency=health,
        question="A boy in year 4 is often hungry. Should I make a request for support?",
        advice="Talk to his mum about free school meals and the food bank first; "
        "call back if that does not help.",
        outcome="pending",
        follow_up_on=_ago(today, 3),
    )
    oversight.consultation_record(
        acting_user=cara,
        asked_on=_ago(today, 2),
        asked_by_name="Tom Barnes",
        asked_by_agency=school,
        family_id=made["partner"].family_id,
        question="The family has stopped coming to TAF meetings. Step up?",
        advice="Not yet: agree one small goal with mum and review in two weeks.",
        outcome="pending",
        follow_up_on=today + datetime.timedelta(days=12),
    )
    return {name: case.pk for name, case in made.items()}
