"""Service accounts for partner systems and their API tokens (issue 17, point 5): a token
goes to a service account only, never to a person (people sign in with two factors)."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earlyhelp.api_tokens import digest
from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
from earlyhelp.models import ApiScope, ApiToken, AuditAction, ServiceAccount
from partners.models import User

MAX_TOKEN_DAYS = 365


@transaction.atomic
def service_account_create(
    *, acting_user, email: str, system_name: str, agency, role: str, districts=()
) -> ServiceAccount:
    user = User.objects.create_user(email=email, full_name=system_name, agency=agency, role=role)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if districts:
        user.districts.set(districts)
    account = ServiceAccount.objects.create(
        user=user, system_name=system_name, contact_email=email, created_by=acting_user
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=account)
    return account


@transaction.atomic
def api_token_issue(
    *, account: ServiceAccount, acting_user, scope: str = ApiScope.READ, days: int = 90
) -> tuple[ApiToken, str]:
    """A new token and its key (shown once; only the digest is kept)."""
    if scope not in ApiScope.values:
        raise DomainError(f"Scope must be one of: {', '.join(ApiScope.values)}.")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise DomainError(f"A token lasts between 1 and {MAX_TOKEN_DAYS} days.")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        account=account,
        key_digest=digest(key),
        prefix=key[:8],
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit(
        user=acting_user,
        action=AuditAction.CREATE,
        record=token,
        changes={"scope": [None, scope], "days": [None, days]},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(user=acting_user, action=AuditAction.CHANGE, record=token, reason="revoked")
    return token
