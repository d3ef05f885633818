"""Who did something to a record, and when: the fields the apps' casework and history tables
share. A member of staff is never deleted from under a record (PROTECT), and the user model
gets no reverse accessor for each of these (related_name "+")."""

from django.conf import settings
from django.db import models


def staff_member(
    *, optional: bool = False, related_name: str = "+", **options
) -> models.ForeignKey:
    """The member of staff who did it, or holds it (a lead professional); `optional` for a
    step that may not have happened yet (who decided, before the decision) or a row that
    may have no one. `related_name` where the user model reads these rows back (their led
    cases)."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name=related_name, **options
    )


class Recorded(models.Model):
    """A row someone recorded: by whom, and when it was written."""

    recorded_by = staff_member()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
