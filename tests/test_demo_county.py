from django.core.management import call_command

from cases.models import EarlyHelpCase, Family
from partners.models import Role, User
from referrals.models import Referral


def test_demo_county_has_every_role_districts_families_cases_and_requests(db):
    call_command("load_demo_county", families=30, verbosity=0)
    assert User.objects.filter(email="practitioner@demo.test").exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Family.objects.count() >= 30
    assert EarlyHelpCase.objects.exists()
    assert Referral.objects.exists()


def test_demo_county_is_not_loaded_twice(db):
    call_command("load_demo_county", families=12, verbosity=0)
    families = Family.objects.count()
    call_command("load_demo_county", "--if-empty", verbosity=0)
    assert Family.objects.count() == families


def test_demo_county_shows_an_administrator_each_email_state(db):
    from earlyhelp.outbox.models import OutboxMessage

    call_command("load_demo_county", families=12, verbosity=0)
    states = dict(
        OutboxMessage.objects.filter(key__startswith="demo:").values_list("key", "status")
    )
    assert states == {"demo:sent": "sent", "demo:refused": "failed", "demo:waiting": "pending"}
