"""Demo data for restricted records and partner-system access (issue 17): a restricted
person in an open, unrestricted household (the family and case pages show "Restricted
record: contact X" in their place) and a school system's service account. Synthetic."""

from cases.access import team_managers
from cases.codes import Relationship
from cases.models import EarlyHelpCase, Family, FamilyMembership
from earlyhelp.models import ServiceAccount
from partners import service_accounts
from partners.models import Role, User

RESTRICTED_PERSON_CONTACT = "the Amberford early help manager, 0300 123 4000"


def load_demo_restrictions() -> None:
    _name_the_restricted_families()
    practitioner = User.objects.filter(email="practitioner@demo.test").first()
    manager = User.objects.filter(email="manager@demo.test").first()
    if practitioner is None:
        return
    case = (
        EarlyHelpCase.objects.filter(lead_professional=practitioner, family__restricted=False)
        .order_by("pk")
        .first()
    )
    if case is not None:
        child = (
            FamilyMembership.objects.filter(family=case.family, relationship=Relationship.CHILD)
            .order_by("person_id")
            .first()
        )
        if child is not None:
            person = child.person
            person.restricted = True
            person.restricted_contact = RESTRICTED_PERSON_CONTACT
            person.save(update_fields=["restricted", "restricted_contact"])
            if manager is not None:
                person.named_people.add(manager)
    school_manager = User.objects.filter(email="schoolmanager@demo.test").first()
    admin = User.objects.filter(email="admin@demo.test").first()
    if school_manager is not None and not ServiceAccount.objects.exists():
        service_accounts.service_account_create(
            acting_user=admin,
            email="mis@amberford-primary.demo.test",
            system_name="Amberford Primary School information system",
            agency=school_manager.agency,
            role=Role.TEAM_MANAGER,
            districts=list(school_manager.districts.all()),
        )


def _name_the_restricted_families() -> None:
    """A restricted family is restricted to named people (upkeep.record_restrict asks for at
    least one): the leads of its cases and the team managers of its district, so that each
    lead still opens the case they lead."""
    for family in Family.objects.filter(restricted=True, named_people=None):
        leads = User.objects.filter(
            pk__in=family.cases.exclude(lead_professional=None).values("lead_professional")
        )
        managers = team_managers().filter(districts=family.district_id)
        family.named_people.add(*leads, *managers)
