"""Casework services: autosave with two simultaneous editors, sign-off versions, plan,
meetings, closure, notes and corrections, and bad input with clear messages."""

import datetime

import pytest

from assessments import services
from assessments.models import AssessmentStatus, MeetingStatus
from assessments.sections import AREAS, PROMPTS, SCALING, area_field
from assessments.transitions import MEETING
from cases import services as case_services
from cases.models import MAX_TEXT, CaseStatus, ChronologyKind, Need
from earlyhelp.errors import DomainError, EditConflict, InvalidTransition
from earlyhelp.models import AuditAction, AuditEvent
from tests.assessments.test_signoff_queue import child_voices

pytestmark = pytest.mark.django_db
D = datetime.date


def complete_content():
    content = {
        "analysis": "The family need help with routines.",
        "family_history": "Moved in 2024.",
    }
    for area in AREAS:
        for prompt, _ in PROMPTS:
            content[area_field(area.code, prompt)] = f"{area.title} {prompt}"
        content[area_field(area.code, SCALING[0])] = "5"
    return content


def test_assessment_is_due_20_working_days_after_it_starts(assessment):
    assert assessment.due_on == D(2026, 11, 30)


def test_two_editors_at_once_never_overwrite_each_other_silently(assessment, colleague):
    lead = assessment.case.lead_professional
    loaded = assessment.lock_version  # both open the page at this version
    key = area_field("child_development", "working_well")
    saved = services.assessment_save(
        assessment=assessment, acting_user=lead, lock_version=loaded, content={key: "Lead's text"}
    )
    with pytest.raises(EditConflict):
        services.assessment_save(
            assessment=assessment,
            acting_user=colleague,
            lock_version=loaded,
            content={key: "Colleague's text"},
        )
    assessment.refresh_from_db()
    assert assessment.content[key] == "Lead's text"
    # having seen both, the colleague saves against the current version
    services.assessment_save(
        assessment=assessment,
        acting_user=colleague,
        lock_version=saved.lock_version,
        content={key: "Lead's text. Colleague's text"},
    )
    assessment.refresh_from_db()
    assert assessment.content[key] == "Lead's text. Colleague's text"


def test_autosaves_from_one_editor_carry_on_with_the_new_version(assessment):
    lead = assessment.case.lead_professional
    version = assessment.lock_version
    for text in ["a", "ab", "abc"]:
        version = services.assessment_save(
            assessment=assessment,
            acting_user=lead,
            lock_version=version,
            content={"analysis": text},
        ).lock_version
    assessment.refresh_from_db()
    assert assessment.content["analysis"] == "abc"


def test_100_kb_in_a_field_is_refused_with_a_clear_message(assessment):
    with pytest.raises(DomainError, match="20,000 characters or fewer"):
        services.assessment_save(
            assessment=assessment,
            acting_user=assessment.case.lead_professional,
            lock_version=assessment.lock_version,
            content={"analysis": "x" * 100_000},
        )


def test_sign_off_makes_a_locked_version_and_changes_make_a_new_one(assessment, district_manager):
    lead = assessment.case.lead_professional
    a = services.assessment_save(
        assessment=assessment,
        acting_user=lead,
        lock_version=assessment.lock_version,
        content={**complete_content(), **child_voices(assessment.case)},
        need_ids=list(Need.objects.filter(active=True).values_list("pk", flat=True)[:2]),
    )
    a = services.assessment_submit(assessment=a, acting_user=lead, lock_version=a.lock_version)
    with pytest.raises(InvalidTransition):
        services.assessment_save(
            assessment=a, acting_user=lead, lock_version=a.lock_version, content={"analysis": "x"}
        )
    with pytest.raises(DomainError):
        services.assessment_sign_off(assessment=a, acting_user=lead)
    v1 = services.assessment_sign_off(assessment=a, acting_user=district_manager, comment="Good")
    assert v1.number == 1 and v1.content["analysis"] == complete_content()["analysis"]
    a.refresh_from_db()
    a = services.assessment_revise(assessment=a, acting_user=lead)
    assert a.version_number == 2 and a.status == AssessmentStatus.DRAFT
    services.assessment_save(
        assessment=a, acting_user=lead, lock_version=a.lock_version, content={"analysis": "New"}
    )
    v1.refresh_from_db()
    assert v1.content["analysis"] == complete_content()["analysis"]


def test_submission_lists_what_is_missing(assessment):
    with pytest.raises(DomainError, match="Analysis"):
        services.assessment_submit(
            assessment=assessment,
            acting_user=assessment.case.lead_professional,
            lock_version=assessment.lock_version,
        )


def test_plan_first_taf_meeting_agrees_plan_and_schedules_review(case, colleague):
    lead = case.lead_professional
    plan = services.plan_create(case=case, acting_user=lead, created_on=D(2026, 11, 2))
    assert plan.first_taf_due_on == D(2026, 11, 16)
    outcome = services.outcome_add(plan=plan, acting_user=lead, text="Get to school on time")
    member = case.taf_members.get(user=colleague)
    services.action_add(
        outcome=outcome,
        acting_user=lead,
        what="Morning routine chart",
        due_on=D(2026, 12, 1),
        owner_member=member,
        set_on=D(2026, 11, 10),
    )
    with pytest.raises(DomainError, match="cannot be before the date it was set"):
        services.action_add(
            outcome=outcome,
            acting_user=lead,
            what="x",
            due_on=D(2026, 11, 9),
            owner_is_family=True,
            set_on=D(2026, 11, 10),
        )
    meeting = services.meeting_schedule(case=case, acting_user=lead, scheduled_for=D(2026, 11, 12))
    held = services.meeting_record(
        meeting=meeting,
        acting_user=lead,
        held_on=D(2026, 11, 12),
        decision="continue",
        progress=[{"outcome": outcome, "scaling": 3}],
    )
    plan.refresh_from_db()
    assert plan.agreed_on == D(2026, 11, 12)
    assert held.next_review_on == D(2026, 12, 24)
    assert case.taf_meetings.filter(status=MeetingStatus.SCHEDULED, kind="review").count() == 1


