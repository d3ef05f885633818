"""A closed case takes no new work (ADR 0006, issue 11): every service that writes to a case
makes the shared "may record work on this case" check, unless it is named below with the
reason the domain allows it after closure."""

import inspect

import pytest
from django.utils import timezone

from cases import services
from cases.models import ConsentRecord
from earlyhelp.errors import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

# What a service's source says when it refuses a closed case: the shared check, or (for
# the writes whose door is a rule of their own) its closed half, or its own closed rule.
REFUSES = (
    "_require_worker(",
    "_require_assessment_worker(",
    "_require_work_on_open_case(",
    "refuse_if_closed(",
    "not case.is_open",
    "transitions.CASE.check(",
)

ALLOWED_ON_A_CLOSED_CASE = {
    "cases.services.consent_withdraw": "the family may withdraw consent at any time, and "
    "withdrawal stops sharing with those agencies even on a closed case",
    "cases.services.step_up_request_send": "refuses a closed case itself; a request without "
    "a case is a new family",
    "cases.services.step_up_accept": "social care's answer to a request made while the case "
    "was open; accepting is what closes it",
    "cases.services.step_up_decline": "social care's answer to a request made while the case "
    "was open",
    "cases.services.closure_held_back_by": "reads; records nothing",
    "cases.services.closure_refused_for": "reads; records nothing",
    "cases.services.handover_refused_for": "reads; records nothing",
    "cases.services.level_change_refused_for": "reads; records nothing",
    "assessments.services.unheard_children": "reads; records nothing",
    "cases.services.case_close": "closure itself",
    "cases.services.closure_authorise": "closure: a manager authorises the closure",
    "cases.services.closure_return": "closure: a manager returns the closure request",
    "cases.services.case_start_by_partner": "opens a new case (its `consent` is the "
    "family's answer, not a record of a case)",
    "cases.services.level_of_need_set": "a step inside its callers' transaction; each caller "
    "makes the check",
    "assessments.services.assessment_sign_off": "a manager's agreement to an assessment "
    "submitted before closure (oversight of work already done)",
    "assessments.services.closure_prepare": "closure: the plan's outcomes at closure",
    "assessments.services.case_close_with_plan": "closure itself",
    "assessments.services.on_case_closed": "closure: cancels the meetings still scheduled",
    "outcomes.services.episode_hub_set": "a correction of which family hub the family is "
    "counted under, for the programme's figures",
    "outcomes.services.progress_record": "progress at closure is recorded after it; progress "
    "at a review is refused on a closed case",
    "outcomes.services.claim_prepare": "the programme team claims for a family once the "
    "work is done, often after closure",
    "outcomes.services.claim_decline": "the programme team's record of why not to claim",
    "oversight.services.supervision_record": "a manager's oversight note on a closed case",
    "oversight.services.consultation_record": "the consultation log records advice asked "
    "about a family, not work on a case (its `outcome` is the advice's)",
    "oversight.services.consultation_outcome_set": "the consultation log, as above",
    "reporting.quality.quality_audit_record": "quality audits sample closed cases too",
}

# Arguments that carry a case, or a record of one.
CASE_ARGUMENTS = {
    "case",
    "member",
    "consent",
    "entry",
    "step",
    "assessment",
    "invitation",
    "plan",
    "outcome",
    "action",
    "meeting",
    "need",
}
MODULES = (
    "cases.services",
    "assessments.services",
    "outcomes.services",
    "oversight.services",
    "reporting.quality",
)


def case_write_services():
    import importlib

    found = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != name:
                continue
            parameters = set(inspect.signature(value).parameters)
            if "acting_user" in parameters and parameters & CASE_ARGUMENTS:
                found[f"{name}.{attr}"] = value
    return found


def test_every_case_write_service_refuses_a_closed_case_or_says_why_not():
    found = case_write_services()
    assert "outcomes.services.need_add" in found  # the sweep finds the services
    unchecked = [
        name
        for name, service in found.items()
        if name not in ALLOWED_ON_A_CLOSED_CASE
        and not any(marker in inspect.getsource(service) for marker in REFUSES)
    ]
    assert unchecked == []
    assert set(ALLOWED_ON_A_CLOSED_CASE) - set(found) == set()  # no stale names


def test_consent_is_not_recorded_on_a_closed_case(practitioner):
    case = factories.closed_case(lead=practitioner)
    parent = case.family.memberships.filter(relationship="parent").first().person
    with pytest.raises(DomainError, match="This case is closed"):
        services.consent_record(
            case=case,
            given_by=parent,
            given_on=timezone.localdate(),
            method="in_person",
            shared_with=[],
            acting_user=practitioner,
        )
    assert not ConsentRecord.objects.filter(case=case).exists()


def test_no_one_is_taken_off_the_team_of_a_closed_case(practitioner, school):
    case = factories.open_case(lead=practitioner, consent_agencies=[school])
    member = services.taf_member_add(
        case=case, agency=school, contact_name="Ms Head", acting_user=practitioner
    )
    services.case_close(
        case=case,
        acting_user=practitioner,
        reason="needs_met",
        closed_on=timezone.localdate(),
        family_view="improved",
    )
    member.refresh_from_db()
    with pytest.raises(DomainError, match="This case is closed"):
        services.taf_member_remove(member=member, acting_user=practitioner)
    member.refresh_from_db()
    assert member.left_on is None
