"""Django's ModelBackend, with the signed-in user's reads made once per request.

Every page asks for the user's agency (the navigation's doors, the case scope) and, for the
navigation, the user's permissions: the user comes with the agency in one query, and the
permissions (the user's own and their groups') come in one query instead of two. The rules
are Django's: an inactive user has none, a superuser has all.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

User = get_user_model()


def _names(permissions):
    return permissions.values_list("content_type__app_label", "codename").order_by()


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = _names(Permission.objects.all())
            else:
                rows = _names(self._get_user_permissions(user_obj)).union(
                    _names(self._get_group_permissions(user_obj))
                )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
