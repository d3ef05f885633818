"""Sign-in events go to the audit trail (no business rules here)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from earlyhelp.audit import audit
from earlyhelp.models import AuditAction


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    # Roles that need a second factor are signed in only once it is verified
    # (earlyhelp.views.two_factor writes that row).
    if settings.EARLYHELP_REQUIRE_2FA and user.needs_second_factor:
        audit(user=user, action=AuditAction.PASSWORD_ACCEPTED, request=request)
        return
    audit(user=user, action=AuditAction.SIGN_IN, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit(user=user, action=AuditAction.SIGN_OUT, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The typed email is not stored: it may be a mistyped password or someone else's address.
    audit(user=None, action=AuditAction.SIGN_IN_FAILED, request=request)
