"""Who may use the family outcomes pages, and whose episodes they see.

- Programme team (permission outcomes.run_programme, through the "Family outcomes programme
  team" group): every programme episode in the authority (needs, evidence, progress, claims),
  restricted families excepted; prepares claims, records why not, makes batches and returns.
- Internal audit (outcomes.audit_claims): the claims list and the audit of sampled claims.
- Case workers (practitioners, managers, consultants): the outcomes page of cases they may
  read (cases/access.py); they record needs and progress on cases they may work on.
- Figures (managers, consultants, strategic viewers, administrators and the programme team):
  the cohort dashboard; strategic viewers and administrators see small numbers suppressed.
- Administrators: the outcomes plan (new versions). They hold no case data here: a superuser
  has every permission, so the programme rules exclude the administrator role explicitly.
"""

from django.db.models import QuerySet

from cases.access import can_work_on_case, cases_visible_to, may_open_case
from partners import doors
from partners.doors import (  # noqa: F401  (the outcomes doors live with every other door)
    CASE_OUTCOMES,
    CLAIMS_READERS,
    INTERNAL_AUDIT,
    OUTCOME_FIGURES,
    PLAN_EDITORS,
    PLAN_READERS,
    PROGRAMME_TEAM,
    _active,
    figures_suppressed,
    is_internal_auditor,
    is_programme_team,
)
from partners.models import Role


def outcome_cases_visible_to(user) -> QuerySet:
    """Cases whose outcomes record the user may read: the whole authority's programme
    episodes for the programme team (restricted families hidden), else the user's cases."""
    from cases.models import EarlyHelpCase

    if is_programme_team(user):
        return EarlyHelpCase.objects.filter(programme__isnull=False, family__restricted=False)
    if doors.CASE_WORKERS.allows(user):
        return cases_visible_to(user)
    return EarlyHelpCase.objects.none()


def get_outcome_case_for(user, pk):
    """The case for its outcomes page; Http404 out of scope (as cases/access.get_case_for),
    RestrictedRecord for a restricted family the user is not named on."""
    from cases.access import get_case_for
    from cases.models import EarlyHelpCase

    if is_programme_team(user):
        try:
            return outcome_cases_visible_to(user).select_related("family").get(pk=pk)
        except (EarlyHelpCase.DoesNotExist, ValueError, TypeError):
            pass  # not in the programme: the case rules decide (404 or restricted)
    return get_case_for(user, pk)


def case_page_opens(user, case) -> bool:
    """Whether the case page opens for the user of a family's outcomes page. A case worker
    reached the case through the case rules (get_outcome_case_for), so it does; the
    programme team reaches programme cases it may not otherwise open."""
    return not is_programme_team(user) or may_open_case(user, case)


def may_open_outcomes(user, case) -> bool:
    """Whether the family's outcomes page opens for the user (a claim links to it only
    then: internal audit reads the claim, not the family's record)."""
    return outcome_cases_visible_to(user).filter(pk=case.pk).exists()


def may_record_outcomes(user, case) -> bool:
    """Needs and progress are recorded by those who work on the case, and by the programme
    team (data-match evidence), while the case is open or at its closure."""
    if is_programme_team(user):
        return True
    if not _active(user) or user.role in (Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR):
        return False
    if case.is_open:
        return can_work_on_case(user, case)
    # After closure the lead and managers still record progress at closure.
    return case.lead_professional_id == user.pk or user.role == Role.TEAM_MANAGER


def require_record_outcomes(user, case) -> None:
    from django.core.exceptions import PermissionDenied

    if not may_record_outcomes(user, case):
        raise PermissionDenied("You cannot record outcomes on this case.")
