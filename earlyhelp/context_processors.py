from django.conf import settings
from django.urls import NoReverseMatch, reverse

from partners.models import Role

# The primary navigation per role: (label, URL name). Links to pages not yet built are skipped.
NAVIGATION = {
    Role.PRACTITIONER: [
        ("My cases", "case_list"),
        ("Request support", "referral_start"),
        ("My requests", "referral_list"),
        ("Quality feedback", "qa_feedback"),
        ("Services directory", "directory_search"),
    ],
    Role.FRONT_DOOR: [
        ("Triage queue", "triage_queue"),
        ("Find a person", "person_search"),
        ("New request", "referral_start"),
        ("My cases", "case_list"),
        ("Services directory", "directory_search"),
    ],
    Role.TEAM_MANAGER: [
        ("Cases", "case_list"),
        ("Dashboard", "dashboard"),
        ("Overdue", "overdue"),
        ("Indicators", "indicators"),
        ("Find a person", "person_search"),
        ("Hub reach", "hub_dashboard"),
        ("Services directory", "directory_search"),
    ],
    Role.CONSULTANT: [
        ("Cases", "case_list"),
        ("Quality audits", "qa_sample"),
        ("Indicators", "indicators"),
        ("Services directory", "directory_search"),
    ],
    Role.STRATEGIC: [("Indicators", "indicators"), ("Hub reach", "hub_dashboard")],
    Role.ADMINISTRATOR: [
        ("Administration", "admin:index"),
        ("Break glass", "break_glass"),
        ("Audit trail", "audit_search"),
        ("Services directory", "directory_search"),
    ],
}


def _links(role):
    links = []
    for label, name in NAVIGATION.get(role, []):
        try:
            links.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return links


def _unread(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    from earlyhelp.notifications import unread_count

    return unread_count(user)


def service(request):
    user = getattr(request, "user", None)
    return {
        "authority_name": settings.AUTHORITY_NAME,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "safeguarding_phone": settings.SAFEGUARDING_PHONE,
        "nav_links": _links(user.role) if user is not None and user.is_authenticated else [],
        "unread_notifications": _unread(user),
    }
