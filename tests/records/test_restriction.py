"""Restricting a record and lifting the restriction through a service (issue 13, point 4)."""

import pytest
from django.urls import reverse

from cases import access, upkeep
from cases.access import RestrictedRecord
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction, AuditEvent
from records import retention
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_manager_restricts_a_child_to_named_people_with_a_reason_audited(
    client, practitioner, district_manager, consultant, child
):
    signed_in(client, district_manager)
    url = reverse("person_restriction", args=[child.pk])
    response = client.post(
        url,
        {
            "reason": "Court order: a relative works in the council",
            "contact": "Morag Ellis on 0300 123 4000",
            "named_people": [district_manager.pk, practitioner.pk],
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.restricted
    assert set(child.named_people.all()) == {district_manager, practitioner}
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, person_id=child.pk)
    assert event.reason == "Court order: a relative works in the council"
    assert access.get_person_for(practitioner, child.pk) == child
    with pytest.raises(RestrictedRecord) as refused:
        access.get_person_for(consultant, child.pk)
    assert refused.value.contact == "Morag Ellis on 0300 123 4000"
    assert child.changes.filter(summary="Record restricted").exists()


def test_restricting_without_a_reason_or_anyone_named_says_so_and_changes_nothing(
    client, district_manager, child
):
    signed_in(client, district_manager)
    response = client.post(
        reverse("family_restriction", args=[child.memberships.get().family_id]),
        {"reason": "", "contact": "Morag"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the reason" in text
    assert "Name at least one person" in text
    assert 'value="Morag"' in text
    assert not child.memberships.get().family.restricted


def test_lifting_a_restriction_is_audited_and_opens_the_record_again(
    district_manager, consultant, child
):
    upkeep.record_restrict(
        record=child,
        acting_user=district_manager,
        reason="Fleeing domestic abuse",
        contact="Morag",
        named_people=[district_manager],
    )
    upkeep.record_unrestrict(
        record=child, acting_user=district_manager, reason="The court order has ended"
    )
    child.refresh_from_db()
    assert not child.restricted and not child.named_people.exists()
    assert access.get_person_for(consultant, child.pk) == child
    assert AuditEvent.objects.filter(
        person_id=child.pk, reason="The court order has ended"
    ).exists()


def test_practitioners_cannot_restrict(practitioner, child):
    with pytest.raises(DomainError):
        upkeep.record_restrict(
            record=child,
            acting_user=practitioner,
            reason="I would like to restrict it",
            contact="Me",
            named_people=[practitioner],
        )


def test_the_retention_list_costs_the_same_queries_however_many_families(
    client, practitioner, district_manager, django_assert_max_num_queries
):
    import datetime

    from cases.models import Person
    from tests import factories

    def _old_closed_family(lead):
        case = factories.closed_case(lead=lead, closed_on=datetime.date(2000, 6, 1))
        Person.objects.filter(memberships__family=case.family).update(
            date_of_birth=datetime.date(1970, 1, 1)
        )

    for _ in range(2):
        _old_closed_family(practitioner)
    retention.retention_list_due()
    signed_in(client, district_manager)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("retention_list"))
    for _ in range(5):
        _old_closed_family(practitioner)
    retention.retention_list_due()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("retention_list"))
    assert len(response.context["reviews"]) == 7
