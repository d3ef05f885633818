"""Check constraints the apps' tables share."""

from django.db import models
from django.db.models import F, Q


def empty_or_after(
    field: str, earlier: str, *, name: str, same_day: bool = False
) -> models.CheckConstraint:
    """A date not set yet, or after another date of the same row (on the same day too, with
    `same_day`): a case closed after it opened, the next meeting after this one."""
    after = f"{field}__gte" if same_day else f"{field}__gt"
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{after: F(earlier)}), name=name
    )


def when(state: Q, *, then: Q, name: str) -> models.CheckConstraint:
    """A rule that holds in one state of a row: `when(Q(status="closed"), then=~Q(reason=""))`,
    a closed referral has a reason (any other row passes)."""
    return models.CheckConstraint(condition=~state | then, name=name)
