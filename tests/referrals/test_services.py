import datetime

import pytest
from django.utils import timezone

from cases.codes import Relationship
from cases.models import CaseStatus, FamilyMembership, Need, Person
from earlyhelp.errors import DomainError, EditConflict, InvalidTransition
from earlyhelp.models import AuditEvent, Notification
from referrals import services
from referrals.models import (
    Channel,
    ClosedReason,
    Outcome,
    Referral,
    ReferralPerson,
    ReferralStatus,
    Urgency,
)
from tests import factories
from tests.referrals.factories import matched, person, picked_up, request_entry, submitted

pytestmark = pytest.mark.django_db


def test_submitting_a_request_puts_it_in_the_queue_with_history_and_audit(referrer, district):
    need = Need.objects.filter(framework="supporting_families").first()
    referral = services.referral_submit(
        acting_user=referrer,
        entry=request_entry(district=district, agency=referrer.agency, needs=[need]),
    )
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.version == 2
    assert referral.received_at is not None
    assert referral.referrer_user == referrer
    assert list(referral.needs.all()) == [need]
    assert referral.people.count() == 2
    assert [h.to_status for h in referral.history.all()] == [ReferralStatus.SUBMITTED]
    assert AuditEvent.objects.filter(record_type="referral", record_id=referral.pk).count() == 2


def test_routine_request_is_due_in_three_working_days_and_urgent_in_one(referrer, district):
    routine = submitted(by=referrer, district=district)
    urgent = submitted(by=referrer, district=district, urgency=Urgency.URGENT)
    received = timezone.localdate(routine.received_at)
    from earlyhelp.working_days import add_working_days

    assert routine.due_on == add_working_days(received, 3)
    assert urgent.due_on == add_working_days(received, 1)


def test_triage_targets_are_configurable(referrer, district, settings):
    settings.TRIAGE_TARGET_WORKING_DAYS = {"urgent": 2, "routine": 5}
    referral = submitted(by=referrer, district=district)
    from earlyhelp.working_days import add_working_days

    assert referral.due_on == add_working_days(timezone.localdate(referral.received_at), 5)


def test_due_date_skips_english_bank_holidays():
    received = timezone.make_aware(datetime.datetime(2026, 12, 24, 10, 0))
    # Thu 24 Dec -> Fri 25 (Christmas), Mon 28 (Boxing Day substitute) are not working days
    assert services.triage_due_on(received, Urgency.URGENT) == datetime.date(2026, 12, 29)