def test_a_review_before_the_case_opened_is_refused(case):
    lead = case.lead_professional
    with pytest.raises(DomainError, match="before the case opened"):
        services.meeting_schedule(case=case, acting_user=lead, scheduled_for=D(2026, 10, 1))


def test_next_review_outside_four_to_six_weeks_is_refused(case):
    lead = case.lead_professional
    plan = services.plan_create(case=case, acting_user=lead, created_on=D(2026, 11, 2))
    services.outcome_add(plan=plan, acting_user=lead, text="Calmer mornings")
    meeting = services.meeting_schedule(case=case, acting_user=lead, scheduled_for=D(2026, 11, 5))
    with pytest.raises(DomainError, match="4 to 6 weeks"):
        services.meeting_record(
            meeting=meeting,
            acting_user=lead,
            held_on=D(2026, 11, 5),
            decision="continue",
            next_review_on=D(2026, 11, 19),
        )


def test_closure_needs_a_reason_and_keeps_outcomes_and_views(case):
    lead = case.lead_professional
    plan = services.plan_create(case=case, acting_user=lead, created_on=D(2026, 11, 2))
    outcome = services.outcome_add(plan=plan, acting_user=lead, text="Calmer mornings")
    with pytest.raises(DomainError, match="reason"):
        services.case_close_with_plan(
            case=case,
            acting_user=lead,
            outcome_results={outcome.pk: {"result": "achieved"}},
            reason="",
            closed_on=D(2026, 11, 20),
            family_view="improved",
        )
    closure = services.case_close_with_plan(
        case=case,
        acting_user=lead,
        outcome_results={outcome.pk: {"result": "achieved"}},
        reason="needs_met",
        closed_on=D(2026, 11, 20),
        family_view="improved",
        child_voice="I like school now",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert closure.outcomes[0]["outcome"] == "Calmer mornings"
    assert [c.to_status for c in case.status_changes.all()] == ["open", "closed"]
    with pytest.raises(DomainError):
        case_services.note_add(case=case, acting_user=lead, kind="note", text="late note")


def test_closing_a_case_cancels_its_scheduled_meetings_with_history_and_an_audit_row(case):
    lead = case.lead_professional
    meeting = services.meeting_schedule(case=case, acting_user=lead, scheduled_for=D(2026, 12, 3))
    case_services.case_close(
        case=case,
        acting_user=lead,
        ask_authorisation=False,
        reason="needs_met",
        closed_on=D(2026, 11, 20),
        family_view="improved",
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.change_reason == "The case has closed."
    assert [c.verb for c in MEETING.history_of(meeting)] == ["create", "cancel"]
    row = AuditEvent.objects.get(
        record_type="tafmeeting", record_id=meeting.pk, action=AuditAction.CHANGE
    )
    assert row.user == lead and row.changes == {"status": ["scheduled", "cancelled"]}
    assert row.reason == "The case has closed."


def test_notes_are_never_edited_silently(case):
    lead = case.lead_professional
    entry = case_services.note_add(case=case, acting_user=lead, kind="home_visit", text="Saw Sam")
    case_services.note_correct(entry=entry, acting_user=lead, text="Saw Sam and Jo", reason="Typo")
    entry.refresh_from_db()
    assert entry.text == "Saw Sam"
    assert entry.corrections.get().text == "Saw Sam and Jo"


def test_step_up_is_a_request_and_step_down_an_event_with_reasons(case):
    lead = case.lead_professional
    up = case_services.step_up(
        case=case, acting_user=lead, occurred_on=D(2026, 11, 3), reason="Risk"
    )
    case.refresh_from_db()
    assert up.status == "pending" and case.level_of_need == 2  # social care decides
    case_services.step_down(
        case=case, acting_user=lead, occurred_on=D(2026, 11, 4), reason="Safe", level_of_need=3
    )
    case.refresh_from_db()
    assert case.level_of_need == 3
    assert case.chronology.filter(kind=ChronologyKind.STEP).count() == 2


def test_handover_makes_member_the_lead_and_keeps_previous_lead_on_team(case, colleague):
    lead = case.lead_professional
    case_services.lead_professional_handover(
        case=case, to_user=colleague, acting_user=lead, note="Over to Tom"
    )
    case.refresh_from_db()
    assert case.lead_professional == colleague
    assert case.taf_members.filter(user=lead, left_on__isnull=True).exists()


def test_text_limit_is_twenty_thousand():
    assert MAX_TEXT == 20_000


def test_demo_loader_adds_casework_in_various_states(case, district_manager):
    import random

    from demo.casework import load_demo_casework

    counts = load_demo_casework(random.Random(3), [case])
    assert counts["assessments"] == 1
