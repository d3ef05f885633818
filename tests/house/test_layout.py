"""The house rules, checked on every run: imports point one way (the kernel up to nothing,
the shell and bench down to everything, bench from nothing in production), and roles are
compared only in access modules, so every permission decision has one home."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each top-level package and the packages it may import. A new app must be added here,
# below the apps it builds on (partners <- cases <- referrals, assessments <- ...).
KERNEL = {"earlyhelp"}  # with its outbox app (earlyhelp/outbox)
ALLOWED = {
    "earlyhelp": set(),
    "partners": KERNEL,
    "cases": KERNEL | {"partners"},
    "directory": KERNEL | {"partners", "cases"},  # the services directory and family hubs
}
CASEWORK = KERNEL | {"partners", "cases", "directory"}
ALLOWED |= {
    "referrals": CASEWORK,
    "assessments": CASEWORK,
    "reminders": CASEWORK | {"referrals", "assessments"},
    "oversight": CASEWORK | {"referrals", "assessments"},
    # with its summaries app; reports on supervision too
    "reporting": CASEWORK | {"referrals", "assessments", "oversight"},
    "records": CASEWORK | {"referrals", "assessments"},
    "outcomes": CASEWORK | {"referrals", "assessments", "reporting"},
}
ALLOWED["work"] = CASEWORK | {"referrals", "assessments", "reminders", "oversight", "records"}
ALLOWED["demo"] = set(ALLOWED)  # the demo county is built through every app's services
ALLOWED["config"] = set(ALLOWED) - {"config"}  # the shell wires every app, never bench
ALLOWED["bench"] = set(ALLOWED)  # benchmarks may use anything; nothing imports them
PACKAGES = set(ALLOWED)


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _imported_packages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            yield node.lineno, name.split(".")[0]


def test_every_top_level_package_has_a_place_in_the_layers():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if ".venv" not in path.parts and path.parent.name != "tests"
    }
    assert apps <= PACKAGES, f"add {sorted(apps - PACKAGES)} to ALLOWED in this test"


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_imports_point_down_the_layers(package):
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path, tree in _modules(package)
        for line, imported in _imported_packages(tree)
        if imported in PACKAGES and imported != package and imported not in ALLOWED[package]
    ]
    assert upward == []


# Where a role may be named in a comparison or a query: the access modules (access.py,
# <topic>_access.py), the doors, the
# model that defines roles, and the demo data that creates users in each role.
ROLE_HOMES = ("access.py", "doors.py")
ROLE_EXEMPT_PACKAGES = {"demo", "bench", "config"}


def _role_checks(tree: ast.AST):
    """Comparisons with `.role` or `Role.X`, and queries filtering on a role."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if any(_names_a_role(part) for part in parts):
                yield node.lineno
        elif (
            isinstance(node, ast.Call)
            and _is_query(node.func)
            and any(_filters_on_role(kw.arg) for kw in node.keywords)
        ):
            yield node.lineno


def _is_query(func: ast.AST) -> bool:
    """.filter(role=...), .exclude(...), .get(...), Q(...): choosing people by role."""
    if isinstance(func, ast.Attribute):
        return func.attr in ("filter", "exclude", "get")
    return isinstance(func, ast.Name) and func.id == "Q"


def _filters_on_role(keyword: str | None) -> bool:
    """role=, role__in=, user__role=, staff__role__in= ..."""
    parts = (keyword or "").split("__")
    return "role" in parts and parts[-1] in ("role", "in")


def _names_a_role(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return True
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_a_role(element) for element in node.elts)
    return False


def test_roles_are_compared_only_in_access_modules():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in sorted(PACKAGES - ROLE_EXEMPT_PACKAGES)
        for path, tree in _modules(package)
        if not path.name.endswith(ROLE_HOMES)
        and path.relative_to(ROOT).as_posix() != "partners/models.py"
        for line in _role_checks(tree)
    ]
    assert found == []


def test_templates_do_not_decide_by_role():
    found = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts and re.search(r"\buser\.role\b", path.read_text())
    ]
    assert found == []