def test_significant_harm_flags_possible_step_up_makes_it_urgent_and_tells_the_front_door(
    referrer, district, front_door_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        referral = submitted(by=referrer, district=district, significant_harm=True)
    assert referral.possible_step_up
    assert referral.urgency == Urgency.URGENT
    note = Notification.objects.get(user=front_door_officer)
    assert "significant harm" in note.subject
    assert "Marsh" not in note.subject


@pytest.mark.parametrize(
    "people, message",
    [
        ([], "at least one child"),
        ([person(dob=datetime.date(2090, 1, 1))], "today or in the past"),
        ([person(dob=datetime.date(1990, 1, 1))], "25 or under"),
        (
            [person(dob=None, expected_date=datetime.date.today() + datetime.timedelta(days=400))],
            "43 weeks",
        ),
        ([person(nhs_number="1234567890")], "valid NHS number"),
        ([person(upn="X123")], "unique pupil number"),
    ],
)
def test_bad_people_are_refused_with_a_clear_message(referrer, district, people, message):
    with pytest.raises(DomainError, match=message):
        services.referral_submit(
            acting_user=referrer,
            entry=request_entry(district=district, agency=referrer.agency, people=people),
        )


def test_an_empty_request_is_refused(referrer, district):
    with pytest.raises(DomainError, match="worried"):
        submitted(by=referrer, district=district, worries="   ")


def test_no_consent_needs_a_reason(referrer, district):
    with pytest.raises(DomainError, match="why the family has not agreed"):
        submitted(by=referrer, district=district, family_consent="not_aware")


def test_html_is_stored_as_typed(referrer, district):
    script = "<script>alert('x')</script>"
    referral = submitted(by=referrer, district=district, worries=script)
    referral.refresh_from_db()
    assert referral.worries == script


def test_two_officers_cannot_silently_pick_up_the_same_request(
    referrer, district, front_door_officer, other_front_door_officer
):
    referral = picked_up(by=referrer, officer=front_door_officer, district=district)
    with pytest.raises(DomainError, match="picked this request up"):
        services.referral_pick_up(referral=referral, acting_user=other_front_door_officer)
    taken = services.referral_pick_up(
        referral=referral, acting_user=other_front_door_officer, take_over=True
    )
    assert taken.picked_up_by == other_front_door_officer
    assert "Taken over" in taken.history.last().reason


def test_a_stale_decision_is_a_conflict_not_an_overwrite(
    referrer, district, front_door_officer, eh_team
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    stale_version = referral.version
    services.referral_release(referral=referral, acting_user=front_door_officer)
    referral.refresh_from_db()
    services.referral_pick_up(referral=referral, acting_user=front_door_officer)
    referral.refresh_from_db()
    with pytest.raises(EditConflict):
        services.referral_decide(
            referral=referral,
            acting_user=front_door_officer,
            expected_version=stale_version,
            level_of_need=1,
            outcome=Outcome.NO_FURTHER_ACTION,
            rationale="No needs beyond universal services.",
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_TRIAGE
    assert not hasattr(referral, "decision") or referral.decision is None


def test_deciding_needs_matching_first(referrer, district, front_door_officer):
    referral = picked_up(by=referrer, officer=front_door_officer, district=district)
    with pytest.raises(DomainError, match="existing records"):
        services.referral_decide(
            referral=referral,
            acting_user=front_door_officer,
            expected_version=referral.version,
            level_of_need=1,
            outcome=Outcome.NO_FURTHER_ACTION,
            rationale="x",
        )


def test_an_officer_who_has_not_picked_it_up_cannot_decide(
    referrer, district, front_door_officer, other_front_door_officer
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    with pytest.raises(DomainError, match="Take it over"):
        services.referral_decide(
            referral=referral,
            acting_user=other_front_door_officer,
            expected_version=referral.version,
            level_of_need=1,
            outcome=Outcome.NO_FURTHER_ACTION,
            rationale="x",
        )


def test_matching_links_an_existing_person_by_nhs_number_and_marks_a_re_referral(
    referrer, district, front_door_officer, practitioner
):
    old = factories.closed_case(
        lead=practitioner, closed_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    child = old.family.memberships.get(relationship=Relationship.CHILD).person
    child.nhs_number = "9434765919"
    child.save()
    referral = picked_up(
        by=referrer,
        officer=front_door_officer,
        district=district,
        people=[person(first=child.first_name, last=child.last_name, nhs_number="943 476 5919")],
    )
    entry = referral.people.get()
    from referrals.selectors import candidates_for

    candidates = candidates_for(entry, referral.postcode)
    assert candidates[0].person == child and candidates[0].exact
    referral = services.referral_match_record(
        referral=referral,
        acting_user=front_door_officer,
        links={entry.pk: child},
        family=old.family,
    )
    assert referral.is_re_referral
    assert referral.family == old.family
    entry.refresh_from_db()
    assert entry.match == ReferralPerson.Match.LINKED


def test_fuzzy_matching_finds_a_similar_name_with_the_same_date_of_birth(
    referrer, district, front_door_officer
):
    family = factories.FamilyFactory(district=district)
    known = factories.PersonFactory(
        first_name="Jayden", last_name="Whittaker", date_of_birth=datetime.date(2016, 3, 4)
    )
    FamilyMembership.objects.create(family=family, person=known, relationship=Relationship.CHILD)
    factories.PersonFactory(
        first_name="Jayden", last_name="Whittaker", date_of_birth=datetime.date(2012, 1, 1)
    )
    referral = picked_up(
        by=referrer,
        officer=front_door_officer,
        district=district,
        people=[person(first="Jaden", last="Whitaker", dob=datetime.date(2016, 3, 4))],
    )
    from referrals.selectors import candidates_for

    candidates = candidates_for(referral.people.get(), referral.postcode)
    assert [c.person for c in candidates] == [known]
    assert candidates[0].families == [family]


def test_creating_a_new_person_with_a_known_nhs_number_is_refused(
    referrer, district, front_door_officer
):
    factories.PersonFactory(nhs_number="9434765919")
    referral = picked_up(
        by=referrer,
        officer=front_door_officer,
        district=district,
        people=[person(nhs_number="9434765919")],
    )
    entry = referral.people.get()
    with pytest.raises(DomainError, match="already belongs"):
        services.referral_match_record(
            referral=referral, acting_user=front_door_officer, links={entry.pk: None}, family=None
        )


def _decide(referral, officer, **kwargs):
    referral.refresh_from_db()
    kwargs.setdefault("level_of_need", 3)
    kwargs.setdefault("rationale", "Needs across school attendance and housing.")
    return services.referral_decide(
        referral=referral, acting_user=officer, expected_version=referral.version, **kwargs
    )


def test_targeted_decision_opens_a_case_with_a_lead_and_tells_the_referrer(
    referrer, district, front_door_officer, eh_team, practitioner
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    decision = _decide(
        referral,
        front_door_officer,
        outcome=Outcome.TARGETED,
        allocated_agency=eh_team,
        lead_professional=practitioner,
    )
    case = decision.case
    assert case.status == CaseStatus.OPEN
    assert case.lead_professional == practitioner
    assert case.family.district == district
    assert [c.first_name for c in case.children.all()] == ["Lily"]
    assert Person.objects.filter(last_name="Marsh").count() == 2
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECIDED and referral.case == case
    assert Notification.objects.filter(user=referrer, subject__contains="Decision").exists()
    assert Notification.objects.filter(user=practitioner).exists()
    from cases.access import cases_visible_to

    assert case in cases_visible_to(practitioner)


def test_universal_plus_without_a_lead_waits_in_the_partner_agency_queue(
    referrer, district, front_door_officer, school_manager
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    decision = _decide(
        referral,
        front_door_officer,
        level_of_need=2,
        outcome=Outcome.UNIVERSAL_PLUS,
        allocated_agency=referrer.agency,
    )
    assert decision.case.status == CaseStatus.AWAITING_ALLOCATION
    assert decision.case.lead_agency == referrer.agency
    from cases.access import cases_visible_to

    assert decision.case in cases_visible_to(school_manager)
    assert Notification.objects.filter(user=school_manager, subject__contains="waiting").exists()


def test_lead_professional_must_work_for_the_allocated_agency(
    referrer, district, front_door_officer, eh_team, practitioner
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    with pytest.raises(DomainError, match="does not work for"):
        _decide(
            referral,
            front_door_officer,
            outcome=Outcome.UNIVERSAL_PLUS,
            allocated_agency=referrer.agency,
            lead_professional=practitioner,
        )


def test_add_to_an_open_case_links_the_request_to_it(
    referrer, district, front_door_officer, practitioner
):
    case = factories.open_case(lead=practitioner)
    referral = matched(
        by=referrer, officer=front_door_officer, district=district, family=case.family
    )
    decision = _decide(referral, front_door_officer, outcome=Outcome.ADD_TO_OPEN_CASE, case=case)
    assert decision.case == case
    referral.refresh_from_db()
    assert referral.case == case
    assert case.children.filter(first_name="Lily").exists()


@pytest.mark.parametrize(
    "outcome, extra",
    [
        (Outcome.NO_FURTHER_ACTION, {}),
        (Outcome.SIGNPOSTING, {"signposted_to": "Amberford Family Hub stay and play"}),
        (Outcome.STEP_UP, {"level_of_need": 4}),
    ],
)
def test_non_allocating_outcomes_open_no_case(
    referrer, district, front_door_officer, outcome, extra
):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    decision = _decide(referral, front_door_officer, outcome=outcome, **extra)
    assert decision.case is None
    assert Notification.objects.filter(user=referrer).exists()


def test_a_decided_request_cannot_be_decided_again(referrer, district, front_door_officer):
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    _decide(referral, front_door_officer, outcome=Outcome.NO_FURTHER_ACTION)
    referral.refresh_from_db()
    with pytest.raises(DomainError):
        _decide(referral, front_door_officer, outcome=Outcome.NO_FURTHER_ACTION)


def test_withdrawn_and_duplicate_requests_are_closed_with_a_reason_not_deleted(
    referrer, district, front_door_officer
):
    first = submitted(by=referrer, district=district)
    second = submitted(by=referrer, district=district)
    services.referral_close(
        referral=second,
        acting_user=front_door_officer,
        reason=ClosedReason.DUPLICATE,
        note="Same family, same week.",
        duplicate_of=first,
    )
    second.refresh_from_db()
    assert second.status == ReferralStatus.CLOSED and second.duplicate_of == first
    services.referral_close(
        referral=first, acting_user=referrer, reason=ClosedReason.WITHDRAWN, note="Family moved."
    )
    first.refresh_from_db()
    assert first.status == ReferralStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.referral_pick_up(referral=first, acting_user=front_door_officer)


def test_step_down_needs_a_summary_and_is_marked(social_worker, district):
    with pytest.raises(DomainError, match="summary"):
        services.referral_submit(
            acting_user=social_worker,
            entry=request_entry(district=district, agency=social_worker.agency),
            channel=Channel.STEP_DOWN,
        )
    referral = services.referral_submit(
        acting_user=social_worker,
        entry=request_entry(
            district=district, agency=social_worker.agency, step_down_summary="Closed RC9."
        ),
        channel=Channel.STEP_DOWN,
    )
    assert referral.is_step_down and referral.source == "5A"


def test_a_referrer_without_an_account_is_emailed_the_outcome_but_nothing_about_the_family(
    referrer, district, front_door_officer, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    referral = matched(by=referrer, officer=front_door_officer, district=district)
    Referral.objects.filter(pk=referral.pk).update(
        referrer_user=None, referrer_email="caller@example.test"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        _decide(
            referral,
            front_door_officer,
            outcome=Outcome.SIGNPOSTING,
            signposted_to="Parenting course at the family hub",
        )
    assert callbacks, "the email task is queued after commit"
    assert services.external_referrer_outcome_send(referral.pk) is True
    message = mail.outbox[-1]
    assert message.to == ["caller@example.test"]
    assert referral.reference in message.body
    assert "Information and signposting" in message.body
    assert "Lily" not in message.body and "Mill Lane" not in message.body
