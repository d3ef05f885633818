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


def test_every_record_kind_is_named_in_english_in_the_admin_and_messages():
    """Django makes a plural by adding "s": the admin said "0 break glasss" and
    "claim batchs". Each of the project's models says its own plural where that is wrong,
    and an abbreviation keeps its capitals ("API token", not "api token")."""
    from django.apps import apps

    wrong = []
    for model in apps.get_models():
        if not str(model.__module__).startswith(tuple(a for a in APPS if a != "templates")):
            continue
        one, many = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        if many == one + "s" and re.search(r"(s|x|ch|sh|[^aeiou]y)$", one):
            wrong.append(many)
        if re.search(r"\b(api|taf|eha|upn|nhs)\b", one):
            wrong.append(one)
    assert wrong == []
