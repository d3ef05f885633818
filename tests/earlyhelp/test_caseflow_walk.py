"""No dead ends (issue 12, "Done when"): every non-final status of every record kind —
request, case, step-up request, assessment, plan action, meeting — has a verb that moves it
on (earlyhelp/transitions.py), and some role reaches that move from a page and from the API.

Each route builds the record in its status through the services (never by setting a status),
opens the page that offers the move as that role, then makes the move through the API and
checks the record has left the status."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import assessments.transitions  # noqa: F401 - registers the machines
import cases.transitions  # noqa: F401
import referrals.transitions  # noqa: F401
from assessments import services as assessment_services
from assessments.models import ActionStatus, Assessment, PlanAction, TafMeeting
from cases import services as case_services
from cases.models import EarlyHelpCase, Need, StepUpRequest
from earlyhelp.transitions import MACHINES
from referrals import services as referral_services
from referrals.models import Referral
from tests import factories
from tests.assessments.test_signoff_queue import complete
from tests.cases.factories import (
    pending_closure,
    pending_step_up,
    social_care_worker,
    waiting_case,
)
from tests.conftest import signed_in
from tests.referrals import factories as referral_factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@dataclass
class Route:
    build: Callable  # (actors) -> record in the status
    actor: str  # who makes the move
    page: Callable  # (record) -> URL of the page offering the move
    api: Callable  # (record, actors) -> (url, json body)


@pytest.fixture
def actors(practitioner, front_door_officer, district_manager, school, district, eh_team):
    referrer = factories.UserFactory(full_name="Tom Barnes", agency=school, districts=[district])
    return {
        "lead": practitioner,
        "front_door": front_door_officer,
        "manager": district_manager,
        "referrer": referrer,
        "social_care": social_care_worker(district),
        "team": eh_team,
        "school": school,
        "district": district,
    }


def _case_with_consent(a):
    return factories.open_case(
        lead=a["lead"], opened_on=TODAY - datetime.timedelta(days=30), consent_agencies=[]
    )


def _draft_assessment(a):
    case = _case_with_consent(a)
    return complete(
        assessment_services.assessment_start(case=case, acting_user=a["lead"]), a["lead"]
    )


def _submitted_assessment(a):
    draft = _draft_assessment(a)
    return assessment_services.assessment_submit(
        assessment=draft, acting_user=a["lead"], lock_version=draft.lock_version
    )


def _plan_action(a, status=None):
    case = _case_with_consent(a)
    plan = assessment_services.plan_create(case=case, acting_user=a["lead"])
    outcome = assessment_services.outcome_add(
        plan=plan, acting_user=a["lead"], text="Calmer mornings", baseline_scaling=3
    )
    action = assessment_services.action_add(
        outcome=outcome,
        acting_user=a["lead"],
        what="Morning routine chart",
        due_on=TODAY + datetime.timedelta(days=14),
        owner_is_family=True,
    )
    if status:
        assessment_services.action_status_set(action=action, acting_user=a["lead"], status=status)
    return action


def _meeting(a):
    action = _plan_action(a)
    case = action.outcome.plan.case
    return assessment_services.meeting_schedule(
        case=case, acting_user=a["lead"], scheduled_for=TODAY
    )


def _closure_body(case):
    return {
        "case": case.pk,
        "reason": "needs_met",
        "closed_on": TODAY.isoformat(),
        "family_view": "improved",
    }


def _stepped_up(a):
    step = pending_step_up(lead=a["lead"])
    case_services.step_up_accept(step=step, acting_user=a["social_care"])
    return EarlyHelpCase.objects.get(pk=step.case_id)


def _draft_referral(a):
    return referral_services.referral_draft_save(
        acting_user=a["referrer"], data={"worries": "Half-written"}
    )


def _submitted_referral(a):
    return referral_factories.submitted(by=a["referrer"], district=a["district"])


def _matched_referral(a):
    return referral_factories.matched(
        by=a["referrer"], officer=a["front_door"], district=a["district"]
    )


ROUTES: dict[tuple[str, str], Route] = {
    ("referral", "draft"): Route(
        _draft_referral,
        "referrer",
        lambda r: reverse("referral_edit", args=[r.pk]),
        lambda r, a: (
            f"/api/v1/referrals/{r.pk}/close/",
            {"reason": "withdrawn", "note": "Not needed"},
        ),
    ),
    ("referral", "submitted"): Route(
        _submitted_referral,
        "front_door",
        lambda r: reverse("referral_detail", args=[r.pk]),
        lambda r, a: (f"/api/v1/triage/{r.pk}/pick-up/", {}),
    ),
    ("referral", "in_triage"): Route(
        _matched_referral,
        "front_door",
        lambda r: reverse("referral_decide", args=[r.pk]),
        lambda r, a: (
            f"/api/v1/triage/{r.pk}/decide/",
            {
                "version": r.version,
                "level_of_need": 3,
                "outcome": "targeted",
                "allocated_agency": a["team"].pk,
                "rationale": "Several needs.",
            },
        ),
    ),
    ("case", "awaiting_allocation"): Route(
        lambda a: waiting_case(team=a["team"], queued_by=a["front_door"]),
        "manager",
        lambda c: reverse("allocate_case", args=[c.pk]),
        lambda c, a: (f"/api/v1/cases/{c.pk}/allocate/", {"lead_professional": a["lead"].pk}),
    ),
    ("case", "open"): Route(
        _case_with_consent,
        "lead",
        lambda c: reverse("close_case", args=[c.pk]),
        lambda c, a: ("/api/v1/closures/", _closure_body(c)),
    ),
    ("case", "stepped_up"): Route(
        _stepped_up,
        "lead",
        lambda c: reverse("close_case", args=[c.pk]),
        lambda c, a: ("/api/v1/closures/", _closure_body(c)),
    ),
    ("case", "closure_pending"): Route(
        lambda a: pending_closure(lead=a["lead"]),
        "manager",
        lambda c: reverse("authorise_closure", args=[c.pk]),
        lambda c, a: (f"/api/v1/cases/{c.pk}/authorise-closure/", {}),
    ),
    ("step_up_request", "pending"): Route(
        lambda a: pending_step_up(lead=a["lead"]),
        "social_care",
        lambda s: reverse("stepup_decide", args=[s.pk]),
        lambda s, a: (f"/api/v1/step-ups/{s.pk}/accept/", {"social_care_team": "Team A"}),
    ),
    ("assessment", "draft"): Route(
        _draft_assessment,
        "lead",
        lambda x: reverse("edit_assessment", args=[x.case_id]),
        lambda x, a: (f"/api/v1/assessments/{x.pk}/submit/", {"lock_version": x.lock_version}),
    ),
    ("assessment", "submitted"): Route(
        _submitted_assessment,
        "manager",
        lambda x: reverse("sign_off_assessment", args=[x.case_id]),
        lambda x, a: (f"/api/v1/assessments/{x.pk}/sign-off/", {"comment": "Good work"}),
    ),
    ("plan_action", "not_started"): Route(
        _plan_action,
        "lead",
        lambda x: reverse("family_plan", args=[x.outcome.plan.case_id]),
        lambda x, a: (
            f"/api/v1/plans/{x.outcome.plan_id}/actions/{x.pk}/status/",
            {"status": "in_progress"},
        ),
    ),
    ("plan_action", "in_progress"): Route(
        lambda a: _plan_action(a, ActionStatus.IN_PROGRESS),
        "lead",
        lambda x: reverse("family_plan", args=[x.outcome.plan.case_id]),
        lambda x, a: (
            f"/api/v1/plans/{x.outcome.plan_id}/actions/{x.pk}/status/",
            {"status": "done"},
        ),
    ),
    ("meeting", "scheduled"): Route(
        _meeting,
        "lead",
        lambda m: reverse("record_taf_meeting", args=[m.case_id, m.pk]),
        lambda m, a: (
            f"/api/v1/reviews/{m.pk}/record/",
            {"held_on": TODAY.isoformat(), "decision": "continue", "decision_reason": "Going well"},
        ),
    ),
}
MODELS = {
    "referral": Referral,
    "case": EarlyHelpCase,
    "step_up_request": StepUpRequest,
    "assessment": Assessment,
    "plan_action": PlanAction,
    "meeting": TafMeeting,
}


def test_every_non_final_status_of_every_record_kind_has_a_way_on():
    assert set(MACHINES) == set(MODELS)
    for name, machine in MACHINES.items():
        for status in machine.statuses:
            if status in machine.final:
                continue
            assert machine.verbs_from(status), f"{name} '{status}' is a dead end"
            assert (name, status) in ROUTES, f"no page/API route walks {name} '{status}'"


@pytest.mark.parametrize("kind,status", sorted(ROUTES))
def test_each_status_moves_on_from_a_page_and_from_the_api(actors, client, kind, status):
    Need.objects.exists()  # code lists are seeded by migration
    route = ROUTES[(kind, status)]
    record = route.build(actors)
    record.refresh_from_db()
    assert record.status == status
    user = actors[route.actor]
    page = signed_in(client, user).get(route.page(record))
    assert page.status_code == 200, (kind, status, route.page(record))
    assert "<form" in page.content.decode()
    url, body = route.api(record, actors)
    response = signed_in(APIClient(), user).post(url, body, format="json")
    assert response.status_code in (200, 201), (kind, status, response.content[:500])
    record = MODELS[kind].objects.get(pk=record.pk)
    assert record.status != status, (kind, status)
