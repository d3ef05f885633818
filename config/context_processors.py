from django.conf import settings

from config.navigation import links_for
from earlyhelp.sessions import TOUCH_SECONDS


def _unread(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    from earlyhelp.notifications import unread_count

    return unread_count(user)


def service(request):
    user = getattr(request, "user", None)
    return {
        "authority_name": settings.AUTHORITY_NAME,
        # The idle clock is kept to the minute (earlyhelp/sessions.py): count down from the
        # idle time less that minute, so the warning always comes before the session ends.
        "session_idle_seconds": settings.SESSION_COOKIE_AGE - TOUCH_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "safeguarding_phone": settings.SAFEGUARDING_PHONE,
        "nav_links": links_for(user) if user is not None and user.is_authenticated else [],
        "unread_notifications": _unread(user),
    }
