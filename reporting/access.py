"""Who may see which figures, export what, and audit quality: reporting's can-do rules.

The door to each reporting page is in partners/doors.py; these decide what a user who got
through it may do there."""

from partners import doors
from partners.models import Role

# Strategic viewers and administrators see the whole authority, as numbers only.
AGGREGATE_ONLY_ROLES = frozenset({Role.STRATEGIC, Role.ADMINISTRATOR})


def sees_figures_only(user) -> bool:
    return user.role in AGGREGATE_ONLY_ROLES


def may_audit_quality(user) -> bool:
    return doors.CONSULTANTS.allows(user)


def may_export(user, kind: str) -> bool:
    """Lists of cases and Annex A name children: only managers, for their own scope (and
    consultants, for Annex A). Figures (indicators, the board report) go to everyone who
    sees figures."""
    from reporting.models import ExportKind

    if kind in (
        ExportKind.CASES_CSV,
        ExportKind.CASES_XLSX,
        ExportKind.REQUESTS_CSV,
        ExportKind.REQUESTS_XLSX,
    ):
        return doors.MANAGERS.allows(user)
    if kind in (ExportKind.ANNEX_A_CSV, ExportKind.ANNEX_A_XLSX):
        return doors.MANAGERS.allows(user) or doors.CONSULTANTS.allows(user)
    return doors.FIGURES.allows(user)
