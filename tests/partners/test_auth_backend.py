"""partners.auth_backend: the signed-in user read once per request, with their agency and
whether they hold any permission; Django's permission rules unchanged."""

import pytest
from django.contrib.auth.models import Group, Permission

from partners.auth_backend import UserBackend
from partners.doors import HUB_PERMISSION, RUN_PROGRAMME
from tests import factories

pytestmark = pytest.mark.django_db


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_user_with_no_permissions_costs_one_query_with_their_agency(
    practitioner, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = UserBackend().get_user(practitioner.pk)
        assert user.agency.name and not user.has_perm(RUN_PROGRAMME)
        assert user.get_all_permissions() == set()


def test_permissions_held_directly_or_through_a_group_are_read_in_one_query(
    practitioner, django_assert_num_queries
):
    practitioner.user_permissions.add(_permission(RUN_PROGRAMME))
    group = Group.objects.create(name="Hub staff")
    group.permissions.add(_permission(HUB_PERMISSION))
    practitioner.groups.add(group)
    user = UserBackend().get_user(practitioner.pk)
    with django_assert_num_queries(1):
        assert user.get_all_permissions() == {RUN_PROGRAMME, HUB_PERMISSION}
        assert user.has_perm(RUN_PROGRAMME) and user.has_perm(HUB_PERMISSION)
    only_group = factories.UserFactory(agency=practitioner.agency)
    only_group.groups.add(group)
    assert UserBackend().get_user(only_group.pk).get_all_permissions() == {HUB_PERMISSION}


def test_django_s_rules_stand(practitioner):
    practitioner.user_permissions.add(_permission(RUN_PROGRAMME))
    practitioner.is_active = False
    practitioner.save()
    backend = UserBackend()
    assert backend.get_user(practitioner.pk) is None  # an inactive user is signed out
    assert not backend.has_perm(practitioner, RUN_PROGRAMME)
    admin = factories.UserFactory(agency=practitioner.agency, is_superuser=True)
    assert backend.get_user(admin.pk).has_perm(HUB_PERMISSION)
    assert backend.get_user(10**9) is None
