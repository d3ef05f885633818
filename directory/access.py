"""Who keeps the directory, who runs family hubs and who sees their figures.

- The directory itself holds no personal data: every signed-in user may search it, and its
  published form (Open Referral UK) is open to anyone (doors.PUBLIC).
- Directory editors (the `directory.edit_directory` permission, given to hub managers and
  the council's directory team) and administrators keep it.
- Hub staff (the `directory.run_hub` permission, on a role that may see case data) register
  families and take session registers for the hubs in their districts; registers name people.
- Hub figures: managers, consultants, strategic viewers and administrators as for other
  figures, plus hub staff for their own hubs. Strategic viewers see small numbers suppressed.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from partners.doors import (  # noqa: F401  (the directory's doors live with every other door)
    DIRECTORY_EDITORS,
    EDIT_PERMISSION,
    HUB_FIGURES,
    HUB_PERMISSION,
    HUB_STAFF,
    _active,
    is_directory_editor,
    is_hub_staff,
    may_see_hub_figures,
    suppresses_small_numbers,
)
from partners.models import FamilyHub, Role


def directory_editors() -> QuerySet:
    """Who may be named as a service's editor: holders of the permission, and administrators."""
    from partners.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(user_permissions__codename="edit_directory")
            | Q(groups__permissions__codename="edit_directory")
            | Q(role=Role.ADMINISTRATOR, is_staff=True)
        )
        .distinct()
    )


def _district_ids(user):
    return user.districts.through.objects.filter(user_id=user.pk).values("district_id")


def hubs_run_by(user) -> QuerySet[FamilyHub]:
    """The hubs whose families and registers a member of hub staff works with."""
    if not is_hub_staff(user):
        return FamilyHub.objects.none()
    return FamilyHub.objects.filter(district_id__in=_district_ids(user))


def get_hub_for(user, pk) -> FamilyHub:
    hub = hubs_run_by(user).select_related("district").filter(pk=pk).first()
    if hub is None:
        raise Http404
    return hub


def hubs_with_figures_for(user) -> QuerySet[FamilyHub]:
    """Hubs whose reach figures the user may see: administrators the whole county, everyone
    else the hubs of their districts."""
    if not may_see_hub_figures(user):
        return FamilyHub.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return FamilyHub.objects.all()
    return FamilyHub.objects.filter(district_id__in=_district_ids(user))
