"""The tray's user-scoped reads, compiled once per kind of scope (cases.access.VisibleCasesRead),
give exactly the rows their querysets over cases_visible_to give: for every role, on cases
in and out of scope, restricted, without consent to share, and no longer open."""

import datetime

import pytest
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentContributor,
    AssessmentStatus,
    PlanAction,
)
from assessments.services import assessment_start
from cases.access import cases_visible_to
from cases.models import CaseStatus, EarlyHelpCase, TeamAroundFamilyMember
from partners.models import Agency
from referrals.models import Referral
from reminders.deadlines import OPEN_ACTION_STATUSES
from tests import factories
from tests.access.conftest import ROLES, world  # noqa: F401  (the access world fixture)
from work import tray
from work.kinds import TrayKind
from work.tray import work_tray_for

from .conftest import action_for

# The reads as the tray wrote them through the ORM before they were compiled.


def _harm(case_field="pk"):
    return Exists(Referral.objects.filter(case_id=OuterRef(case_field), significant_harm=True))


def _led_cases(user):
    return list(
        cases_visible_to(user)
        .filter(status="open")
        .filter(lead_professional_id=user.pk)
        .annotate(harm=_harm())
        .values_list("pk", "family__name", "harm")[:500]
    )


def _actions(user):
    return list(
        PlanAction.objects.filter(
            owner_member__user_id=user.pk,
            owner_member__left_on__isnull=True,
            status__in=OPEN_ACTION_STATUSES,
            outcome__removed_on__isnull=True,
            outcome__plan__case__in=cases_visible_to(user).filter(status="open"),
        )
        .annotate(case_id=F("outcome__plan__case_id"), harm=_harm("outcome__plan__case_id"))
        .values_list("case_id", "due_on", "outcome__plan__case__family__name", "harm", "what")
        .order_by("due_on")[:100]
    )


def _contributions(user):
    return list(
        AssessmentContributor.objects.filter(
            user_id=user.pk,
            ended_at__isnull=True,
            assessment__status=AssessmentStatus.DRAFT,
            assessment__case__in=cases_visible_to(user).filter(status="open"),
        )
        .values_list(
            "assessment__case_id",
            "assessment__due_on",
            "assessment__case__family__name",
            "invited_by__full_name",
        )
        .order_by("assessment__due_on")[:100]
    )


READS = [
    (tray._LED_CASES, _led_cases),
    (tray._ACTIONS, _actions),
    (tray._CONTRIBUTIONS, _contributions),
]


@pytest.fixture
def work_everywhere(world):  # noqa: F811
    """Every actor owns a plan action and is asked to contribute on every case; the school
    practitioner and the early help team manager each lead a case too (one of them in a
    restricted family that does not name the manager), and one case waits for its closure
    to be authorised (no longer open)."""
    lead = world.cases["in_scope"].lead_professional
    manager, school_worker = world.actors["team_manager"], world.actors["practitioner"]
    cases = dict(world.cases)
    cases["school_led"] = factories.open_case(lead=school_worker, consent_agencies=[])
    cases["manager_led"] = factories.open_case(lead=manager, consent_agencies=[])
    cases["manager_led_restricted"] = factories.open_case(
        lead=manager,
        consent_agencies=[],
        family=factories.family_with_children(
            district=manager.districts.first(), restricted=True, restricted_contact="0300 0"
        ),
    )
    cases["closing"] = factories.open_case(lead=lead, consent_agencies=[])
    for name in ("school_led", "manager_led", "manager_led_restricted", "closing"):
        assessment_start(case=cases[name], acting_user=cases[name].lead_professional)
    users = [*world.actors.values(), lead]
    today = timezone.localdate()
    for n, case in enumerate(cases.values()):
        assessment = Assessment.objects.get(case=case)
        for user in users:
            member = TeamAroundFamilyMember.objects.create(
                case=case,
                user=user,
                agency=user.agency or Agency.objects.first(),
                joined_on=case.opened_on,
            )
            action_for(case, member, due_on=today + datetime.timedelta(days=n))
            AssessmentContributor.objects.create(
                assessment=assessment, user=user, invited_by=case.lead_professional
            )
    EarlyHelpCase.objects.filter(pk=cases["closing"].pk).update(status=CaseStatus.CLOSURE_PENDING)
    return cases, {**world.actors, "lead": lead}


@pytest.mark.parametrize("role", [*ROLES, "lead"])
def test_the_compiled_tray_reads_give_the_rows_of_the_orm(work_everywhere, role):
    cases, actors = work_everywhere
    user = actors[role]
    names = {case.pk: name for name, case in cases.items()}
    seen = {}
    for read, orm in READS:
        compiled = read.rows(user)
        assert compiled == orm(user), read
        seen[orm.__name__] = {names[row[0]] for row in compiled}
    # Not vacuous: each compiled kind of scope finds work, and hides what it must.
    expected = {
        "practitioner": ({"school_led"}, {"in_scope", "school_led"}),
        "team_manager": ({"manager_led"}, {"in_scope", "no_consent", "school_led", "manager_led"}),
        "partner_manager": (set(), {"school_led"}),
        "consultant": (set(), {"in_scope", "no_consent", "school_led", "manager_led"}),
        "lead": (
            {"in_scope", "restricted", "no_consent"},
            {"in_scope", "restricted", "no_consent"},
        ),
    }
    if role in expected:
        led, work = expected[role]
        assert seen == {"_led_cases": led, "_actions": work, "_contributions": work}


def test_a_trays_actions_and_contributions_come_from_the_compiled_reads(work_everywhere):
    cases, actors = work_everywhere
    consultant = actors["consultant"]
    items = work_tray_for(consultant, today=timezone.localdate()).items
    contributions = {i.case_id for i in items if i.kind == TrayKind.CONTRIBUTION}
    assert contributions == {
        cases[name].pk for name in ("in_scope", "no_consent", "school_led", "manager_led")
    }
