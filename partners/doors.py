"""Every door rule in one place: who may open a page or API endpoint at all, by role.

Each view declares one of these (`@doors.CASE_DATA`, or `access_rule = doors.FIGURES` on a
class); AccessRuleMiddleware and the API's DeclaredRule refuse a view without one, and the
primary navigation (config/navigation.py) shows a link only to a user its door lets in, so
the two cannot drift apart. Which records a user then sees is decided by the scoped
selectors in each app's access.py.
"""

from collections.abc import Callable, Iterable

from earlyhelp.access_rules import (  # noqa: F401  (the role-free rules, re-exported)
    NAMESPACE_RULES,
    PUBLIC,
    SIGN_IN_JOURNEY,
    SIGNED_IN,
    Rule,
)
from partners.models import ROLES_SEEING_CASE_DATA, AgencyKind, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _roles(*roles: str) -> Callable[[object], bool]:
    allowed = frozenset(roles)
    return lambda user: _active(user) and user.role in allowed


def roles(name: str, allowed: Iterable[str]) -> Rule:
    return Rule(name, _roles(*allowed))


def is_social_care(user) -> bool:
    return (
        _active(user)
        and user.role in (Role.PRACTITIONER, Role.TEAM_MANAGER)
        and user.agency is not None
        and user.agency.kind == AgencyKind.SOCIAL_CARE
    )


def is_administrator(user) -> bool:
    return _active(user) and user.is_staff and user.role == Role.ADMINISTRATOR


CASE_WORKERS = roles("roles that see case data", ROLES_SEEING_CASE_DATA - {Role.ADMINISTRATOR})
CASE_DATA = roles("roles that may see case data (scoped)", ROLES_SEEING_CASE_DATA)
FRONT_DOOR = roles("front door officers", [Role.FRONT_DOOR])
MANAGERS = roles("team managers", [Role.TEAM_MANAGER])
CONSULTANTS = roles("early help consultants", [Role.CONSULTANT])
CONSULTATION_READERS = roles("consultants and team managers", [Role.CONSULTANT, Role.TEAM_MANAGER])
AUDIT_READERS = roles("managers and administrators", [Role.TEAM_MANAGER, Role.ADMINISTRATOR])
FIGURES = roles(
    "people who see aggregate figures",
    [Role.TEAM_MANAGER, Role.STRATEGIC, Role.CONSULTANT, Role.ADMINISTRATOR],
)
ADMINISTRATORS = Rule("administrators", is_administrator)
PERSON_SEARCH = roles(
    "front door, managers and consultants (each within their reach)",
    [Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT],
)
# Who may open the request form at all: every signed-in professional who works with families.
REFERRERS = roles(
    "professionals who may request support",
    [Role.PRACTITIONER, Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT],
)
REFERRAL_READERS = roles(
    "roles that see requests for support (scoped)",
    [Role.PRACTITIONER, Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.CONSULTANT],
)
SOCIAL_CARE = Rule("children's social care staff", is_social_care)


def starts_early_help(user) -> bool:
    """A practitioner or manager of an agency that works with families (a school, health)
    starts early help with a family they know; not social care (it steps down) nor the front
    door (it triages). Issue 12, point 2."""
    return (
        _active(user)
        and user.role in (Role.PRACTITIONER, Role.TEAM_MANAGER)
        and user.agency is not None
        and user.agency.kind != AgencyKind.SOCIAL_CARE
    )


EARLY_HELP_STARTERS = Rule(
    "practitioners and managers of agencies that work with families", starts_early_help
)


# --- Family outcomes (issue 15): the programme team and internal audit hold permissions
# (granted in the admin), not roles.
RUN_PROGRAMME = "outcomes.run_programme"
AUDIT_CLAIMS = "outcomes.audit_claims"
OUTCOMES_AGGREGATE_ONLY = frozenset({Role.STRATEGIC, Role.ADMINISTRATOR})


def is_programme_team(user) -> bool:
    return (
        _active(user)
        and user.role not in (Role.ADMINISTRATOR, Role.STRATEGIC)
        and user.has_perm(RUN_PROGRAMME)
    )


