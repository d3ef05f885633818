"""API tokens for partner systems, as service accounts (issue 17, point 5): the lookup the
API's authentication uses. Issuing and revoking are partners/service_accounts.py.

A token is issued to a service account only (never to a person, who signs in with two
factors), is shown once, stored as a SHA-256 digest, expires, and carries a scope.
"""

import hashlib

from django.utils import timezone

from earlyhelp.models import ApiToken

MAX_TOKEN_DAYS = 365


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_for_key(key: str) -> ApiToken | None:
    """The live token for a key: not revoked, not expired, on an active service account."""
    token = (
        ApiToken.objects.select_related("account__user")
        .filter(
            key_digest=digest(key),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            account__user__is_active=True,
        )
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
