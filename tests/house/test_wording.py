"""Issue 15, point 5: the authority's words ("lead practitioner" / "Family Help") reach every
page, document and export. Fixed "lead professional" / "early help" text written in Python or
in a template, outside earlyhelp/wording.py, would not follow the authority's choice."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORDS = re.compile(r"lead professional|early help", re.IGNORECASE)
APPS = [
    "assessments",
    "cases",
    "config",
    "directory",
    "earlyhelp",
    "outcomes",
    "oversight",
    "partners",
    "records",
    "referrals",
    "reminders",
    "reporting",
    "work",
    "templates",
]
# Not seen by a user in the product, or stored data an administrator edits.
ALLOWED = {
    "earlyhelp/wording.py",  # the words themselves
    "config/settings.py",  # the defaults of LEAD_TITLE / HELP_NAME; the API schema title
    "config/launcher.py",  # the developer's console
    "partners/doors.py",  # rule names in code and tests
    "records/models.py",  # the default name of the retention schedule (editable data)
    "reminders/calendar.py",  # the calendar file's PRODID, an identifier
}
TERM_CALLS = {"term", "term_lazy", "_term"}


def _fixed_strings(path: pathlib.Path):
    tree = ast.parse(path.read_text())
    exempt = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))  # docstrings
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TERM_CALLS:
                exempt.update(id(a) for a in node.args)  # the keys of term()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in exempt
            and WORDS.search(node.value)
        ):
            yield f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]!r}"


def _template_text(path: pathlib.Path):
    text = re.sub(r'\{%\s*term\s+"[^"]*"\s*%\}|"[^"]*"\|term', "", path.read_text())
    for match in WORDS.finditer(text):
        line = text[: match.start()].count("\n") + 1
        yield f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r}"


def _sources(suffixes):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def test_python_text_shown_to_users_goes_through_the_authoritys_words():
    found = [
        line
        for path in _sources({".py"})
        if str(path.relative_to(ROOT)) not in ALLOWED
        for line in _fixed_strings(path)
    ]
    assert found == [], "use earlyhelp.wording.term()/term_lazy():\n" + "\n".join(found)


def test_templates_use_the_term_tag_for_the_authoritys_words():
    found = [line for path in _sources({".html", ".txt"}) for line in _template_text(path)]
    assert found == [], 'use {% term "lead professional" %}:\n' + "\n".join(found)
