"""Who records supervision and keeps a consultation log, and whose logs a manager reads."""

from cases import access as case_access
from cases.models import EarlyHelpCase
from partners import doors
from partners.models import Role


def may_supervise(user, case: EarlyHelpCase) -> bool:
    """Team managers whose scope includes the case (cases/access.py) record supervision."""
    return (
        doors.MANAGERS.allows(user)
        and case_access.cases_visible_to(user).filter(pk=case.pk).exists()
    )


def keeps_consultation_log(user) -> bool:
    return doors.CONSULTANTS.allows(user)


def reads_district_consultations(user) -> bool:
    """Managers of the council's own early help teams read their districts' logs."""
    return (
        user.role == Role.TEAM_MANAGER
        and bool(user.agency_id)
        and user.agency.is_council_early_help
    )
