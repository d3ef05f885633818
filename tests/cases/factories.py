"""A builder per case and step-up state, each reached through the services (never by
setting a status), so the history and chronology are those a real case would have."""

import datetime

from django.utils import timezone

from cases import services as case_services
from cases.codes import Relationship
from cases.models import CaseOrigin, EarlyHelpCase, StepUpRequest
from partners.models import Agency, AgencyKind, Role
from tests import factories


def waiting_case(
    *, team, queued_by, district=None, level_of_need=3, opened_on=None, significant_harm=False
) -> EarlyHelpCase:
    """A case the front door sent to `team`'s queue (awaiting allocation)."""
    district = district or queued_by.districts.first()
    family = factories.family_with_children(district=district)
    children = [m.person for m in family.memberships.filter(relationship=Relationship.CHILD)]
    return case_services.case_open(
        family=family,
        children=children,
        lead_agency=team,
        lead_professional=None,
        level_of_need=level_of_need,
        opened_on=opened_on or timezone.localdate(),
        acting_user=queued_by,
        origin=CaseOrigin.FRONT_DOOR,
        reason="Targeted early help: several agencies worried about school attendance.",
        significant_harm=significant_harm,
    )


def allocated_case(*, manager, lead, **kwargs) -> EarlyHelpCase:
    case = waiting_case(team=lead.agency, queued_by=manager, **kwargs)
    return case_services.case_allocate(case=case, lead_professional=lead, acting_user=manager)


def social_care_worker(district):
    agency, _ = Agency.objects.get_or_create(
        name=f"{district.name} Children's Social Care", defaults={"kind": AgencyKind.SOCIAL_CARE}
    )
    agency.districts.add(district)
    return factories.UserFactory(
        full_name="Sian Pryce", role=Role.PRACTITIONER, agency=agency, districts=[district]
    )


def pending_step_up(*, lead, case=None, significant_harm=False) -> StepUpRequest:
    case = case or factories.open_case(
        lead=lead, opened_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    return case_services.step_up(
        case=case,
        acting_user=lead,
        reason="Dad's drinking has escalated and the children are left alone at night.",
        significant_harm=significant_harm,
    )


def accepted_step_up(*, lead, social_worker, **kwargs) -> StepUpRequest:
    step = pending_step_up(lead=lead, **kwargs)
    return case_services.step_up_accept(
        step=step, acting_user=social_worker, social_care_team="Amberford Assessment Team"
    )


def declined_step_up(*, lead, social_worker, **kwargs) -> StepUpRequest:
    step = pending_step_up(lead=lead, **kwargs)
    return case_services.step_up_decline(
        step=step, acting_user=social_worker, reason="Threshold not met: early help continues."
    )


def stepped_up_case(*, lead, social_worker) -> EarlyHelpCase:
    step = accepted_step_up(lead=lead, social_worker=social_worker)
    step.case.refresh_from_db()
    return step.case


def pending_closure(*, lead, case=None) -> EarlyHelpCase:
    """A targeted case whose lead's closure waits for a manager's authorisation."""
    today = timezone.localdate()
    case = case or factories.open_case(
        lead=lead, level_of_need=3, opened_on=today - datetime.timedelta(days=60)
    )
    case_services.case_close(
        case=case,
        acting_user=lead,
        reason="needs_met",
        closed_on=today,
        family_view="improved",
        summary="Mornings are calm and school attendance is back above 95%.",
    )
    case.refresh_from_db()
    return case
