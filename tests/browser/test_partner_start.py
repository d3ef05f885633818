"""A school starts early help with a family it knows, in a real browser, each page checked
with axe (issue 12, point 2): a missing detail is explained beside its field, the front
door's matching offers the child already known, consent is recorded first, the teacher
leads the new case, and the district's front door is told."""

import datetime

import pytest

from cases.models import CaseOrigin, EarlyHelpCase
from earlyhelp.models import Notification
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_caseflow import _demo_key, _signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_teacher_starts_early_help_with_a_family_the_school_knows(
    page, school, district, front_door_officer
):
    _demo_key(
        factories.UserFactory(
            email="dsl@example.test", full_name="Dee Safeguard", agency=school, districts=[district]
        )
    )
    known = factories.PersonFactory(
        first_name="Lilly", last_name="Marsh", date_of_birth=datetime.date(2017, 3, 2)
    )
    _signed_in(page, "dsl@example.test")
    page.get_by_role("link", name="Start early help").first.click()
    page.get_by_role("heading", name="Start early help with a family you know").wait_for()
    assert_accessible(page)

    page.get_by_label("Child: first name").fill("Lily")
    page.get_by_label("Child: last name").fill("Marsh")
    page.get_by_label("Child: date of birth").fill("2017-03-02")
    page.get_by_label("Parent or carer: first name").fill("Dawn")
    page.get_by_label("Parent or carer: date of birth").fill("1990-02-03")
    page.get_by_label("Address line 1").fill("4 Mill Lane")
    page.get_by_label("Town").fill("Amberford")
    page.get_by_label("Postcode").fill("ZZ1 4AB")
    page.get_by_label("The parent or carer").check()
    page.get_by_label("Date consent was given").fill(datetime.date.today().isoformat())
    page.get_by_label("In person, signed").check()
    page.get_by_label("Universal Plus").check()
    page.get_by_label("Why does the family need early help?").fill(
        "Lily is late most days; mum asked the school for help."
    )
    page.get_by_role("button", name="Start early help").click()
    page.get_by_text("Enter the parent or carer's last name").first.wait_for()
    assert_accessible(page)

    page.get_by_label("Parent or carer: last name").fill("Marsh")
    page.get_by_role("button", name="Start early help").click()
    page.get_by_role("heading", name="Check whether they are already known").wait_for()
    assert_accessible(page)
    page.get_by_label("Lilly Marsh", exact=False).check()
    page.get_by_role("button", name="Start early help").click()

    case = EarlyHelpCase.objects.get()
    page.get_by_text(f"Early help started ({case.reference})").wait_for()
    assert_accessible(page)
    assert case.origin == CaseOrigin.PARTNER and case.lead_professional.full_name == "Dee Safeguard"
    assert list(case.children.all()) == [known]
    assert Notification.objects.filter(user=front_door_officer, subject__contains=case.reference)
