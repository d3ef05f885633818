from django.conf import settings

from config.navigation import links_for


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
        "nav_links": links_for(user) if user is not None and user.is_authenticated else [],
        "unread_notifications": _unread(user),
    }
