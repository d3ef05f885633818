"""Casework in a real browser: a lead professional takes a family from allocation to closure
(consent, a note, the Early Help Assessment and its sign-off by a manager, the family plan,
the Team Around the Family, the first TAF meeting and a review, closure), and axe finds
nothing on any page on the way. Then the assessment's autosave and its conflict page."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentStatus, MeetingStatus
from cases import services as case_services
from cases.models import CaseStatus
from demo import synthetic as demo
from partners.models import Role
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def _with_demo_key(user):
    TOTPDevice.objects.filter(user=user).update(key=demo.DEMO_TOTP_KEY_HEX)
    return user


@pytest.fixture
def lead(eh_team, district):
    return _with_demo_key(
        factories.UserFactory(
            email="lead@example.test", full_name="Priya Shah", agency=eh_team, districts=[district]
        )
    )


@pytest.fixture
def manager(eh_team, district):
    return _with_demo_key(
        factories.UserFactory(
            email="manager@example.test",
            full_name="Grace Mensah",
            role=Role.TEAM_MANAGER,
            agency=eh_team,
            districts=[district],
        )
    )


@pytest.fixture
def teacher(school, district):
    return factories.UserFactory(
        email="teacher@example.test", full_name="Sam Okoro", agency=school, districts=[district]
    )


@pytest.fixture
def allocated_case(lead):
    """A case just allocated to the lead: no consent, assessment, plan or team yet."""
    return factories.open_case(
        lead=lead, opened_on=timezone.localdate() - datetime.timedelta(days=14)
    )


def signed_in_page(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    return context, page


def open_from_case_page(page, case, name, *, role="link"):
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role(role, name=name, exact=True).click()


def fill_assessment(page):
    areas = ["child_development", "parenting_capacity", "family_environment"]
    page.locator("#id_family_history").fill("Moved to Amberford last year.")
    for area in areas:
        page.locator(f"#id_{area}__working_well").fill(f"{area}: mornings are calmer.")
        page.locator(f"#id_{area}__worried_about").fill(f"{area}: <b>late</b> for school.")
        page.locator(f"#id_{area}__needs_to_happen").fill(f"{area}: a routine chart.")
        page.locator(f"#id_{area}__scaling").select_option("4")
    page.locator("#id_analysis").fill("Early years support and a calmer routine will help.")
    voices = page.get_by_label(re.compile(r"^Voice of .* \(child\)$"))  # submitting needs them
    for n in range(voices.count()):
        voices.nth(n).fill("I like my new chart.")
    page.get_by_label("Good early years development").check()
    page.get_by_label("Lives where there are parental mental health issues").check()


def test_lead_professional_takes_a_family_from_allocation_to_closure(
    page, browser, live_server, lead, manager, teacher, allocated_case
):
    case = allocated_case
    today = timezone.localdate()
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    page.goto("/cases/")
    page.get_by_role("heading", name="My cases").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("heading", name=case.family.name).wait_for()
    assert_accessible(page)

    # Consent, including sharing with the school.
    page.get_by_role("link", name="Record consent").click()
    page.get_by_role("heading", name="Record consent").wait_for()
    assert_accessible(page)
    page.get_by_label("Parent Testfamily").check()
    page.get_by_label("In person, signed").check()
    page.get_by_label("Amberford Primary School").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Consent from Parent Testfamily recorded.").wait_for()
    assert case.consents.get().shared_with.get() == teacher.agency

    # A case note.
    page.get_by_role("link", name="Add a case note").click()
    page.get_by_role("heading", name="Add a case note").wait_for()
    assert_accessible(page)
    page.get_by_label("Home visit").check()
    page.get_by_label("Note", exact=True).fill("Visited at home; Lily showed me her drawings.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Note added to the chronology.").wait_for()

    # The Early Help Assessment: start, save the draft, submit.
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("heading", name="Early Help Assessment, version 1").wait_for()
    assert_accessible(page)
    fill_assessment(page)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert page.locator("#id_analysis").input_value().startswith("Early years support")
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_text("Assessment submitted for sign-off.").wait_for()
    assert "&lt;b&gt;late&lt;/b&gt;" in page.content()  # typed markup is shown as text
    assert_accessible(page)
    assert Assessment.objects.get(case=case).status == AssessmentStatus.SUBMITTED

    # A team manager signs it off, in their own browser session.
    manager_context, manager_page = signed_in_page(browser, live_server, "manager@example.test")
    try:
        manager_page.goto(f"/cases/{case.pk}/assessment/")
        manager_page.get_by_role("link", name="Sign off or return").click()
        manager_page.get_by_role("heading", name="Sign off the Early Help Assessment").wait_for()
        assert_accessible(manager_page)
        manager_page.get_by_label("Sign off this assessment").check()
        manager_page.get_by_label("Comment").fill("A clear analysis. Agreed.")
        manager_page.get_by_role("button", name="Confirm").click()
        manager_page.get_by_text("Version 1 signed off.").wait_for()
    finally:
        manager_context.close()

    # The lead sees the signed-off version and compares it with the working copy.
    page.goto(f"/cases/{case.pk}/assessment/")
    page.get_by_role("link", name="Version 1", exact=True).click()
    page.get_by_role("heading", name="Early Help Assessment version 1").wait_for()
    assert_accessible(page)
    page.goto(f"/cases/{case.pk}/assessment/")
    page.get_by_role("link", name="Compare versions").click()
    page.get_by_role("heading", name="Compare assessment versions").wait_for()
    assert "0 fields changed" in page.content()
    assert_accessible(page)

    # The family plan: an outcome in the family's words and an action.
    open_from_case_page(page, case, "Family plan")
    page.get_by_role("button", name="Start the family plan").click()
    page.get_by_text("Family plan started.").wait_for()
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_role("heading", name="Add an outcome the family has set").wait_for()
    assert_accessible(page)
    page.get_by_label("What does the family want to be different?").fill(
        "We want calmer mornings and Lily at school on time."
    )
    page.get_by_label("Good early years development").check()
    page.get_by_label("Where are things now, from 0 to 10?").fill("3")
    page.get_by_role("button", name="Add outcome").click()
    page.get_by_text("Outcome added to the plan.").wait_for()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_role("heading", name="Add an action").wait_for()
    assert_accessible(page)
    page.get_by_label("What will happen?").fill("Make a picture routine chart together.")
    page.get_by_label("The family").check()
    page.get_by_label("Date it is due by").fill((today + datetime.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Action added to the plan.").wait_for()
    assert "Make a picture routine chart together." in page.content()
    assert_accessible(page)

    # The school joins the Team Around the Family (the family consented to sharing).
    open_from_case_page(page, case, "Add a TAF member")
    page.get_by_role("heading", name="Add a member to the Team Around the Family").wait_for()
    assert_accessible(page)
    page.get_by_label("Professional with an account").select_option(
        label="Sam Okoro, Amberford Primary School"
    )
    page.get_by_label("Role in the team").fill("Class teacher")
    page.get_by_role("button", name="Add member").click()
    page.get_by_text("Sam Okoro added to the Team Around the Family.").wait_for()
    assert case.taf_members.get().user == teacher

    # The first TAF meeting: scheduled, then recorded; it agrees the plan.
    open_from_case_page(page, case, "Schedule a meeting")
    page.get_by_role("heading", name="Schedule a TAF meeting").wait_for()
    assert_accessible(page)
    page.get_by_label("Date of the meeting").fill(today.isoformat())
    page.get_by_label("Where").fill("Amberford Primary School")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_text("Meeting scheduled.").wait_for()
    first = case.taf_meetings.get()
    page.goto(f"/cases/{case.pk}/meetings/{first.pk}/")
    page.get_by_role("heading", name="First TAF meeting (agree the plan)").wait_for()
    page.get_by_role("link", name="Record the meeting").click()
    page.get_by_role(
        "heading", name="Record the first TAF meeting (agree the plan)", exact=True
    ).wait_for()
    assert_accessible(page)
    page.get_by_label("Did Sam Okoro attend?").select_option(label="Attended")
    page.get_by_label("Did Parent Testfamily attend?").select_option(label="Attended")
    page.get_by_label("Scaling now (0 to 10)").select_option("5")
    page.get_by_label("The child's voice").fill("Lily likes her new chart.")
    page.get_by_label("Continue with the plan").check()
    page.get_by_role("button", name="Save the meeting record").click()
    page.get_by_text("Meeting recorded.").wait_for()
    assert_accessible(page)
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD
    assert case.family_plan.agreed_on == today

    # A review (scheduled 6 weeks on by the first meeting), held and recorded.
    review = case.taf_meetings.get(status=MeetingStatus.SCHEDULED)
    page.goto(f"/cases/{case.pk}/meetings/{review.pk}/record/")
    page.get_by_role("heading", name="Record the TAF review", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_label("Scaling now (0 to 10)").select_option("9")
    page.get_by_label("Close the case").check()
    page.get_by_label("Reasons for the decision").fill("Mornings are calm; Lily is on time.")
    page.get_by_role("button", name="Save the meeting record").click()
    page.get_by_text("Meeting recorded.").wait_for()

    # Closure, with the family's view and the child's voice.
    open_from_case_page(page, case, "Close the case")
    page.get_by_role("heading", name="Close the case").wait_for()
    assert_accessible(page)
    page.get_by_label("Needs met", exact=True).check()
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Yes, family life has improved").check()
    page.get_by_label("The family's view, in their words").fill("Mornings are so much easier.")
    page.get_by_label("The child's voice at closure").fill("I get a sticker every day.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before closing the case").wait_for()
    page.get_by_role("button", name="Confirm and close the case").click()
    page.get_by_text("Case closed.").wait_for()
    assert "I get a sticker every day." in page.content()
    assert_accessible(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure.family_view == "improved"
    assert case.closure.outcomes[0]["result"] == "achieved"

    page.goto("/cases/?status=closed")
    page.get_by_role("link", name=case.reference).wait_for()
    assert_accessible(page)


@pytest.fixture
def started_assessment(allocated_case, lead):
    parent = allocated_case.family.memberships.filter(relationship="parent").first().person
    case_services.consent_record(
        case=allocated_case,
        given_by=parent,
        given_on=allocated_case.opened_on,
        method="in_person",
        shared_with=[],
        acting_user=lead,
    )
    return assessment_services.assessment_start(case=allocated_case, acting_user=lead)


def test_a_plan_of_two_outcomes_and_a_form_with_a_back_link_keep_their_landmarks_apart(
    page, lead, allocated_case
):
    """axe's "landmark-unique" and "region" (assert_accessible runs both): each outcome's
    actions table is a region with its own name, and the back link is inside <main>."""
    case = allocated_case
    plan = assessment_services.plan_create(case=case, acting_user=lead)
    for text in ("Calmer mornings", "Lily at school on time"):
        outcome = assessment_services.outcome_add(plan=plan, acting_user=lead, text=text)
        assessment_services.action_add(
            outcome=outcome,
            acting_user=lead,
            what="A picture routine chart",
            due_on=timezone.localdate() + datetime.timedelta(days=21),
            owner_is_family=True,
        )
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/cases/{case.pk}/plan/")
    page.get_by_role("region", name="Actions for priority", exact=False).first.wait_for()
    assert page.get_by_role("region", name="Actions for priority").count() == 2
    assert_accessible(page)
    page.get_by_role("link", name="Add an action for Calmer mornings").click()
    page.get_by_role("heading", name="Add an action").wait_for()
    assert page.locator("main .govuk-back-link").count() == 1
    assert_accessible(page)


def test_assessment_autosaves_what_is_typed_and_keeps_it_after_a_reload(
    page, lead, started_assessment
):
    case = started_assessment.case
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/cases/{case.pk}/assessment/edit/")
    history = page.locator("#id_family_history")
    history.fill("Grandma helps with the school run.")
    history.press("Tab")  # leaving the box saves the draft
    page.get_by_text("Draft saved at").wait_for()
    assert_accessible(page)

    page.reload()
    assert page.locator("#id_family_history").input_value() == (
        "Grandma helps with the school run."
    )
    started_assessment.refresh_from_db()
    assert started_assessment.content["family_history"] == "Grandma helps with the school run."


def test_a_stale_save_shows_both_texts_on_the_conflict_page(
    page, browser, live_server, lead, eh_team, district, started_assessment
):
    case = started_assessment.case
    colleague = _with_demo_key(
        factories.UserFactory(
            email="colleague@example.test",
            full_name="Tom Reed",
            agency=eh_team,
            districts=[district],
        )
    )
    case_services.taf_member_add(case=case, user=colleague, agency=eh_team, acting_user=lead)

    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/cases/{case.pk}/assessment/edit/")  # the lead loads the draft first

    other_context, other_page = signed_in_page(browser, live_server, "colleague@example.test")
    try:
        other_page.goto(f"/cases/{case.pk}/assessment/edit/")
        other_page.locator("#id_analysis").fill("Tom's analysis: housing is the main worry.")
        other_page.get_by_role("button", name="Save draft").click()
        other_page.get_by_text("Draft saved.").wait_for()
    finally:
        other_context.close()

    page.locator("#id_analysis").fill("Priya's analysis: routines first.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("heading", name="Someone else has changed this assessment").wait_for()
    assert "Tom's analysis: housing is the main worry." in page.content()
    assert page.locator("#id_analysis").input_value() == "Priya's analysis: routines first."
    assert_accessible(page)

    page.locator("#id_analysis").fill("Routines first; then housing, as Tom says.")
    page.get_by_role("button", name="Save my combined version").click()
    page.get_by_text("Draft saved.").wait_for()
    started_assessment.refresh_from_db()
    assert started_assessment.content["analysis"] == "Routines first; then housing, as Tom says."


@pytest.mark.browser
def test_words_typed_just_before_a_reload_are_kept_and_leaving_warns_while_a_save_is_pending(
    page, lead, started_assessment
):
    """Issue 17, point 15: no 20-second window to lose. Typing without leaving the box, then
    reloading at once: the page warns, and the save sent as the page goes keeps the words."""
    case = started_assessment.case
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/cases/{case.pk}/assessment/edit/")
    history = page.locator("#id_family_history")
    history.click()
    history.press_sequentially("The last words before closing.")
    page.get_by_text("Changes not saved yet").wait_for()
    dialogs = []

    def leave(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    page.reload()
    assert dialogs == ["beforeunload"]
    started_assessment.refresh_from_db()
    for _ in range(50):
        if started_assessment.content.get("family_history"):
            break
        page.wait_for_timeout(100)
        started_assessment.refresh_from_db()
    assert started_assessment.content["family_history"] == "The last words before closing."
    page.reload()
    assert history.input_value() == "The last words before closing."


def test_every_form_button_ignores_a_second_click(page, lead, allocated_case):
    """GOV.UK Frontend's Button drops a click that follows another within a second once the
    button asks it to (earlyhelp.js asks for every form's button): a double click on Save
    sends the form once."""
    case = allocated_case
    sign_in(page, "lead@example.test", PASSWORD)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    for path in (f"/cases/{case.pk}/consent/add/", f"/cases/{case.pk}/notes/add/"):
        page.goto(path)
        save = page.get_by_role("button", name="Save")
        assert save.get_attribute("data-prevent-double-click") == "true"
