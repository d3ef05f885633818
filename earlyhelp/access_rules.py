"""Who may open a page or API endpoint at all (the door), declared on every view.

Which records they then see is decided by the scoped selectors (cases/access.py,
referrals/access.py). A view with no declared rule is refused by AccessRuleMiddleware and
fails the URL walk test: deny by default.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from partners.models import ROLES_SEEING_CASE_DATA, Role


@dataclass(frozen=True)
class Rule:
    name: str
    allows: Callable[[object], bool]
    sign_in_required: bool = True
    # Pages of the sign-in journey itself are reachable before the second factor is verified.
    before_second_factor: bool = False

    def __call__(self, view):
        """Use a rule as a decorator on function views: @access_rules.SIGNED_IN."""
        view.access_rule = self
        return view


def _roles(*roles: str) -> Callable[[object], bool]:
    allowed = frozenset(roles)
    return lambda user: user.is_authenticated and user.is_active and user.role in allowed


def roles(name: str, allowed: Iterable[str]) -> Rule:
    return Rule(name, _roles(*allowed))


PUBLIC = Rule("anyone, signed in or not", lambda user: True, sign_in_required=False)
SIGN_IN_JOURNEY = Rule(
    "signing in (password done, second factor pending)",
    lambda user: user.is_authenticated,
    before_second_factor=True,
)
SIGNED_IN = Rule("any signed-in user", lambda user: user.is_authenticated and user.is_active)
CASE_WORKERS = roles("roles that see case data", ROLES_SEEING_CASE_DATA - {Role.ADMINISTRATOR})
CASE_DATA = roles("roles that may see case data (scoped)", ROLES_SEEING_CASE_DATA)
FRONT_DOOR = roles("front door officers", [Role.FRONT_DOOR])
MANAGERS = roles("team managers", [Role.TEAM_MANAGER])
AUDIT_READERS = roles("managers and administrators", [Role.TEAM_MANAGER, Role.ADMINISTRATOR])
FIGURES = roles(
    "people who see aggregate figures",
    [Role.TEAM_MANAGER, Role.STRATEGIC, Role.CONSULTANT, Role.ADMINISTRATOR],
)
ADMINISTRATORS = Rule(
    "administrators",
    lambda user: (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.role == Role.ADMINISTRATOR
    ),
)

# URL namespaces whose views are built by a library; the rule applies to all of them.
NAMESPACE_RULES = {"admin": ADMINISTRATORS}


def rule_for(view_func, namespaces: Iterable[str] = ()) -> Rule | None:
    """The rule declared on a resolved view: function, class-based view or DRF viewset."""
    for candidate in (
        view_func,
        getattr(view_func, "view_class", None),
        getattr(view_func, "cls", None),
    ):
        rule = getattr(candidate, "access_rule", None)
        if isinstance(rule, Rule):
            return rule
    for namespace in namespaces:
        if namespace in NAMESPACE_RULES:
            return NAMESPACE_RULES[namespace]
    return None


def _social_care(user) -> bool:
    from partners.models import AgencyKind

    return (
        user.is_authenticated
        and user.is_active
        and user.role in (Role.PRACTITIONER, Role.TEAM_MANAGER)
        and user.agency is not None
        and user.agency.kind == AgencyKind.SOCIAL_CARE
    )


SOCIAL_CARE = Rule("children's social care staff", _social_care)
