"""Issue 17, point 5: administrators manage partner systems' service accounts in the Django
admin, where they manage users and agencies: create one (name, agency, scope, expiry), see
its token once, list them with their last use, issue and revoke tokens, each step audited.
On today's code there were no such pages (only a management command)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.models import ApiToken, AuditAction, AuditEvent, ServiceAccount
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

KEY = re.compile(r"is ([A-Za-z0-9_-]{40,}) ")


def _create(client, school, district, **overrides):
    data = {
        "system_name": "Amberford Primary MIS",
        "contact_email": "it@amberford.example",
        "email": "mis@amberford.example",
        "agency": school.pk,
        "role": "practitioner",
        "districts": [district.pk],
        "scope": "read",
        "days": "30",
        **overrides,
    }
    return client.post(reverse("admin:earlyhelp_serviceaccount_add"), data, follow=True)


def test_an_administrator_creates_a_service_account_and_sees_its_token_once(
    client, administrator, school, district
):
    signed_in(client, administrator)
    response = _create(client, school, district)
    assert response.status_code == 200
    text = response.content.decode()
    key = KEY.search(text).group(1)
    account = ServiceAccount.objects.get()
    token = account.tokens.get()
    assert account.user.agency == school and not account.user.has_usable_password()
    assert token.scope == "read"
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert key not in str(list(ApiToken.objects.values()))  # only its digest is kept
    assert AuditEvent.objects.filter(user=administrator, action=AuditAction.CREATE).count() == 2

    # The key works on the API; it is never shown again, on any admin page.
    api = client.__class__()
    assert api.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    for url in (
        reverse("admin:earlyhelp_serviceaccount_changelist"),
        reverse("admin:earlyhelp_serviceaccount_change", args=[account.pk]),
        reverse("admin:earlyhelp_apitoken_changelist"),
        reverse("admin:earlyhelp_apitoken_change", args=[token.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert key not in page.content.decode(), url
    listing = client.get(reverse("admin:earlyhelp_serviceaccount_changelist")).content.decode()
    assert "Amberford Primary MIS" in listing
    token.refresh_from_db()
    assert token.last_used_at is not None  # the list shows when it was last used
    assert "Never" not in listing.split("Amberford Primary MIS", 1)[1].split("</tr>", 1)[0]


def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, administrator, school, district):
    signed_in(client, administrator)
    response = _create(client, school, district, days="900", role="administrator")
    text = response.content.decode()
    assert "Amberford Primary MIS" in text  # kept
    assert "Token expires after (days) must be 365 or less" in text  # the product's words
    assert not ServiceAccount.objects.exists()


def test_revoked_and_expired_tokens_are_refused_by_the_api(client, administrator, school, district):
    signed_in(client, administrator)
    first = KEY.search(_create(client, school, district).content.decode()).group(1)
    account = ServiceAccount.objects.get()
    issued = client.post(
        reverse("admin:earlyhelp_apitoken_add"),
        {"account": account.pk, "scope": "read", "days": "10"},
        follow=True,
    )
    second = KEY.search(issued.content.decode()).group(1)
    api = client.__class__()
    assert api.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200

    old = ApiToken.objects.order_by("pk").first()
    revoke = client.post(
        reverse("admin:earlyhelp_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [old.pk]},
        follow=True,
    )
    assert "1 token revoked" in revoke.content.decode()
    assert api.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert AuditEvent.objects.filter(
        user=administrator, action=AuditAction.CHANGE, reason="revoked"
    ).exists()

    ApiToken.objects.exclude(pk=old.pk).update(expires_at=timezone.now())
    assert api.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 401
    states = client.get(reverse("admin:earlyhelp_apitoken_changelist")).content.decode()
    assert "Revoked" in states and "Expired" in states


@pytest.mark.parametrize("who", ["district_manager", "practitioner", "strategic_viewer"])
def test_only_administrators_manage_service_accounts(client, request, who, school, district):
    signed_in(client, request.getfixturevalue(who))
    for name in ("serviceaccount", "apitoken"):
        for view in ("changelist", "add"):
            response = client.get(reverse(f"admin:earlyhelp_{name}_{view}"))
            assert response.status_code in (302, 403), (name, view)
    _create(client, school, district)
    assert not ServiceAccount.objects.exists()
