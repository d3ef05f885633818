import datetime

from django.core.management import call_command

from directory.models import HubRegistration, HubSession, SessionAttendance
from directory.selectors import services_due_for_review
from partners.models import Agency, Service, ServiceStatus, User


def test_demo_county_holds_a_directory_and_a_year_of_hub_sessions(db):
    call_command("load_demo_county", families=30, verbosity=0)
    assert Service.objects.count() >= 250
    statuses = set(Service.objects.values_list("status", flat=True))
    assert {ServiceStatus.ACTIVE, ServiceStatus.INACTIVE, ServiceStatus.TEMPORARILY_CLOSED} <= (
        statuses
    )
    assert Service.objects.exclude(source="").exists()  # an imported entry
    assert list(services_due_for_review(datetime.date(2026, 11, 2)))  # some overdue review
    assert Agency.objects.filter(family_hub__isnull=False).exists()
    first = HubSession.objects.order_by("held_on").first().held_on
    last = HubSession.objects.order_by("-held_on").first().held_on
    assert (last - first).days >= 350
    assert HubSession.objects.filter(register_taken_at__isnull=True).exists()
    assert SessionAttendance.objects.count() > 1000
    assert HubRegistration.objects.exists()
    manager = User.objects.get(email="hubmanager@demo.test")
    assert manager.has_perm("directory.run_hub") and manager.has_perm("directory.edit_directory")
    county_editor = User.objects.get(email="directory@demo.test")
    assert county_editor.has_perm("directory.edit_directory")
    assert county_editor.has_perm("directory.edit_whole_directory")
    # Families were signposted to services by each route, so the report has figures.
    from assessments.models import PlanAction
    from cases.models import CaseClosure
    from referrals.models import TriageDecision

    assert TriageDecision.signposted_services.through.objects.exists()
    assert PlanAction.services.through.objects.exists()
    assert CaseClosure.signposted_services.through.objects.exists()


def test_demo_accounts_have_job_titles_not_names(db):
    call_command("load_demo_county", families=12, verbosity=0)
    accounts = dict(User.objects.values_list("email", "job_title"))
    assert accounts["hubmanager@demo.test"] == "Family hub manager"
    assert accounts["directory@demo.test"] == "Family information service officer"
    assert accounts["hubworker@demo.test"] == "Family hub practitioner"
    names = {name.casefold() for name in User.objects.values_list("full_name", flat=True)}
    titled_as_people = {
        email: title for email, title in accounts.items() if title.casefold() in names
    }
    assert not titled_as_people
