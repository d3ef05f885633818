import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from earlyhelp.access_rules import rule_for
from earlyhelp.audit import audit
from earlyhelp.errors import RestrictedRecord
from earlyhelp.models import AuditAction

logger = logging.getLogger(__name__)


class AccessRuleMiddleware:
    """Applies each view's declared access rule before the view runs.

    No rule ⇒ 403. Signed out ⇒ the sign-in page (or 403 for the API). A role that sees case
    data but has not verified its second factor ⇒ the two-factor page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = rule_for(view_func, match.namespaces if match else ())
        if rule is None:
            logger.error("View %s has no access rule; refused", match.view_name if match else "?")
            raise PermissionDenied("This page has no access rule.")
        user = request.user
        is_api = request.path.startswith("/api/")
        if rule.sign_in_required and not user.is_authenticated:
            if is_api:
                return None  # DRF authenticates tokens itself and answers 401/403
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if (
            user.is_authenticated
            and settings.EARLYHELP_REQUIRE_2FA
            and user.needs_second_factor
            and not user.is_verified()
            and not rule.before_second_factor
            and rule.sign_in_required
            and not is_api
        ):
            return redirect(f"{reverse('two_factor')}?next={request.path}")
        if not is_api and not rule.allows(user):
            raise PermissionDenied
        return None

    def process_exception(self, request, exception):
        """Failed attempts to open a record are audited; restricted records say whom to ask."""

        if not isinstance(exception, (Http404, PermissionDenied, RestrictedRecord)):
            return None
        match = request.resolver_match
        record_id = _record_id(match.kwargs) if match else None
        if record_id is not None or isinstance(exception, RestrictedRecord):
            audit(
                user=request.user,
                action=AuditAction.DENIED,
                record_type=(match.url_name or "")[:40] if match else "",
                record_id=record_id,
                request=request,
                reason="restricted record" if isinstance(exception, RestrictedRecord) else "",
            )
        if isinstance(exception, RestrictedRecord):
            return render(
                request, "errors/403.html", {"restricted_contact": exception.contact}, status=403
            )
        return None


def _record_id(kwargs: dict) -> int | None:
    for key in ("pk", "case_id", "person_id", "family_id", "referral_id", "assessment_id"):
        value = kwargs.get(key)
        if value is not None:
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None
