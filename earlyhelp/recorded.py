"""Who did something to a record, and when: the fields the apps' casework and history tables
share. A member of staff is never deleted from under a record (PROTECT), and the user model
gets no reverse accessor for each of these (related_name "+")."""

from django.conf import settings
from django.db import models


def staff_member(*, optional: bool = False) -> models.ForeignKey:
    """The member of staff who did it; `optional` for a step that may not have happened yet
    (who decided, before the decision)."""
    if optional:
        return models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
        )
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Recorded(models.Model):
    """A row someone recorded: by whom, and when it was written."""

    recorded_by = staff_member()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
