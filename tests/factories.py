"""factory_boy factories, one per meaningful state. Names are synthetic."""

import datetime

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services as case_services
from cases.codes import Relationship
from cases.models import EarlyHelpCase, Family, FamilyMembership, Person
from partners.models import Agency, AgencyKind, District, Role, User

TODAY = datetime.date(2026, 11, 2)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.SCHOOL


class EarlyHelpTeamFactory(AgencyFactory):
    kind = AgencyKind.EARLY_HELP_TEAM


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    role = Role.PRACTITIONER
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    name = factory.Sequence(lambda n: f"Testfamily{n} household")
    address_line_1 = "1 Test Street"
    town = "Testtown"
    postcode = "ZZ1 1AA"
    district = factory.SubFactory(DistrictFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Child{n}")
    last_name = "Testfamily"
    date_of_birth = datetime.date(2018, 5, 4)


def family_with_children(*, district=None, children=1, **family_fields) -> Family:
    family = FamilyFactory(**({"district": district} if district else {}), **family_fields)
    parent = PersonFactory(first_name="Parent", date_of_birth=datetime.date(1988, 1, 1))
    FamilyMembership.objects.create(family=family, person=parent, relationship=Relationship.PARENT)
    for _ in range(children):
        FamilyMembership.objects.create(
            family=family, person=PersonFactory(), relationship=Relationship.CHILD
        )
    return family


def open_case(*, lead, family=None, level_of_need=2, opened_on=TODAY, consent_agencies=None):
    """An open case led by `lead`, with consent to share with `consent_agencies`."""
    family = family or family_with_children(district=lead.districts.first())
    children = [m.person for m in family.memberships.filter(relationship=Relationship.CHILD)]
    case = case_services.case_open(
        family=family,
        children=children,
        lead_agency=lead.agency,
        lead_professional=lead,
        level_of_need=level_of_need,
        opened_on=opened_on,
        acting_user=lead,
    )
    parent = family.memberships.filter(relationship=Relationship.PARENT).first().person
    if consent_agencies is not None:
        case_services.consent_record(
            case=case,
            given_by=parent,
            given_on=opened_on,
            method="in_person",
            shared_with=consent_agencies,
            acting_user=lead,
        )
    return case


def closed_case(*, lead, closed_on=TODAY, reason="needs_met", **kwargs) -> EarlyHelpCase:
    """A closed case, closed through the service (so its status history is complete)."""
    case = open_case(lead=lead, opened_on=closed_on - datetime.timedelta(days=90), **kwargs)
    case_services.case_close(
        case=case, acting_user=lead, reason=reason, closed_on=closed_on, family_view="improved"
    )
    case.refresh_from_db()
    return case
