from django.core.management import call_command

from cases.models import EarlyHelpCase, Family
from partners.models import Role, User
from referrals.models import Referral


def test_demo_county_has_every_role_districts_families_cases_and_requests(db):
    call_command("load_demo_county", families=30, verbosity=0)
    assert User.objects.filter(email="practitioner@demo.test").exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Family.objects.count() >= 30
    assert EarlyHelpCase.objects.exists()
    assert Referral.objects.exists()


def test_demo_county_is_not_loaded_twice(db):
    call_command("load_demo_county", families=12, verbosity=0)
    families = Family.objects.count()
    call_command("load_demo_county", "--if-empty", verbosity=0)
    assert Family.objects.count() == families


def test_demo_county_shows_an_administrator_each_email_state(db):
    from earlyhelp.outbox.models import OutboxMessage

    call_command("load_demo_county", families=12, verbosity=0)
    states = dict(
        OutboxMessage.objects.filter(key__startswith="demo:").values_list("key", "status")
    )
    assert states == {"demo:sent": "sent", "demo:refused": "failed", "demo:waiting": "pending"}


def test_demo_county_holds_every_hand_over_state(db):
    from assessments.models import Assessment
    from cases.models import CaseStatus, StepUpRequest
    from cases.selectors import cases_awaiting_allocation_for
    from reminders.models import DeadlineKind
    from reminders.selectors import overdue_for

    call_command("load_demo_county", families=40, verbosity=0)
    waiting = EarlyHelpCase.objects.filter(status=CaseStatus.AWAITING_ALLOCATION)
    assert waiting.count() >= 4 and waiting.filter(significant_harm=True).exists()
    social = User.objects.get(email="socialcare@demo.test")
    steps = StepUpRequest.objects.filter(district__in=social.districts.all())
    assert set(steps.values_list("status", flat=True)) == {"pending", "accepted", "declined"}
    assert EarlyHelpCase.objects.filter(status=CaseStatus.STEPPED_UP).exists()
    assert Assessment.objects.filter(status="submitted").exists()
    manager = User.objects.get(email="manager@demo.test")
    assert cases_awaiting_allocation_for(manager).exists()
    from cases.access import closures_awaiting_authorisation_for

    assert closures_awaiting_authorisation_for(manager).exists()
    from cases.models import ClosureRequest

    decisions = set(ClosureRequest.objects.values_list("decision", flat=True))
    decided = ClosureRequest.Decision
    assert {"", decided.AUTHORISED, decided.RETURNED, decided.WITHDRAWN} <= decisions
    withdrawn = ClosureRequest.objects.get(decision=ClosureRequest.Decision.WITHDRAWN)
    assert withdrawn.case.status == CaseStatus.STEPPED_UP
    assert withdrawn.case.step_up_requests.get().status == "accepted"
    assert withdrawn.case.chronology.filter(title__startswith="Closure withdrawn").exists()
    authorised = ClosureRequest.objects.get(decision=ClosureRequest.Decision.AUTHORISED)
    assert authorised.decided_by == manager and authorised.case.status == CaseStatus.CLOSED
    assert authorised.case.closure.authorised_by == manager
    assert authorised.case.closure.closed_by == authorised.requested_by
    returned = ClosureRequest.objects.get(decision=ClosureRequest.Decision.RETURNED)
    assert returned.decided_by == manager and returned.case.status == CaseStatus.OPEN
    assert returned.return_reason
    assert returned.case.chronology.filter(title__contains="returned").exists()
    from cases.services import closure_held_back_by

    practitioner = User.objects.get(email="practitioner@demo.test")
    held_back = [
        case
        for case in EarlyHelpCase.objects.filter(
            lead_professional=practitioner, status=CaseStatus.OPEN
        )
        if closure_held_back_by(case, practitioner)
    ]
    assert held_back, "the demo practitioner can see a closure held back by a step up"
    import datetime

    overdue = overdue_for(manager, today=datetime.date(2026, 11, 2), kind=DeadlineKind.ALLOCATION)
    assert overdue, "some waiting cases are overdue for escalation"


def test_demo_sign_ins_say_what_each_account_is_for_and_give_partner_systems_tokens(db):
    """`make run` prints a token for each demo partner system: the school's information
    system reads its cases; the education system sends education events (as it sent the
    demo's own) and reads no case."""
    import io
    import re

    from rest_framework.test import APIClient

    from earlyhelp.models import AuditAction, AuditEvent
    from reporting.models import EducationEvent

    call_command("load_demo_county", families=12, verbosity=0)
    out = io.StringIO()
    call_command("demo_sign_ins", stdout=out)
    keys = dict(re.findall(r"^  (.+) \((?:read|read_write)\): (\S+)$", out.getvalue(), re.M))
    school = APIClient(
        HTTP_AUTHORIZATION=f"Token {keys.pop('Amberford Primary School information system')}"
    )
    education = APIClient(
        HTTP_AUTHORIZATION=f"Token {keys.pop('Demoshire education system (synthetic)')}"
    )
    assert keys == {}
    # Each sign-in says what the account is for, not only its role.
    assert re.search(
        r"outcomes@demo\.test +Programme team \(early help consultant\)", out.getvalue()
    )
    assert re.search(r"hubmanager@demo\.test +Family hub manager \(team manager\)", out.getvalue())
    held = EducationEvent.objects.select_related("person").first()
    event = {"upn": held.person.upn, "kind": held.kind, "occurred_on": str(held.occurred_on)}

    assert school.get("/api/v1/cases/").status_code == 200
    assert school.post("/api/v1/education-events/", event, format="json").status_code == 403
    sent = education.post("/api/v1/education-events/", event, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json() == {"received": 1, "recorded": 0, "already_held": 1}
    assert education.get("/api/v1/cases/").status_code == 403
    loaded_by = AuditEvent.objects.filter(
        record_type="educationevent", action=AuditAction.CREATE
    ).values_list("user__email", flat=True)
    assert set(loaded_by) == {"education-system@demoshire-council.demo.test"}
