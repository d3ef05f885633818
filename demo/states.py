"""The states the other demo loaders leave out, so someone trying the demo as any role meets
each one (tests/demo/test_demo_states.py): a family plan with actions in every status, TAF
reviews that changed the plan, stepped up, stepped down and closed (each followed up as the
review's page would), case notes of each kind, a moved meeting and a member who left the
team, a partner's unsent draft request and one added to an open case, a surgery's phone
request whose outcome is emailed to it, consultations with every outcome, management
oversight, a teacher's own message choices, and requests for EHC needs assessments and
exclusions from the education system. Built through the services (the education rows as
its feed sends them), after every other loader so their picks do not change.
Synthetic; called by demo/management/commands/load_demo_county.py."""

import datetime

from django.contrib.auth.models import Permission
from django.utils import timezone

from assessments import services as eha
from assessments.models import ActionStatus, MeetingDecision, MeetingStatus
from cases import services as case_services
from cases.codes import Relationship
from cases.models import CaseStatus, ChronologyKind, EarlyHelpCase, StepUpSource
from demo.records import household
from oversight import services as oversight
from oversight.models import ConsultationOutcome, SupervisionKind
from partners import service_accounts
from partners.doors import LOAD_EDUCATION_PERMISSION
from partners.models import Agency, AgencyKind, Role, User
from referrals import services as referral_services
from referrals.models import SOURCE_FOR_AGENCY_KIND, Channel, FamilyConsent, Outcome, Urgency
from reminders.models import Delivery, MessageKind
from reminders.preferences import preferences_set
from reporting.education import education_events_record
from reporting.models import EducationEventKind

D = datetime.date
P, C = Relationship.PARENT, Relationship.CHILD
EDUCATION_FEED = "Demoshire education system (synthetic)"
EDUCATION_SYSTEM_EMAIL = "education-system@demoshire-council.demo.test"
# Valid check letters, local authority 999 (no real one): the children the feed names.
DEMO_UPNS = ("W999200100010", "J999200100020", "X999200100030")


