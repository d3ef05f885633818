"""earlyhelp.compiled: reads made on every request, compiled once, give what the ORM gives."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from earlyhelp.compiled import CompiledRead, kept_read
from earlyhelp.notifications import notify, unread_count
from earlyhelp.sessions import SessionStore
from partners.auth_backend import UserBackend
from tests import factories

pytestmark = pytest.mark.django_db

STAND_IN = -918273645546372819


def test_a_compiled_read_gives_the_rows_of_its_queryset_for_each_value(practitioner):
    other = factories.UserFactory(agency=practitioner.agency, full_name="Sam Okafor")
    names = CompiledRead(
        lambda pk: type(practitioner).objects.filter(pk=pk).values_list("full_name", "date_joined"),
        pk=STAND_IN,
    )
    for user in (practitioner, other):
        assert names.rows(pk=user.pk) == [(user.full_name, user.date_joined)]
    assert names.first(pk=10**9) is None


def test_a_stand_in_that_does_not_reach_the_sql_is_refused(practitioner):
    users = type(practitioner).objects
    unused = CompiledRead(lambda pk: users.filter(is_active=True).values_list("pk"), pk=STAND_IN)
    with pytest.raises(ImproperlyConfigured):
        unused.rows(pk=practitioner.pk)


def test_a_stand_in_reaching_the_sql_twice_takes_the_value_in_both_places(practitioner):
    users = type(practitioner).objects
    twice = CompiledRead(
        lambda pk: users.filter(pk=pk).filter(pk__lte=pk).values_list("pk"), pk=STAND_IN
    )
    # Were the stand-in left in either place, no row would have an id at most it.
    assert twice.rows(pk=practitioner.pk) == [(practitioner.pk,)]


def test_a_kept_read_takes_the_stand_ins_its_sql_needs_and_is_not_kept_without_sql(
    practitioner,
):
    users = type(practitioner).objects
    stand_ins = {"pk": STAND_IN, "agency": -918273645}
    by_pk = users.filter(pk=STAND_IN).values_list("full_name")
    read = kept_read(by_pk, stand_ins, optional={"agency"})  # the agency is not in its SQL
    assert read.rows(pk=practitioner.pk, agency=1) == [(practitioner.full_name,)]
    with pytest.raises(ImproperlyConfigured):  # a required stand-in must reach the SQL
        kept_read(by_pk, stand_ins).rows(pk=practitioner.pk, agency=1)
    assert kept_read(users.filter(pk__in=[]), stand_ins) is None  # no SQL at all


def test_a_read_comparing_a_date_is_not_kept_unless_dates_are_stand_ins(practitioner):
    users = type(practitioner).objects
    since = users.filter(pk=STAND_IN, date_joined__date__lte=datetime.date(2001, 1, 1))
    assert kept_read(since, {"pk": STAND_IN}) is None
    assert kept_read(since, {"pk": STAND_IN}, dates=True).rows(pk=practitioner.pk) == []


def test_the_unread_count_counts_only_the_users_unread_notifications(
    practitioner, district_manager
):
    assert unread_count(practitioner) == 0
    for subject in ("One", "Two"):
        notify(user=practitioner, subject=subject, url="/", email=False)
    read = notify(user=practitioner, subject="Read", url="/", email=False)
    read.read_at = timezone.now()
    read.save()
    notify(user=district_manager, subject="Not yours", url="/", email=False)
    assert unread_count(practitioner) == 2


def test_the_signed_in_user_is_the_record_as_the_orm_reads_it(practitioner, front_door_officer):
    for person in (practitioner, front_door_officer):
        expected = type(person).objects.select_related("agency").get(pk=person.pk)
        user = UserBackend().get_user(person.pk)
        for field in type(person)._meta.concrete_fields:
            assert getattr(user, field.attname) == getattr(expected, field.attname)
        assert user.agency == expected.agency and user.agency.kind == expected.agency.kind
        assert not user._state.adding
    administrator = factories.UserFactory(role="administrator", agency=None)
    assert UserBackend().get_user(administrator.pk).agency is None


def test_a_session_is_read_until_it_expires():
    store = SessionStore()
    store["colour"] = "green"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "green"}
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None


def test_the_verified_device_is_read_as_django_otp_reads_it(practitioner):
    from django_otp.models import Device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from earlyhelp.otp import OTPMiddleware

    device = TOTPDevice.objects.get(user=practitioner)
    read = OTPMiddleware(lambda request: None)._device_from_persistent_id(device.persistent_id)
    expected = Device.from_persistent_id(device.persistent_id)
    for field in TOTPDevice._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname)
    assert read.user_id == practitioner.pk and not read._state.adding
    device.delete()
    assert (
        OTPMiddleware(lambda request: None)._device_from_persistent_id(expected.persistent_id)
        is None
    )


def _expiry(key):
    return Session.objects.get(session_key=key).expire_date


def test_the_idle_clock_moves_on_at_most_once_a_minute_and_any_change_is_saved(
    client, practitioner
):
    """A request within a minute of the last save writes nothing unless the session changed;
    after a minute, or on 'stay signed in', the idle clock restarts (30 minutes from then)."""
    from django.urls import reverse

    from earlyhelp.sessions import TOUCH_SECONDS
    from tests.conftest import signed_in

    signed_in(client, practitioner)
    client.get(reverse("home"))
    key = client.session.session_key
    saved = _expiry(key)

    client.get(reverse("home"))
    assert _expiry(key) == saved  # seconds later: no write

    earlier = saved - datetime.timedelta(seconds=TOUCH_SECONDS + 1)
    Session.objects.filter(session_key=key).update(expire_date=earlier)  # a minute ago
    before = timezone.now()
    client.get(reverse("home"))
    restarted = _expiry(key)
    assert restarted >= before + datetime.timedelta(seconds=30 * 60 - 1)

    client.post(reverse("keep_alive"))  # 'stay signed in' always saves
    assert _expiry(key) > restarted

    store = SessionStore(key)
    store.load()
    store["colour"] = "green"
    store.save()  # a change within the minute is saved
    assert SessionStore(key).load()["colour"] == "green"


def test_a_compiled_model_read_gives_instances_as_the_orm_does(practitioner, district_manager):
    from django.db.models import Count, Exists

    from partners.models import User

    def build(pk, agency):
        return (
            User.objects.filter(pk=pk, agency_id=agency)
            .select_related("agency")
            .annotate(
                in_districts=Count("districts"),
                shares_agency=Exists(User.objects.filter(agency_id=agency).exclude(pk=pk)),
            )
        )

    read = CompiledRead(build, pk=-91827361, agency=-91827362)  # each reaches the SQL twice
    for user in (practitioner, district_manager):
        (compiled,) = read.rows(pk=user.pk, agency=user.agency_id)
        expected = build(user.pk, user.agency_id).get()
        assert type(compiled) is User and not compiled._state.adding
        for field in User._meta.concrete_fields:
            assert getattr(compiled, field.attname) == getattr(expected, field.attname)
        assert compiled.agency.name == expected.agency.name
        assert (compiled.in_districts, compiled.shares_agency) == (1, True)
    assert read.rows(pk=practitioner.pk, agency=-1) == []
