"""Django's ModelBackend, with the signed-in user's reads made once per request.

Every page asks for the user's agency (the navigation's doors, the case scope) and, for the
navigation, the user's permissions: the user comes with the agency, and with whether they
hold any permission or group at all (most people hold none: then no permission query); the
permissions of those who do (their own and their groups') come in one query instead of two.
The rules are Django's: an inactive user has none, a superuser has all. The read of the user
is compiled to SQL once per process (earlyhelp/compiled.py): every request makes it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import router
from django.db.models import Exists, OuterRef

from earlyhelp.compiled import CompiledRead

User = get_user_model()
_USER_COLUMNS = [f.attname for f in User._meta.concrete_fields]
_AGENCY = User._meta.get_field("agency").related_model
_AGENCY_COLUMNS = [f.attname for f in _AGENCY._meta.concrete_fields]


def _user_with_agency(pk):
    return (
        User._default_manager.filter(pk=pk)
        .annotate(
            holds_permissions=Exists(
                User.user_permissions.through.objects.filter(user_id=OuterRef("pk"))
            ),
            in_groups=Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"))),
        )
        .values_list(
            *_USER_COLUMNS,
            *(f"agency__{column}" for column in _AGENCY_COLUMNS),
            "holds_permissions",
            "in_groups",
        )
    )


_USER_ROW = CompiledRead(_user_with_agency, pk=-918273645546372819)


def _user_from(row) -> User:
    """The user (and their agency, if any) as select_related("agency") would give them."""
    db = router.db_for_read(User)
    users, agencies = len(_USER_COLUMNS), len(_AGENCY_COLUMNS)
    user = User.from_db(db, _USER_COLUMNS, row[:users])
    agency_row = row[users : users + agencies]
    user.agency = (
        None if agency_row[0] is None else _AGENCY.from_db(db, _AGENCY_COLUMNS, agency_row)
    )
    user.holds_permissions, user.in_groups = row[users + agencies :]
    return user


def _names(permissions):
    return permissions.values_list("content_type__app_label", "codename").order_by()


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        row = _USER_ROW.first(pk=user_id)
        if row is None:
            return None
        user = _user_from(row)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = _names(Permission.objects.all())
            elif not (
                getattr(user_obj, "holds_permissions", True) or getattr(user_obj, "in_groups", True)
            ):
                rows = []  # known when the user was read (get_user): nothing to look up
            else:
                rows = _names(self._get_user_permissions(user_obj)).union(
                    _names(self._get_group_permissions(user_obj))
                )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
