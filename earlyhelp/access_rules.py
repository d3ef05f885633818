"""The door mechanism: who may open a page or API endpoint at all, declared on every view.

The rules themselves, which name roles, are all in partners/doors.py; this kernel module
holds only the mechanism and the rules that need no role. Which records a user then sees is
decided by the scoped selectors (cases/access.py, referrals/access.py). A view with no
declared rule is refused by AccessRuleMiddleware and fails the URL walk test: deny by
default.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    allows: Callable[[object], bool]
    sign_in_required: bool = True
    # Pages of the sign-in journey itself are reachable before the second factor is verified.
    before_second_factor: bool = False

    def __call__(self, view):
        """Use a rule as a decorator on function views: @doors.CASE_DATA."""
        view.access_rule = self
        return view


PUBLIC = Rule("anyone, signed in or not", lambda user: True, sign_in_required=False)
SIGN_IN_JOURNEY = Rule(
    "signing in (password done, second factor pending)",
    lambda user: user.is_authenticated,
    before_second_factor=True,
)
SIGNED_IN = Rule("any signed-in user", lambda user: user.is_authenticated and user.is_active)

# URL namespaces whose views are built by a library; the rule applies to all of them.
# Filled by the doors module (partners/doors.py), which knows the roles.
NAMESPACE_RULES: dict[str, Rule] = {}


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
