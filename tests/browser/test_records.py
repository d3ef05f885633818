"""Keeping records true, in a real browser with axe (issue 13): person and family edits,
recording a birth, moving district, a merge and a subject access export."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.codes import Relationship
from cases.models import EarlyHelpCase, FamilyMembership, Person
from demo import synthetic as demo
from earlyhelp.models import AuditAction, AuditEvent, Notification
from partners.models import Role
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct-horse-battery"


def _signed_in(page, user):
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    sign_in(page, user.email, PASSWORD)


def test_a_practitioner_corrects_a_childs_record_and_sees_the_history(page, practitioner, eh_team):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    child = case.children.get()
    _signed_in(page, practitioner)
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name="Change details").click()
    page.get_by_role("heading", name=f"Change {child.full_name}'s details").wait_for()
    assert_accessible(page)
    # Bad input first: a date of birth in the future keeps everything typed.
    page.get_by_label("First name").fill("Zoë-Siân")
    page.get_by_label("Date of birth").fill("2099-01-01")
    page.get_by_label("Ethnicity").select_option("BCRB")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("There is a problem").wait_for()
    page.get_by_text("Date of birth must be today or in the past").first.wait_for()
    assert page.get_by_label("First name").input_value() == "Zoë-Siân"
    assert_accessible(page)
    page.get_by_label("Date of birth").fill("2018-05-04")
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("First language").select_option("PRSD")  # a DfE regional code
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="Zoë-Siân Testfamily").wait_for()
    page.get_by_text("Dari Persian").first.wait_for()
    page.get_by_role("heading", name="History of changes").wait_for()
    assert page.get_by_role("cell", name="Caribbean").count() == 1
    assert_accessible(page)
    child.refresh_from_db()
    assert (child.first_name, child.nhs_number, child.ethnicity, child.first_language) == (
        "Zoë-Siân",
        "9434765919",
        "BCRB",
        "PRSD",
    )


def test_a_practitioner_keeps_the_household_up_to_date(page, practitioner, eh_team):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    family = case.family
    _signed_in(page, practitioner)
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Correct details").click()
    assert_accessible(page)
    page.get_by_label("Household name").fill("O'Neill household")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="O'Neill household").wait_for()
    page.get_by_role("link", name="Add someone to the household").click()
    page.get_by_label("Relationship to the household").select_option("grandparent")
    page.get_by_label("First name").fill("Mairéad")
    page.get_by_label("Last name").fill("O'Neill")
    page.get_by_label("Date of birth").fill("1952-03-17")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Add to the household").click()
    page.get_by_role("link", name="Mairéad O'Neill", exact=True).wait_for()
    # Added twice: a message next to the field, nothing lost.
    page.get_by_role("link", name="Add someone to the household").click()
    page.get_by_label("Relationship to the household").select_option("grandparent")
    page.get_by_label("First name").fill("Mairéad")
    page.get_by_label("Last name").fill("O'Neill")
    page.get_by_label("Date of birth").fill("1952-03-17")
    page.get_by_role("button", name="Add to the household").click()
    page.get_by_text("already a member of this household").first.wait_for()
    assert page.get_by_label("First name").input_value() == "Mairéad"
    assert_accessible(page)
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Remove Mairéad O'Neill from the household").click()
    page.get_by_label("Why have they left the household?").fill("Moved back to Cork")
    page.get_by_role("button", name="Remove from the household").click()
    page.get_by_text("removed from the household").wait_for()
    assert_accessible(page)
    assert family.memberships.filter(person__first_name="Mairéad").count() == 0


def test_recording_a_babys_birth(page, practitioner, eh_team):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    due = timezone.localdate() + datetime.timedelta(days=3)
    baby = Person.objects.create(first_name="Baby", last_name="Testfamily", expected_date=due)
    FamilyMembership.objects.create(
        family=case.family, person=baby, relationship=Relationship.CHILD
    )
    case.children.add(baby)
    _signed_in(page, practitioner)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_text(f"unborn, due {due:%-d %b %Y}").wait_for()
    page.goto(f"/people/{baby.pk}/")
    page.get_by_role("link", name="Record the birth").click()
    assert_accessible(page)
    page.get_by_label("Date of birth").fill(timezone.localdate().isoformat())
    page.get_by_label("First name").fill("Aoife")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Record the birth").click()
    page.get_by_text("The birth is recorded.").wait_for()
    page.get_by_role("heading", name="Aoife Testfamily").wait_for()
    assert_accessible(page)
    baby.refresh_from_db()
    assert baby.date_of_birth == timezone.localdate() and baby.expected_date is None


def test_moving_to_another_district_tells_the_new_team(page, practitioner, eh_team, other_district):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    new_manager = factories.UserFactory(
        role=Role.TEAM_MANAGER,
        agency=factories.EarlyHelpTeamFactory(name="Brackenmoor Early Help Team"),
        districts=[other_district],
    )
    _signed_in(page, practitioner)
    page.goto(f"/families/{case.family_id}/")
    page.get_by_role("link", name="Moving address").click()
    assert_accessible(page)
    page.get_by_label("Address line 1").fill("7 Canal Side")
    page.get_by_label("Town or city").fill("Brackenmoor")
    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_label("District").select_option(label="Brackenmoor")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Enter a real UK postcode").first.wait_for()
    assert page.get_by_label("Address line 1").input_value() == "7 Canal Side"
    assert_accessible(page)
    page.get_by_label("Postcode").fill("zz2 4xy")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("The new address is saved.").wait_for()
    page.get_by_role("cell", name="ZZ2 4XY").wait_for()  # the history: from, to
    assert_accessible(page)
    assert EarlyHelpCase.objects.get(pk=case.pk).district == other_district
    assert Notification.objects.filter(user=new_manager, url=f"/cases/{case.pk}/").exists()


def test_a_manager_merges_a_duplicate_and_can_undo_it(
    page, practitioner, district_manager, eh_team
):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    child = case.children.get()
    other = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    twin = other.children.get()
    Person.objects.filter(pk=twin.pk).update(first_name=child.first_name)
    _signed_in(page, district_manager)
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name="Merge with a duplicate record").click()
    assert_accessible(page)
    page.get_by_label("Record number of the duplicate").fill(str(child.pk))
    page.get_by_label("Why are these the same person?").fill("Entered twice at the front door")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("cannot merge a record with itself").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Record number of the duplicate").fill(str(twin.pk))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check before you merge").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=f"Merge record {twin.pk} into this one").click()
    page.get_by_role("heading", name=f"Merges into {child.full_name}'s record").wait_for()
    assert_accessible(page)
    twin.refresh_from_db()
    assert twin.merged_into_id == child.pk
    page.get_by_role("link", name=f"Undo the merge of record {twin.pk}").click()
    page.get_by_role("button", name="Undo the merge").click()
    page.get_by_text("The merge is undone").wait_for()
    twin.refresh_from_db()
    assert twin.merged_into_id is None


def test_a_manager_exports_everything_held_for_a_subject_access_request(
    page, practitioner, district_manager, eh_team
):
    case = factories.open_case(lead=practitioner, consent_agencies=[eh_team])
    child = case.children.get()
    _signed_in(page, district_manager)
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name="Subject access request: everything held").click()
    page.get_by_role("heading", name="Subject access request").wait_for()
    assert_accessible(page)
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Download a machine-readable JSON file").click()
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert data["person"]["first name"] == child.first_name
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download a readable PDF").click()
    assert Path(pdf_download.value.path()).read_bytes()[:4] == b"%PDF"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, person_id=child.pk).count() == 2
