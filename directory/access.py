"""Who keeps the directory, who runs family hubs and who sees their figures.

- The directory itself holds no personal data: every signed-in user may search it, and its
  published form (Open Referral UK) is open to anyone (doors.PUBLIC).
- Directory editors (the `directory.edit_directory` permission, given to hub managers and
  the council's directory team) and administrators keep it. Hub managers and other
  hub-bound editors keep only the entries (services, places) of their own hubs and their
  agency; the rest are 404 to them, as if they did not exist. Administrators, holders of
  `directory.edit_whole_directory` and editors bound to no hub keep the whole directory
  (and alone import feeds, which may update any entry).
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
    WHOLE_DIRECTORY_EDITORS,
    _active,
    is_directory_editor,
    is_hub_staff,
    keeps_whole_directory,
    may_see_hub_figures,
    suppresses_small_numbers,
)
from partners.models import FamilyHub, Organisation, Role, Service


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


# --- Keeping the directory: which entries an editor may change ---


def hubs_kept_by(user) -> QuerySet[FamilyHub]:
    """The hubs whose entries an editor keeps: every hub for the whole directory's editors;
    else the hubs they run (hub staff) and the hub their agency works from."""
    if not is_directory_editor(user):
        return FamilyHub.objects.none()
    if keeps_whole_directory(user):
        return FamilyHub.objects.all()
    mine = Q(pk__in=hubs_run_by(user).values("pk"))
    if user.agency_id:
        mine |= Q(agencies=user.agency_id)
    return FamilyHub.objects.filter(mine).distinct()


def _hub_ids(user) -> QuerySet:
    return hubs_kept_by(user).values("pk")


def services_kept_by(user) -> QuerySet[Service]:
    if not is_directory_editor(user):
        return Service.objects.none()
    if keeps_whole_directory(user):
        return Service.objects.all()
    mine = Q(family_hub_id__in=_hub_ids(user))
    if user.agency_id:
        mine |= Q(agency_id=user.agency_id) | Q(organisation__agency_id=user.agency_id)
    return Service.objects.filter(mine)


def locations_kept_by(user):
    from directory.models import Location

    if not is_directory_editor(user):
        return Location.objects.none()
    if keeps_whole_directory(user):
        return Location.objects.all()
    return Location.objects.filter(family_hub_id__in=_hub_ids(user))


def organisations_kept_by(user) -> QuerySet[Organisation]:
    if not is_directory_editor(user):
        return Organisation.objects.none()
    if keeps_whole_directory(user):
        return Organisation.objects.all()
    if not user.agency_id:
        return Organisation.objects.none()
    return Organisation.objects.filter(agency_id=user.agency_id)


def _kept(qs, pk):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_service_to_keep(user, pk) -> Service:
    """A service the editor may change; any other is 404, as if it did not exist."""
    return _kept(services_kept_by(user), pk)


def get_location_to_keep(user, pk):
    return _kept(locations_kept_by(user), pk)


def get_organisation_to_keep(user, pk) -> Organisation:
    return _kept(organisations_kept_by(user), pk)


def may_place_service(user, *, family_hub, organisation) -> bool:
    """Whether an editor may keep a service at this hub for this organisation (checked on
    every save, so a hub-bound editor cannot move an entry out of their reach)."""
    if keeps_whole_directory(user):
        return True
    if not is_directory_editor(user):
        return False
    if family_hub is not None and hubs_kept_by(user).filter(pk=family_hub.pk).exists():
        return True
    return bool(
        user.agency_id and organisation is not None and organisation.agency_id == user.agency_id
    )


def may_place_location(user, *, family_hub) -> bool:
    if keeps_whole_directory(user):
        return True
    return (
        is_directory_editor(user)
        and family_hub is not None
        and hubs_kept_by(user).filter(pk=family_hub.pk).exists()
    )
