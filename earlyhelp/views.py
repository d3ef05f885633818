"""Pages every user shares: home, sign-in with two factors, sign-out, errors, my activity."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp import access_rules, notifications
from earlyhelp.audit import audit
from earlyhelp.forms import SignInForm, TwoFactorForm
from earlyhelp.models import AuditAction, AuditEvent, Notification


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: anything else ("-1", a view name) is not a place to go.
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, {request.get_host()})
    ):
        return target
    from django.urls import reverse

    return reverse(default)


@access_rules.PUBLIC
def health(request):
    """For load balancers and compose health checks: the database answers. No data shown."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class SignInView(auth_views.LoginView):
    access_rule = access_rules.PUBLIC
    template_name = "registration/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    access_rule = access_rules.SIGN_IN_JOURNEY

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # A shared computer keeps no page of the session: the browser empties its cache
        # (and its back-forward cache) of this site.
        response["Clear-Site-Data"] = '"cache"'
        return response


@access_rules.SIGN_IN_JOURNEY
def two_factor(request):
    """Verify a TOTP code, or enrol a device first if the user has none."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            # A new session key once fully signed in: a key seen before the second factor
            # (on a shared machine, in a proxy log) is worth nothing afterwards.
            request.session.cycle_key()
            audit(user=user, action=AuditAction.SIGN_IN, request=request, reason="second factor")
            return redirect(_safe_next(request))
        audit(user=user, action=AuditAction.SECOND_FACTOR_FAILED, request=request)
        form.add_error("code", "The code is wrong or has expired. Enter the current 6-digit code")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = BytesIO()
        image.save(buffer)
        context["qr_svg"] = base64.b64encode(buffer.getvalue()).decode()
    return render(request, "registration/two_factor.html", context)


@access_rules.SIGN_IN_JOURNEY
@require_POST
def keep_alive(request):
    """Touching the session restarts the idle clock (the expiry warning's 'stay signed in')."""
    request.session.modified = True  # saved now, even within a minute of the last save
    return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})


@access_rules.SIGNED_IN
def notification_list(request):
    if request.method == "POST":
        notifications.mark_read(user=request.user)
        messages.success(request, "All notifications marked as read.")
        return redirect("notification_list")
    items = Notification.objects.filter(user=request.user)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@access_rules.SIGNED_IN
@require_POST
def open_notification(request, pk: int):
    """Mark one notification read and follow its link (links stay behind the access rules)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target or "notification_list")


@access_rules.SIGNED_IN
def my_activity(request):
    """What I have done in the system: my own audit trail."""
    events = AuditEvent.objects.filter(user=request.user).order_by("-at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/my_activity.html", {"page": page})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def answers_in_json(request) -> bool:
    """A path other systems call (the API, Open Referral): its errors are JSON, as its
    answers are, never a page."""
    return request.path.startswith(settings.JSON_PATH_PREFIXES)


def page_not_found(request, exception=None):
    if answers_in_json(request):  # e.g. /api/v1/cases/abc/, which no route takes
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def method_not_allowed(request, allowed: str):
    """A button's address opened by a link or Back, or reached again after signing in
    (?next=): Django's answer has no body, a blank page."""
    if answers_in_json(request):
        response = JsonResponse({"detail": f'Method "{request.method}" not allowed.'})
    else:
        response = render(request, "errors/405.html")
    response.status_code = 405
    response["Allow"] = allowed
    return response


def server_error(request):
    # Rendered without the request: its context (the user, their notifications) may be
    # what failed. The safeguarding line is the one thing this page must always say.
    if answers_in_json(request):
        return JsonResponse({"detail": "Sorry, there is a problem with the service."}, status=500)
    page = loader.render_to_string(
        "errors/500.html", {"safeguarding_phone": settings.SAFEGUARDING_PHONE}
    )
    return HttpResponseServerError(page)
