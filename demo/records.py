"""Demo county states for keeping records true (issue 13): an unborn child on an open case,
a family with a restricted member, a likely duplicate pair for a manager to merge, and
closed records past retention waiting for approval. Households are made like the loader
makes them; every state change goes through the real services."""

import datetime

from django.utils import timezone

from cases import services as case_services
from cases import upkeep
from cases.codes import Ethnicity, Gender, Relationship
from cases.models import Family, FamilyMembership, Person
from demo.casework import open_case
from partners.models import User
from records.retention import retention_decide, retention_list_due


def household(
    *, surname, lead, adults, children, opened_on, street, level_of_need=2, shared_with=None
):
    """A household in the lead's district with a case they lead, opened on `opened_on` with
    the first adult's consent (shared with `shared_with`, else the lead's agency)."""
    district = lead.districts.first()
    family = Family.objects.create(
        name=f"{surname} household",
        address_line_1=street,
        town=district.name,
        postcode="ZZ1 4AB",
        district=district,
    )
    people = []
    for first, born, relationship in [*adults, *children]:
        person = Person.objects.create(
            first_name=first,
            last_name=surname,
            date_of_birth=born,
            ethnicity=Ethnicity.NOBT,
            gender=Gender.NOT_RECORDED,
        )
        FamilyMembership.objects.create(family=family, person=person, relationship=relationship)
        people.append(person)
    kids = people[len(adults) :]
    return open_case(
        family=family,
        children=kids,
        lead=lead,
        opened_on=opened_on,
        level_of_need=level_of_need,
        consent_by=people[0],
        shared_with=shared_with,
    )


def _child_added(case, *, lead, **person_data):
    """A child added to the case's family after it opened, as the lead would add one."""
    upkeep.member_add(
        family=case.family,
        acting_user=lead,
        lock_version=case.family.lock_version,
        relationship=Relationship.CHILD,
        person_data=person_data,
    )


def load_demo_records(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    lead = User.objects.get(email="practitioner@demo.test")
    manager = User.objects.get(email="manager@demo.test")
    recent = today - datetime.timedelta(days=40)
    D = datetime.date
    P, C = Relationship.PARENT, Relationship.CHILD

    # An unborn child on an open case (the case page shows "unborn, due ...").
    expecting = household(
        surname="Ó Súilleabháin",
        lead=lead,
        adults=[("Siobhán", D(1996, 4, 2), P)],
        children=[("Ciarán", D(2022, 8, 19), C)],
        opened_on=recent,
        street="14 Larch Close",
    )
    _child_added(
        expecting,
        lead=lead,
        first_name="Baby",
        last_name="Ó Súilleabháin",
        expected_date=today + datetime.timedelta(days=75),
        gender=Gender.NOT_RECORDED,
    )

    # A family with a restricted member.
    guarded = household(
        surname="Nguyễn",
        lead=lead,
        adults=[("Thảo", D(1990, 1, 12), P)],
        children=[("Minh", D(2015, 6, 3), C), ("Lan", D(2018, 11, 30), C)],
        opened_on=recent,
        street="3 Quarry Row",
    )
    # A first language from the full DfE list, with an interpreter (recorded on the page).
    parent = guarded.family.memberships.get(relationship=P).person
    upkeep.person_update(
        person=parent,
        acting_user=lead,
        lock_version=parent.lock_version,
        data={"first_language": "VIE", "interpreter_needed": True},
    )
    upkeep.record_restrict(
        record=guarded.children.get(first_name="Minh"),
        acting_user=manager,
        reason="A court order keeps Minh's whereabouts from a relative who works in the council.",
        contact="Morag Ellis, district early help manager, 0300 123 4000",
        named_people=[manager, lead],
    )

    # A likely duplicate pair: the same child recorded in two households (mum's and dad's).
    mums = household(
        surname="Kowalski",
        lead=lead,
        adults=[("Agnieszka", D(1988, 9, 9), P)],
        children=[("Zofia", D(2016, 2, 14), C)],
        opened_on=recent,
        street="22 Mill Lane",
    )
    dads = household(
        surname="Kowalski",
        lead=lead,
        adults=[("Piotr", D(1986, 3, 21), P)],
        children=[],
        opened_on=recent,
        street="5 Canal Street",
    )
    zofia = mums.children.get()
    _child_added(
        dads,
        lead=lead,
        first_name="Zofia",
        last_name="Kowalski",
        date_of_birth=zofia.date_of_birth,
        gender=Gender.FEMALE,
    )

    # Closed records past retention: the youngest child turned 25 years ago. The manager has
    # decided two: one kept (with why), one disposed of (its stub says nothing about anyone).
    past = (
        ("Oldfield", "8 Station Road"),
        ("Brightwater", "41 Hope Street"),
        ("Ackroyd", "16 Tenter Lane"),
        ("Fernside", "2 Dyehouse Yard"),
    )
    for surname, street in past:
        old = household(
            surname=surname,
            lead=lead,
            adults=[("Margaret", D(1960, 5, 5), P)],
            children=[("Gary", D(1983, 7, 7), C)],
            opened_on=D(1998, 3, 2),
            street=street,
        )
        case_services.case_close(
            case=old,
            acting_user=lead,
            reason="needs_met",
            closed_on=D(1998, 11, 30),
            family_view="improved",
            summary="Routines settled; support ended.",
        )
    listed = retention_list_due(today=today)
    by_surname = {review.family.name: review for review in listed}
    retention_decide(
        review=by_surname["Ackroyd household"],
        acting_user=manager,
        approve=False,
        note="Gary's sister has asked for the records for a court case; keep them a year.",
    )
    retention_decide(review=by_surname["Fernside household"], acting_user=manager, approve=True)
    return {"past_retention": len(listed)}
