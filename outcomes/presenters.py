"""Shapes outcomes figures for templates: the cohort dashboard's page."""

from outcomes import access, selectors
from partners.models import District


def cohort_dashboard(user, dashboard, *, district) -> dict:
    """The cohort dashboard with its district filter, the programme states in reading order
    and which of the programme team's and internal audit's links this viewer sees."""
    return {
        "dashboard": dashboard,
        "districts": District.objects.all(),
        "district": district,
        "state_labels": [
            selectors.ProgrammeState.LABELS[s] for s in selectors.ProgrammeState.ORDER
        ],
        "programme_team": access.is_programme_team(user),
        "internal_auditor": access.is_internal_auditor(user),
    }
