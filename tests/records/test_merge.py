"""Merging duplicate people (issue 13, point 3)."""

import pytest
from django.urls import reverse

from cases.codes import Relationship
from cases.models import ConsentRecord, FamilyMembership, Person
from cases.upkeep import RecordErrors
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction, AuditEvent
from records import merge
from referrals.models import ReferralPerson
from referrals.selectors import candidates_for
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(practitioner, child):
    """The same child recorded again in a second household, with a second case."""
    other = factories.open_case(lead=practitioner, consent_agencies=[practitioner.agency])
    twin = other.children.get()
    Person.objects.filter(pk=twin.pk).update(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        nhs_number="9434765919",
    )
    twin.refresh_from_db()
    return twin


def test_merging_moves_cases_households_consent_and_history_and_is_audited(
    district_manager, child, duplicate
):
    duplicate_case = duplicate.cases.get()
    result = merge.person_merge(
        kept=child,
        retired=duplicate,
        acting_user=district_manager,
        reason="Same child, same NHS number",
    )
    duplicate.refresh_from_db()
    child.refresh_from_db()
    assert duplicate.merged_into == child
    assert child.cases.filter(pk=duplicate_case.pk).exists()
    assert not duplicate.cases.exists()
    assert child.memberships.count() == 2
    assert child.nhs_number == "9434765919" and duplicate.nhs_number is None
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, person_id=duplicate.pk).exists()
    assert child.changes.filter(summary__contains=str(duplicate.pk)).exists()
    assert result.moved["rows"]


def test_a_merge_can_be_undone_exactly(district_manager, child, duplicate):
    duplicate_case = duplicate.cases.get()
    done = merge.person_merge(
        kept=child,
        retired=duplicate,
        acting_user=district_manager,
        reason="Same child, same NHS number",
    )
    merge.merge_undo(merge=done, acting_user=district_manager, reason="They are twins")
    duplicate.refresh_from_db()
    child.refresh_from_db()
    assert duplicate.merged_into is None
    assert list(duplicate.cases.all()) == [duplicate_case]
    assert child.memberships.count() == 1 and duplicate.memberships.count() == 1
    assert (child.nhs_number, duplicate.nhs_number) == (None, "9434765919")
    with pytest.raises(DomainError):
        merge.merge_undo(merge=done, acting_user=district_manager)


def test_a_duplicate_in_the_same_household_merges_and_undoes_without_a_clash(
    district_manager, child
):
    family = child.memberships.get().family
    again = factories.PersonFactory(first_name=child.first_name)
    FamilyMembership.objects.create(family=family, person=again, relationship=Relationship.CHILD)
    parent = family.memberships.get(relationship=Relationship.PARENT).person
    consent = ConsentRecord.objects.get(given_by=parent)
    done = merge.person_merge(
        kept=parent, retired=again, acting_user=district_manager, reason="Entered twice by mistake"
    )
    assert family.memberships.filter(person=again).count() == 0
    merge.merge_undo(merge=done, acting_user=district_manager)
    assert family.memberships.filter(person=again).count() == 1
    assert ConsentRecord.objects.get(pk=consent.pk).given_by == parent


def test_a_person_cannot_be_merged_with_themselves(district_manager, child):
    with pytest.raises(RecordErrors) as caught:
        merge.person_merge(
            kept=child, retired=child, acting_user=district_manager, reason="Same child twice"
        )
    assert "cannot merge a record with itself" in caught.value.errors["other"]


def test_different_nhs_numbers_are_never_merged(district_manager, child, duplicate):
    Person.objects.filter(pk=child.pk).update(nhs_number="4010232137")
    child.refresh_from_db()
    with pytest.raises(RecordErrors, match="different NHS numbers"):
        merge.person_merge(
            kept=child,
            retired=duplicate,
            acting_user=district_manager,
            reason="Looks like the same child",
        )


def test_only_team_managers_merge(practitioner, child, duplicate):
    with pytest.raises(DomainError):
        merge.person_merge(
            kept=child,
            retired=duplicate,
            acting_user=practitioner,
            reason="Same child, same NHS number",
        )


def test_matching_never_offers_the_retired_record_again(district_manager, child, duplicate):
    merge.person_merge(
        kept=child,
        retired=duplicate,
        acting_user=district_manager,
        reason="Same child, same NHS number",
    )
    entry = ReferralPerson(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        nhs_number="9434765919",
        relationship=Relationship.CHILD,
    )
    offered = {c.person.pk for c in candidates_for(entry)}
    assert child.pk in offered
    assert duplicate.pk not in offered
    assert duplicate.pk not in {
        p.pk for p in merge.likely_duplicates_of(child, Person.objects.all())
    }


def test_the_merge_page_confirms_then_merges_and_the_self_merge_gets_a_message(
    client, district_manager, child, duplicate
):
    signed_in(client, district_manager)
    url = reverse("person_merge", args=[child.pk])
    page = client.get(url)
    assert f"Record {duplicate.pk}" in page.content.decode()  # suggested as a likely duplicate
    itself = client.post(url, {"other": child.pk, "reason": "Same child entered twice"})
    assert itself.status_code == 400
    assert "cannot merge a record with itself" in itself.content.decode()
    check = client.post(url, {"other": duplicate.pk, "reason": "Same child entered twice"})
    assert "Check before you merge" in check.content.decode()
    done = client.post(
        url, {"other": duplicate.pk, "reason": "Same child entered twice", "confirm": "yes"}
    )
    assert done.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == child.pk


def test_who_has_seen_the_kept_record_lists_the_retired_records_views_until_undone(
    client, practitioner, district_manager, child, duplicate
):
    signed_in(client, practitioner)
    assert client.get(reverse("person_detail", args=[duplicate.pk])).status_code == 200
    seen = AuditEvent.objects.filter(action=AuditAction.VIEW, person_id=duplicate.pk).latest("pk")

    def trail_of(person):
        signed_in(client, district_manager)
        response = client.get(reverse("person_audit", args=[person.pk]))
        assert response.status_code == 200
        return {event.pk for event in response.context["page"].object_list}

    assert seen.pk not in trail_of(child)
    done = merge.person_merge(
        kept=child, retired=duplicate, acting_user=district_manager, reason="Same child twice"
    )
    assert seen.pk in trail_of(child)
    merge.merge_undo(merge=done, acting_user=district_manager, reason="They are twins")
    assert seen.pk not in trail_of(child)
    assert seen.pk in trail_of(duplicate)


def test_a_merge_without_a_reason_asks_for_one_in_words(client, district_manager, child, duplicate):
    """The reason left blank said only 'This field is required.'"""
    signed_in(client, district_manager)
    response = client.post(reverse("person_merge", args=[child.pk]), {"other": duplicate.pk})
    page = response.content.decode()
    assert "Enter why these are the same person" in page
    assert "This field is required" not in page
