"""The primary navigation, built from the door rules (partners/doors.py): a link shows only
to a user whom the door of the page it leads to lets in, so links and doors cannot drift."""

from functools import cache

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.text import format_lazy

from cases.access import sees_own_cases_only
from earlyhelp.access_rules import Rule, rule_for
from earlyhelp.wording import term_lazy

# In the order they appear; a label may depend on the user.
NAVIGATION = [
    ("Step-up requests", "stepup_queue"),
    ("Triage queue", "triage_queue"),
    (lambda user: "My cases" if sees_own_cases_only(user) else "Cases", "case_list"),
    ("Allocation", "allocation_queue"),
    ("Sign-off", "signoff_queue"),
    ("Closures", "closure_queue"),
    ("Request support", "referral_start"),
    (format_lazy("Start {}", term_lazy("early help")), "start_early_help"),
    ("My requests", "referral_list"),
    ("Find a person", "person_search"),
    ("Services directory", "directory_search"),
    ("Dashboard", "dashboard"),
    ("Overdue", "overdue"),
    ("Indicators", "indicators"),
    ("Family outcomes", "outcomes_dashboard"),
    ("Hub reach", "hub_dashboard"),
    ("Signposting", "signposting_report"),
    ("Outcomes plan", "outcomes_plan"),
    ("Retention", "retention_list"),
    ("Quality audits", "qa_sample"),
    ("Consultation log", "consultation_log"),
    ("Quality feedback", "qa_feedback"),
    ("Administration", "admin:index"),
    ("Education events", "education_import"),
    ("Break glass", "break_glass"),
    ("Audit trail", "audit_search"),
]


@cache
def _door(url_name: str) -> tuple[str, Rule | None] | None:
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None
    match = resolve(url)
    return url, rule_for(match.func, match.namespaces)


def links_for(user) -> list[dict]:
    links = []
    for label, url_name in NAVIGATION:
        door = _door(url_name)
        if door is None or door[1] is None or not door[1].allows(user):
            continue
        links.append({"label": label(user) if callable(label) else label, "url": door[0]})
    return links