def is_internal_auditor(user) -> bool:
    return (
        _active(user)
        and user.role not in (Role.ADMINISTRATOR, Role.STRATEGIC)
        and user.has_perm(AUDIT_CLAIMS)
    )


def sees_outcome_figures(user) -> bool:
    return _active(user) and (
        user.role in (Role.TEAM_MANAGER, Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR)
        or is_programme_team(user)
    )


def figures_suppressed(user) -> bool:
    """Aggregate-only viewers see counts under 5 as '<5'."""
    return user.role in OUTCOMES_AGGREGATE_ONLY


PROGRAMME_TEAM = Rule("the family outcomes programme team", is_programme_team)
CLAIMS_READERS = Rule(
    "the programme team and internal audit",
    lambda user: is_programme_team(user) or is_internal_auditor(user),
)
INTERNAL_AUDIT = Rule("internal audit of claims", is_internal_auditor)
OUTCOME_FIGURES = Rule("people who see outcome figures", sees_outcome_figures)
CASE_OUTCOMES = Rule(
    "case workers (scoped) and the programme team",
    lambda user: CASE_WORKERS.allows(user) or is_programme_team(user),
)
PLAN_READERS = Rule(
    "the programme team and administrators",
    lambda user: is_programme_team(user) or ADMINISTRATORS.allows(user),
)
PLAN_EDITORS = ADMINISTRATORS


# --- The services directory and family hubs (issue 18): editors and hub staff hold
# permissions (granted in the admin) as well as roles.
EDIT_PERMISSION = "directory.edit_directory"
HUB_PERMISSION = "directory.run_hub"
FIGURE_ROLES = (Role.TEAM_MANAGER, Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR)


def is_directory_editor(user) -> bool:
    if not _active(user):
        return False
    if user.role == Role.ADMINISTRATOR and user.is_staff:
        return True
    return user.role != Role.STRATEGIC and user.has_perm(EDIT_PERMISSION)


def is_hub_staff(user) -> bool:
    return (
        _active(user)
        and user.role in ROLES_SEEING_CASE_DATA
        and user.role != Role.ADMINISTRATOR
        and user.has_perm(HUB_PERMISSION)
    )


def may_see_hub_figures(user) -> bool:
    return _active(user) and (user.role in FIGURE_ROLES or is_hub_staff(user))


def suppresses_small_numbers(user) -> bool:
    """Strategic viewers see aggregates only, with counts under 5 hidden."""
    return user.role == Role.STRATEGIC


WHOLE_DIRECTORY_PERMISSION = "directory.edit_whole_directory"


def is_hub_bound(user) -> bool:
    """A directory editor who works for family hubs (hub staff, or on a team that works from
    a hub) keeps only their hubs' and their agency's entries."""
    return is_hub_staff(user) or bool(user.agency_id and user.agency.family_hub_id)


def keeps_whole_directory(user) -> bool:
    """Administrators, holders of edit_whole_directory (the council's directory team) and
    editors bound to no hub keep every entry in the authority's directory."""
    if not is_directory_editor(user):
        return False
    if user.role == Role.ADMINISTRATOR or user.has_perm(WHOLE_DIRECTORY_PERMISSION):
        return True
    return not is_hub_bound(user)


DIRECTORY_EDITORS = Rule("directory editors and administrators", is_directory_editor)
WHOLE_DIRECTORY_EDITORS = Rule("editors of the whole directory", keeps_whole_directory)
HUB_STAFF = Rule("family hub staff", is_hub_staff)
HUB_FIGURES = Rule("people who see hub figures", may_see_hub_figures)

# --- Education events (the EHC request and exclusion indicators): administrators load them
# from a file; the education system's service account, granted the permission in the admin,
# sends them through the API. A person holding the permission is not let in: the page is an
# administrator's, and shows no names.
LOAD_EDUCATION_PERMISSION = "reporting.load_education_events"


def loads_education_events(user) -> bool:
    if is_administrator(user):
        return True
    return (
        _active(user)
        and user.has_perm(LOAD_EDUCATION_PERMISSION)
        and hasattr(user, "service_account")
    )


EDUCATION_LOADERS = Rule(
    "administrators and the education system's service account", loads_education_events
)

NAMESPACE_RULES["admin"] = ADMINISTRATORS
