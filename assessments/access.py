"""What a user may do with an assessment they can see (the door is in partners/doors.py,
the case scope in cases/access.py)."""

from assessments.models import Assessment
from cases import access as case_access
from partners.models import Role


def may_sign_off(user, assessment: Assessment) -> bool:
    """A team manager whose scope includes the case, who did not submit it."""
    return (
        user.is_authenticated
        and user.role == Role.TEAM_MANAGER
        and case_access.cases_visible_to(user).filter(pk=assessment.case_id).exists()
        and assessment.submitted_by_id != user.pk
    )