def _ago(today, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


def load_demo_states(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    priya = User.objects.get(email="practitioner@demo.test")
    tom = User.objects.get(email="teacher@demo.test")
    morag = User.objects.get(email="manager@demo.test")
    cara = User.objects.get(email="consultant@demo.test")
    # Tom chose how he hears of each kind of message before the meetings below were moved.
    preferences_set(
        user=tom,
        choices={
            MessageKind.DEADLINES: Delivery.DIGEST,
            MessageKind.ACTIONS: Delivery.EMAIL,
            MessageKind.TEAM: Delivery.IN_APP,
            MessageKind.MEETINGS: Delivery.EMAIL,
        },
    )
    made = {"plan_changed": _plan_changed(priya, tom, today)}
    made.update(_reviews_that_ended_the_plan(priya, today))
    oversight.supervision_record(
        case=made[MeetingDecision.STEP_UP],
        acting_user=morag,
        kind=SupervisionKind.OVERSIGHT,
        held_on=_ago(today, 3),
        discussion="Read the review and the step-up request; spoke to Priya about the nights "
        "Tyler was left alone.",
        decisions="Agree the step up. Priya to visit twice a week until social care decide.",
        next_supervision_on=today + datetime.timedelta(days=14),
    )
    _consultations(cara, today)
    _draft_request(tom)
    _request_added_to_an_open_case(tom, made["plan_changed"])
    _phone_request_from_a_surgery(today)
    _education_events(made, today)
    return {name: case.pk for name, case in made.items()}


def _plan_changed(lead, teacher, today) -> EarlyHelpCase:
    """A plan with an action in each status, reviewed 8 days ago (the plan changed), its
    next review moved, a school nurse who has left the team, and case notes of each kind."""
    school = teacher.agency
    case = household(
        surname="Whitworth",
        lead=lead,
        adults=[("Danielle", D(1991, 2, 17), P)],
        children=[("Jayden", D(2015, 9, 1), C), ("Mia", D(2019, 4, 23), C)],
        opened_on=_ago(today, 70),
        street="27 Weavers Row",
        shared_with=[lead.agency, school],
    )
    case_services.taf_member_add(case=case, user=teacher, agency=school, acting_user=lead)
    nurse = case_services.taf_member_add(
        case=case,
        agency=school,
        contact_name="Jo Hartley (school nurse)",
        contact_email="jo.hartley@health.example",
        acting_user=lead,
    )
    plan = eha.plan_create(case=case, acting_user=lead, created_on=_ago(today, 55))
    mornings = eha.outcome_add(
        plan=plan,
        acting_user=lead,
        text="We want calm mornings and the children in school on time",
        baseline_scaling=3,
    )
    actions = {}
    for status, what, due in [
        (ActionStatus.DONE, "Make a morning routine chart for the fridge", 40),
        (ActionStatus.IN_PROGRESS, "School nurse drop-in about Jayden's sleep", -10),
        (ActionStatus.STOPPED, "Book the Triple P parenting group", 20),
        (ActionStatus.NOT_STARTED, "Meet the housing officer about the damp", -25),
    ]:
        actions[status] = eha.action_add(
            outcome=mornings,
            acting_user=lead,
            what=what,
            owner_is_family=True,
            set_on=_ago(today, 50),
            due_on=_ago(today, due),
        )
    _first_review_held(case, lead, mornings, scaling=4, today=today)
    for status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.STOPPED):
        if status == ActionStatus.DONE:
            eha.action_status_set(
                action=actions[status], acting_user=lead, status=ActionStatus.IN_PROGRESS
            )
        eha.action_status_set(action=actions[status], acting_user=lead, status=status)
    review = case.taf_meetings.get(status=MeetingStatus.SCHEDULED)
    eha.meeting_record(
        meeting=review,
        acting_user=lead,
        held_on=_ago(today, 8),
        decision=MeetingDecision.CHANGE_PLAN,
        decision_reason="Mornings are better, but the damp flat keeps Mia off nursery: add "
        "an outcome about the home. Mum found a parenting course herself, so Triple P is "
        "no longer needed.",
        progress=[{"outcome": mornings, "scaling": 6}],
    )
    next_review = case.taf_meetings.get(status=MeetingStatus.SCHEDULED)
    eha.meeting_reschedule(
        meeting=next_review,
        acting_user=lead,
        scheduled_for=next_review.scheduled_for + datetime.timedelta(days=2),
        starts_at=datetime.time(15, 30),
        reason="Mum starts a new job on Tuesday mornings.",
        location="Amberford Primary School, family room",
    )
    case_services.taf_member_remove(member=nurse, acting_user=lead)
    now = timezone.now()
    for kind, days, text in [
        (
            ChronologyKind.HOME_VISIT,
            45,
            "Visited at home. The children's bedroom has black mould on the outside wall.",
        ),
        (ChronologyKind.PHONE_CALL, 30, "Mum rang: the landlord has not replied about the damp."),
        (ChronologyKind.CONTACT, 20, "Jayden's class teacher: on time every day this week."),
        (ChronologyKind.NOTE, 2, "Mum has a job interview at the bakery on Thursday."),
    ]:
        case_services.note_add(
            case=case,
            acting_user=lead,
            kind=kind,
            text=text,
            occurred_at=now - datetime.timedelta(days=days),
        )
    return case


def _first_review_held(case, lead, outcome, *, scaling: int, today) -> None:
    """The plan's first TAF review, 50 days ago: the plan goes on, `outcome` at `scaling`."""
    first = eha.meeting_schedule(case=case, acting_user=lead, scheduled_for=_ago(today, 50))
    eha.meeting_record(
        meeting=first,
        acting_user=lead,
        held_on=_ago(today, 50),
        decision=MeetingDecision.CONTINUE,
        progress=[{"outcome": outcome, "scaling": scaling}],
    )


def _reviewed_case(lead, surname, first_names, street, today):
    """A case whose first TAF meeting agreed the plan 50 days ago; its review is due now."""
    adult, child = first_names
    case = household(
        surname=surname,
        lead=lead,
        adults=[(adult, D(1987, 6, 11), P)],
        children=[(child, D(2013, 1, 29), C)],
        opened_on=_ago(today, 65),
        street=street,
    )
    plan = eha.plan_create(case=case, acting_user=lead, created_on=_ago(today, 55))
    outcome = eha.outcome_add(
        plan=plan, acting_user=lead, text="Fewer arguments at home", baseline_scaling=3
    )
    _first_review_held(case, lead, outcome, scaling=3, today=today)
    return case, outcome, case.taf_meetings.get(status=MeetingStatus.SCHEDULED)


def _reviews_that_ended_the_plan(lead, today) -> dict:
    """Reviews that stepped up, stepped down and closed, each followed by what the lead
    then did: a step-up request waiting for social care, and the two cases closed."""
    made = {}
    for decision, surname, names, street, scaling, why in [
        (
            MeetingDecision.STEP_UP,
            "Pemberton",
            ("Kirsty", "Tyler"),
            "9 Brook Close",
            2,
            "Tyler was left alone overnight twice this month; dad's drinking is worse.",
        ),
        (
            MeetingDecision.STEP_DOWN,
            "Holroyd",
            ("Fatima", "Adam"),
            "52 Orchard Way",
            8,
            "Arguments are rare now; the family will keep going to the dads' group.",
        ),
        (
            MeetingDecision.CLOSE,
            "Lancaster",
            ("Joanne", "Ellie"),
            "3 Chapel Walk",
            9,
            "Everything in the plan is done and the family are confident.",
        ),
    ]:
        case, outcome, review = _reviewed_case(lead, surname, names, street, today)
        eha.meeting_record(
            meeting=review,
            acting_user=lead,
            held_on=_ago(today, 6),
            decision=decision,
            decision_reason=why,
            progress=[{"outcome": outcome, "scaling": scaling}],
        )
        if decision == MeetingDecision.STEP_UP:
            case_services.step_up(
                case=case,
                acting_user=lead,
                reason=why,
                significant_harm=True,
                source=StepUpSource.REVIEW,
            )
        else:
            eha.case_close_with_plan(
                case=case,
                acting_user=lead,
                outcome_results={outcome.pk: {"result": "achieved"}},
                reason="stepped_down" if decision == MeetingDecision.STEP_DOWN else "needs_met",
                closed_on=_ago(today, 5),
                family_view="improved",
                summary=why,
            )
        made[decision] = case
    return made


def _consultations(consultant, today) -> None:
    """The consultant's advice with every outcome; one decided on follow-up."""
    health = Agency.objects.filter(kind=AgencyKind.HEALTH).order_by("pk").first()
    police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("pk").first()
    school = Agency.objects.filter(kind=AgencyKind.SCHOOL).order_by("pk").first()
    for days, name, agency, question, advice, outcome in [
        (
            21,
            "A health visitor",
            health,
            "Mum of a 6-month-old says she cannot cope and has no family nearby. Early help?",
            "Yes: make a request for support with mum's consent; mention her low mood.",
            ConsultationOutcome.MAKE_REQUEST,
        ),
        (
            18,
            "A school's designated safeguarding lead",
            school,
            "A girl in year 6 is anxious about her dad's new partner. Who should lead?",
            "The school knows her best: lead early help yourselves, with our advice.",
            ConsultationOutcome.PARTNER_LED,
        ),
        (
            15,
            "A PCSO",
            police,
            "A family keeps asking about food banks and debt. Is this early help?",
            "Signpost them to the Citizens Advice debt clinic and the hub's food bank.",
            ConsultationOutcome.SIGNPOST,
        ),
        (
            12,
            "A school nurse",
            health,
            "A boy has a bruise on his cheek and says his stepdad did it.",
            "That is a safeguarding concern: contact children's social care now.",
            ConsultationOutcome.SOCIAL_CARE,
        ),
        (
            9,
            "A nursery manager",
            None,
            "A dad was late collecting twice this week. Should we worry?",
            "Not on its own: talk to dad, note it, and call again if it keeps happening.",
            ConsultationOutcome.NO_ACTION,
        ),
    ]:
        consultation = oversight.consultation_record(
            acting_user=consultant,
            asked_on=_ago(today, days),
            asked_by_name=name,
            asked_by_agency=agency,
            question=question,
            advice=advice,
            outcome=ConsultationOutcome.PENDING
            if outcome == ConsultationOutcome.MAKE_REQUEST
            else outcome,
            follow_up_on=_ago(today, days - 7)
            if outcome == ConsultationOutcome.MAKE_REQUEST
            else None,
        )
        if outcome == ConsultationOutcome.MAKE_REQUEST:
            oversight.consultation_outcome_set(
                consultation=consultation, acting_user=consultant, outcome=outcome
            )


def _draft_request(partner) -> None:
    """A request the teacher started and saved, not yet sent: 'continue draft' on his
    requests list."""
    district = partner.districts.order_by("pk").first()
    referral_services.referral_draft_save(
        acting_user=partner,
        data={
            "is_self_referral": "no",
            "district": str(district.pk),
            "referrer_name": partner.full_name,
            "referrer_role": partner.job_title,
            "referrer_agency": str(partner.agency_id),
            "referrer_email": partner.email,
            "worries": "Lily-Mae has come to school without a coat all week and said mum "
            "was crying in the kitchen. I still need to ask mum about",
            "people-TOTAL_FORMS": "2",
            "people-0-first_name": "Lily-Mae",
            "people-0-last_name": "Greenwood",
            "people-0-relationship": C,
        },
    )


def _request_added_to_an_open_case(referrer, case) -> None:
    """A school's new request about a family the lead already works with: the front door
    matches the people and adds it to the open case."""
    officer = User.objects.get(email="frontdoor@demo.test")
    people = [
        referral_services.PersonEntry(
            first_name=m.person.first_name,
            last_name=m.person.last_name,
            relationship=m.relationship,
            date_of_birth=m.person.date_of_birth,
        )
        for m in case.family.memberships.select_related("person").order_by("pk")
    ]
    entry = referral_services.RequestEntry(
        fields={
            "district": case.district,
            "is_self_referral": False,
            "referrer_name": referrer.full_name,
            "referrer_role": referrer.job_title,
            "referrer_agency": referrer.agency,
            "referrer_email": referrer.email,
            "source": "",
            "address_line_1": case.family.address_line_1,
            "town": case.family.town,
            "postcode": case.family.postcode,
            "worries": "Jayden fell asleep in class three times this week and says the "
            "bedroom is too cold to sleep in.",
            "working_well": "He is on time every day now.",
            "family_consent": FamilyConsent.CONSENTED,
            "no_consent_reason": "",
            "urgency": Urgency.ROUTINE,
            "significant_harm": False,
            "step_down_summary": "",
        },
        people=people,
        needs=[],
    )
    entry.fields["source"] = SOURCE_FOR_AGENCY_KIND.get(referrer.agency.kind, "8")
    referral = referral_services.referral_submit(acting_user=referrer, entry=entry)
    referral = referral_services.referral_pick_up(referral=referral, acting_user=officer)
    on_record = {
        (m.person.first_name, m.person.date_of_birth): m.person
        for m in case.family.memberships.select_related("person")
    }
    referral = referral_services.referral_match_record(
        referral=referral,
        acting_user=officer,
        links={p.pk: on_record.get((p.first_name, p.date_of_birth)) for p in referral.people.all()},
        family=case.family,
    )
    referral_services.referral_decide(
        referral=referral,
        acting_user=officer,
        expected_version=referral.version,
        level_of_need=case.level_of_need,
        outcome=Outcome.ADD_TO_OPEN_CASE,
        rationale="The family already has an open case with a plan; the lead will pick up "
        "the cold bedroom with the housing action at the next review.",
        case=case,
    )


def _phone_request_from_a_surgery(today) -> None:
    """A GP surgery's request taken by phone at the front door and decided: the surgery has
    no account, so the outcome goes to it by email (the outbox's 'outcome to an outside
    referrer')."""
    officer = User.objects.get(email="frontdoor@demo.test")
    district = officer.districts.order_by("pk").first()
    health = Agency.objects.filter(kind=AgencyKind.HEALTH, districts=district).first()
    entry = referral_services.RequestEntry(
        fields={
            "district": district,
            "is_self_referral": False,
            "referrer_name": "Dr Amara Osei",
            "referrer_role": "GP",
            "referrer_agency": health,
            "referrer_email": "reception@amberford-surgery.example",
            "source": SOURCE_FOR_AGENCY_KIND.get(AgencyKind.HEALTH, "8"),
            "address_line_1": "61 Canal Side",
            "town": district.name,
            "postcode": "ZZ1 6QT",
            "worries": "Mum came in worried about money: the electricity is on a card meter "
            "and runs out before payday. The children are well.",
            "working_well": "Mum is organised and asked for help herself.",
            "family_consent": FamilyConsent.CONSENTED,
            "no_consent_reason": "",
            "urgency": Urgency.ROUTINE,
            "significant_harm": False,
            "step_down_summary": "",
        },
        people=[
            referral_services.PersonEntry(
                first_name=first, last_name="Kettlewell", relationship=rel, date_of_birth=born
            )
            for first, rel, born in [("Ava", C, D(2017, 10, 4)), ("Lauren", P, D(1993, 12, 8))]
        ],
        needs=[],
    )
    referral = referral_services.referral_submit(
        acting_user=officer, entry=entry, channel=Channel.PHONE
    )
    referral = referral_services.referral_pick_up(referral=referral, acting_user=officer)
    referral = referral_services.referral_match_record(
        referral=referral,
        acting_user=officer,
        links={p.pk: None for p in referral.people.all()},
        family=None,
    )
    referral_services.referral_decide(
        referral=referral,
        acting_user=officer,
        expected_version=referral.version,
        level_of_need=1,
        outcome=Outcome.SIGNPOSTING,
        rationale="Money worries only; mum is coping and asked for advice, not support.",
        signposted_to="Citizens Advice debt clinic; the hub's energy advice drop-in",
    )


def _education_events(made, today) -> None:
    """What the education system sent (through the service an administrator's file goes
    through): a request for an EHC needs assessment and an exclusion for children with a
    plan in place, and an exclusion for a child early help has no plan for. Each child has
    a synthetic unique pupil number (local authority 999) to be matched by."""
    jayden = made["plan_changed"].children.get(first_name="Jayden")
    tyler = made[MeetingDecision.STEP_UP].children.get()
    unplanned = (
        EarlyHelpCase.objects.filter(status=CaseStatus.OPEN, family_plan__isnull=True)
        .exclude(children=None)
        .order_by("pk")
        .first()
    )
    rows = [
        (jayden, DEMO_UPNS[0], EducationEventKind.EHC_REQUEST, 20),
        (tyler, DEMO_UPNS[1], EducationEventKind.EXCLUSION, 25),
    ]
    if unplanned is not None:
        child = unplanned.children.order_by("pk").first()
        rows.append((child, DEMO_UPNS[2], EducationEventKind.EXCLUSION, 40))
    for person, upn, _kind, _days in rows:
        person.upn = upn
        person.save(update_fields=["upn"])
    education_events_record(
        acting_user=_education_system().user,
        rows=[
            {"upn": upn, "kind": kind, "occurred_on": _ago(today, days).isoformat()}
            for _person, upn, kind, days in rows
        ],
        source=EDUCATION_FEED,
    )


def _education_system():
    """The education system's service account, as an administrator sets it up: figures only
    (a strategic viewer of the council's, no district), granted sending education events
    through the API."""
    account = service_accounts.service_account_create(
        acting_user=User.objects.get(email="admin@demo.test"),
        email=EDUCATION_SYSTEM_EMAIL,
        system_name=EDUCATION_FEED,
        agency=User.objects.get(email="strategic@demo.test").agency,
        role=Role.STRATEGIC,
    )
    app_label, codename = LOAD_EDUCATION_PERMISSION.split(".")
    account.user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return account
