"""Who keeps the directory, who runs family hubs and who sees their figures.

- The directory itself holds no personal data: every signed-in user may search it, and its
  published form (Open Referral UK) is open to anyone (access_rules.PUBLIC).
- Directory editors (the `directory.edit_directory` permission, given to hub managers and
  the council's directory team) and administrators keep it.
- Hub staff (the `directory.run_hub` permission, on a role that may see case data) register
  families and take session registers for the hubs in their districts; registers name people.
- Hub figures: managers, consultants, strategic viewers and administrators as for other
  figures, plus hub staff for their own hubs. Strategic viewers see small numbers suppressed.
"""

from django.db.models import QuerySet
from django.http import Http404

from earlyhelp.access_rules import Rule
from partners.models import ROLES_SEEING_CASE_DATA, FamilyHub, Role

EDIT_PERMISSION = "directory.edit_directory"
HUB_PERMISSION = "directory.run_hub"
FIGURE_ROLES = (Role.TEAM_MANAGER, Role.CONSULTANT, Role.STRATEGIC, Role.ADMINISTRATOR)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_directory_editor(user) -> bool:
    if not _active(user):
        return False
    if user.role == Role.ADMINISTRATOR and user.is_staff:
        return True
    return user.role != Role.STRATEGIC and user.has_perm(EDIT_PERMISSION)


def is_hub_staff(user) -> bool:
    return (
        _active(user)
        and user.role in ROLES_SEEING_CASE_DATA
        and user.role != Role.ADMINISTRATOR
        and user.has_perm(HUB_PERMISSION)
    )


def may_see_hub_figures(user) -> bool:
    return _active(user) and (user.role in FIGURE_ROLES or is_hub_staff(user))


def suppresses_small_numbers(user) -> bool:
    """Strategic viewers see aggregates only, with counts under 5 hidden."""
    return user.role == Role.STRATEGIC


DIRECTORY_EDITORS = Rule("directory editors and administrators", is_directory_editor)
HUB_STAFF = Rule("family hub staff", is_hub_staff)
HUB_FIGURES = Rule("people who see hub figures", may_see_hub_figures)


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
