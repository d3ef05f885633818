import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

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
            request._refusal_audited = True
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


BIGINT_MAX = 2**63 - 1


def _record_id(kwargs: dict) -> int | None:
    """The record id in the URL, if it is one the audit column can hold (a probe with an
    id beyond PostgreSQL's bigint is audited without it, never a 500)."""
    for key in ("pk", "case_id", "person_id", "family_id", "referral_id", "assessment_id"):
        value = kwargs.get(key)
        if value is not None:
            try:
                number = int(value)
            except (TypeError, ValueError):
                return None
            return number if -BIGINT_MAX <= number <= BIGINT_MAX else None
    return None


API_PREFIX = "/api/v1/"
REFUSED = frozenset({401, 403, 404})


class ApiAuditMiddleware:
    """Every API refusal and every API list read leaves one audit row (issue 17, point 3).

    Refusals (401, 403, 404 under /api/v1/, including ids that do not exist: probing is
    what the trail is for) are written here because DRF answers them inside the view, where
    AccessRuleMiddleware.process_exception never sees them. A list read is one row naming
    the list and how many records it returned, not one row per record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            try:
                self._audit(request, response)
            except Exception:  # the answer stands even if the audit write fails; log it
                logger.exception("Could not audit an API call")
        return response

    def _audit(self, request, response) -> None:
        match = request.resolver_match
        kind = _api_kind(match)
        if response.status_code in REFUSED:
            if getattr(request, "_refusal_audited", False):
                return
            audit(
                user=request.user,
                action=AuditAction.DENIED,
                record_type=kind,
                record_id=_record_id(match.kwargs) if match else None,
                request=request,
                reason=f"API {request.method} refused ({response.status_code})",
            )
            return
        actions = getattr(match.func, "actions", None) if match else None
        if (
            request.method == "GET"
            and response.status_code == 200
            and actions
            and actions.get("get") == "list"
        ):
            data = getattr(response, "data", None)
            rows = data.get("results") if isinstance(data, dict) else data
            count = len(rows) if isinstance(rows, list) else None
            audit(
                user=request.user,
                action=AuditAction.VIEW,
                record_type=kind,
                request=request,
                reason=f"API list: {count} records" if count is not None else "API list",
                changes={"query": [None, request.META.get("QUERY_STRING", "")[:500]]},
            )


def _api_kind(match) -> str:
    if match is None:
        return ""
    basename = (getattr(match.func, "initkwargs", None) or {}).get("basename")
    return (basename or match.url_name or "")[:40]


def without_nul(data: QueryDict) -> QueryDict:
    """`data` with every NUL character taken out of its names and values."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for name, values in data.lists():
        cleaned.setlist(name.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    cleaned._mutable = False
    return cleaned


class MethodNotAllowedMiddleware:
    """Gives a 405 with no body (Django's require_POST and require_GET) the service's page,
    or a JSON answer on the API's paths (earlyhelp.views.method_not_allowed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            from earlyhelp.views import method_not_allowed

            return method_not_allowed(request, response.get("Allow", ""))
        return response


class NulCharacterMiddleware:
    """Takes NUL characters out of the query string and form data before any view reads
    them. Nobody means to type one, and PostgreSQL stores none in text: a NUL that reached
    a filter, a search or a saved draft turned the page into an error. Files and JSON bodies
    are left to their parsers (the API's text fields refuse a NUL with a message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if ("%00" in query or "\x00" in query) and _has_nul(request.GET):
            request.GET = without_nul(request.GET)
        is_form = request.method == "POST" and request.content_type in _FORM_TYPES
        if is_form and _has_nul(request.POST):
            request.POST = without_nul(request.POST)
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in name or any("\x00" in v for v in vs) for name, vs in data.lists())


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PrivatePagesMiddleware:
    """A page shown to someone signed in may hold a child's record: no browser or proxy keeps
    it, so Back after signing out on a shared computer asks the server again (and is sent to
    sign in). A response that set its own caching (a static file, a download) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
