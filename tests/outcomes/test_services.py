"""The programme's rules at their edges: eligibility, sustained progress, plan versions,
claims (once per family per period, enforced by the database), audit sampling."""

import datetime
import random

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.errors import DomainError, InvalidTransition
from earlyhelp.models import AuditEvent, Notification
from outcomes import services
from outcomes.models import Claim, ClaimStatus, EvidenceSource, ProgressStatus
from tests.outcomes.conftest import sustain_all, worked_case

TODAY = timezone.localdate


def test_two_needs_are_not_enough_under_the_default_plan(practitioner, district_manager):
    case = worked_case(lead=practitioner, manager=district_manager, needs=["education", "housing"])
    services.needs_from_assessment(case=case, acting_user=practitioner)
    judgement = services.judge(case.programme)
    assert not judgement.eligible
    assert "The family has 2 of the 3 needs the outcomes plan requires." in judgement.reasons


def test_a_third_need_from_a_data_match_makes_the_family_eligible(
    practitioner, district_manager, programme_officer
):
    case = worked_case(lead=practitioner, manager=district_manager, needs=["education", "housing"])
    services.needs_from_assessment(case=case, acting_user=practitioner)
    need = services.need_add(
        case=case,
        acting_user=programme_officer,
        headline_code="crime",
        evidence="Police data match: two call-outs in March.",
        source=EvidenceSource.DATA_MATCH,
        identified_on=case.opened_on,
    )
    assert need.get_source_display() == "A data match"
    assert services.judge(case.programme).eligible


def test_no_signed_off_assessment_means_not_eligible(practitioner):
    from tests import factories

    case = factories.open_case(lead=practitioner, opened_on=TODAY() - datetime.timedelta(days=9))
    for code in ("education", "housing", "crime"):
        services.need_add(
            case=case,
            acting_user=practitioner,
            headline_code=code,
            evidence="Seen at the home visit.",
            source=EvidenceSource.PRACTITIONER,
        )
    reasons = services.judge(case.programme).reasons
    assert "There is no signed-off whole-family assessment." in reasons
    assert "There is no family plan." in reasons


def test_progress_one_day_short_of_the_sustain_period_is_not_ready(working_case, practitioner):
    since = working_case.review.held_on
    sustain_all(working_case, acting_user=practitioner, since=since)
    longest = 273  # education: three school terms in the default plan
    judgement = services.judge(
        working_case.programme, on=since + datetime.timedelta(days=longest - 1)
    )
    assert judgement.eligible and not judgement.ready
    assert judgement.reasons == [
        f"Getting a good education: significant progress since {since:%-d %B %Y} is "
        f"sustained only from {since + datetime.timedelta(days=longest):%-d %B %Y} (273 days)."
    ]


def test_progress_exactly_on_the_sustain_period_is_ready(working_case, practitioner):
    since = working_case.review.held_on
    sustain_all(working_case, acting_user=practitioner, since=since)
    on = since + datetime.timedelta(days=273)
    assert services.judge(working_case.programme, on=on).ready
    working_case.programme.refresh_from_db()
    assert working_case.programme.ready_on == on


def test_improving_is_not_significant_progress(ready_case, practitioner):
    need = ready_case.programme.needs.get(headline__code="housing")
    services.progress_record(
        need=need,
        acting_user=practitioner,
        status=ProgressStatus.IMPROVING,
        evidence="Arrears returned.",
        meeting=ready_case.review,
    )
    judgement = services.judge(ready_case.programme)
    assert not judgement.ready
    assert "Secure housing: progress is ‘Improving’, not significant progress." in judgement.reasons


def test_progress_needs_a_held_review_or_closure(working_case, practitioner):
    need = working_case.programme.needs.first()
    with pytest.raises(DomainError, match="review or at closure"):
        services.progress_record(
            need=need, acting_user=practitioner, status="improving", evidence="x"
        )
    with pytest.raises(DomainError, match="once the case is closed"):
        services.progress_record(
            need=need,
            acting_user=practitioner,
            status="improving",
            evidence="x",
            at_closure=True,
        )
    assert not need.progress.exists()


def test_significant_progress_cannot_start_after_the_review(working_case, practitioner):
    need = working_case.programme.needs.first()
    with pytest.raises(DomainError, match="cannot start after the review"):
        services.progress_record(
            need=need,
            acting_user=practitioner,
            status="significant",
            evidence="x",
            meeting=working_case.review,
            significant_since=working_case.review.held_on + datetime.timedelta(days=1),
        )


def test_a_new_plan_version_leaves_families_already_judged_unchanged(
    ready_case, practitioner, district_manager, administrator
):
    old = ready_case.programme.plan
    assert services.judge(ready_case.programme).ready
    headlines = [
        {
            "code": h.code,
            "label": h.label,
            "eligibility_descriptors": h.eligibility_descriptors,
            "success_measures": h.success_measures,
            "sustain_days": 3650,
        }
        for h in old.headlines.all()
    ]
    new = services.plan_version_create(
        acting_user=administrator,
        title="Local plan 2027",
        effective_from=TODAY(),
        min_needs=4,
        audit_sample_percent=20,
        headlines=headlines,
    )
    ready_case.programme.refresh_from_db()
    assert ready_case.programme.plan == old
    assert services.judge(ready_case.programme).ready
    # An episode that starts under the new version is judged by it.
    fresh = worked_case(
        lead=practitioner, manager=district_manager, opened_days_ago=0, review_days_ago=0
    )
    services.needs_from_assessment(case=fresh, acting_user=practitioner)
    assert fresh.programme.plan == new
    assert (
        "The family has 3 of the 4 needs the outcomes plan requires."
        in services.judge(fresh.programme).reasons
    )


def test_a_plan_version_cannot_be_backdated(administrator):
    with pytest.raises(DomainError, match="cannot start in the past"):
        services.plan_version_create(
            acting_user=administrator,
            title="Backdated",
            min_needs=3,
            audit_sample_percent=10,
            effective_from=TODAY() - datetime.timedelta(days=1),
            headlines=[],
        )


def test_only_administrators_change_the_plan(programme_officer):
    with pytest.raises(DomainError, match="Only administrators"):
        services.plan_version_create(
            acting_user=programme_officer,
            title="x",
            min_needs=3,
            audit_sample_percent=10,
            effective_from=TODAY(),
            headlines=[],
        )


def test_a_ready_family_is_claimed_and_every_step_is_audited(ready_case, programme_officer):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    assert claim.status == ClaimStatus.PREPARED
    assert claim.period == services.programme_period(TODAY())
    assert [n["code"] for n in claim.rules["needs"]] == [
        "education",
        "housing",
        "financial_stability",
    ]
    assert AuditEvent.objects.filter(record_type="claim", record_id=claim.pk).exists()


def test_a_family_not_ready_is_refused_with_the_need_and_what_is_missing(
    working_case, programme_officer
):
    with pytest.raises(services.NotReadyToClaim) as refused:
        services.claim_prepare(case=working_case, acting_user=programme_officer)
    assert "Getting a good education: progress is ‘Not started’" in str(refused.value)
    assert not Claim.objects.exists()


def test_a_family_is_claimed_at_most_once_in_a_period(ready_case, programme_officer):
    services.claim_prepare(case=ready_case, acting_user=programme_officer)
    with pytest.raises(services.AlreadyClaimed):
        services.claim_prepare(case=ready_case, acting_user=programme_officer)
    assert Claim.objects.count() == 1


def test_the_database_refuses_a_second_claim_for_the_family_in_the_period(
    ready_case, programme_officer
):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            episode=claim.episode,
            family=claim.family,
            period=claim.period,
            status=ClaimStatus.PREPARED,
            prepared_on=claim.prepared_on,
            prepared_by=programme_officer,
        )


def test_a_withdrawn_claim_frees_the_period(ready_case, programme_officer):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    services.claim_withdraw(
        claim=claim, acting_user=programme_officer, reason="Evidence was for the wrong child."
    )
    again = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    assert again.status == ClaimStatus.PREPARED


def test_the_same_family_may_be_claimed_in_the_next_period(ready_case, programme_officer):
    services.claim_prepare(case=ready_case, acting_user=programme_officer)
    next_year = TODAY() + datetime.timedelta(days=366)
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer, on=next_year)
    assert claim.period == services.programme_period(next_year)


def test_recording_why_not_keeps_the_reason(ready_case, programme_officer):
    claim = services.claim_decline(
        case=ready_case,
        acting_user=programme_officer,
        reason="The family moved away before the period ended.",
    )
    assert claim.status == ClaimStatus.DECLINED
    with pytest.raises(DomainError, match="at least 10 characters"):
        services.claim_decline(case=ready_case, acting_user=programme_officer, reason="no")


def _claims(n, *, practitioner, district_manager, programme_officer):
    claims = []
    for _ in range(n):
        case = worked_case(lead=practitioner, manager=district_manager)
        services.needs_from_assessment(case=case, acting_user=practitioner)
        case.review = case.taf_meetings.filter(kind="review", status="held").first()
        sustain_all(case, acting_user=practitioner, since=case.review.held_on)
        claims.append(services.claim_prepare(case=case, acting_user=programme_officer))
    return claims


def test_internal_audit_samples_the_plans_share_rounded_up(
    practitioner, district_manager, programme_officer, auditor
):
    claims = _claims(
        3,
        practitioner=practitioner,
        district_manager=district_manager,
        programme_officer=programme_officer,
    )
    # The default plan samples 10%: 10% of 3 rounds up to one claim.
    sampled, unsampled = services.claims_sample(
        period=claims[0].period, acting_user=auditor, rng=random.Random(3)
    )
    assert len(sampled) == 1 and len(unsampled) == 2
    statuses = sorted(Claim.objects.values_list("status", flat=True))
    assert statuses == ["in_sample", "not_sampled", "not_sampled"]
    with pytest.raises(DomainError, match="no prepared claims"):
        services.claims_sample(period=claims[0].period, acting_user=auditor)


def test_a_failed_audit_tells_the_team_why_and_a_passed_claim_goes_into_a_batch(
    practitioner, district_manager, programme_officer, auditor
):
    first, second = _claims(
        2,
        practitioner=practitioner,
        district_manager=district_manager,
        programme_officer=programme_officer,
    )
    period = first.period
    from outcomes.models import OutcomesPlanVersion

    OutcomesPlanVersion.objects.update(audit_sample_percent=100)
    services.claims_sample(period=period, acting_user=auditor)
    failed = services.claim_audit(
        claim=first,
        acting_user=auditor,
        passed=False,
        notes="School attendance evidence is for last year, not this one.",
    )
    assert failed.status == ClaimStatus.AUDIT_FAILED
    note = Notification.objects.get(user=programme_officer)
    assert failed.reference in note.subject
    services.claim_audit(claim=second, acting_user=auditor, passed=True, notes="Checked.")
    batch = services.claim_batch_create(period=period, acting_user=programme_officer)
    assert list(batch.claims.values_list("pk", flat=True)) == [second.pk]
    with pytest.raises(InvalidTransition):
        services.claim_audit(claim=second, acting_user=auditor, passed=True, notes="again")


def test_the_preparer_cannot_audit_their_own_claim(ready_case, programme_officer):
    from django.contrib.auth.models import Group

    programme_officer.groups.add(Group.objects.get(name="Family outcomes internal audit"))
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    claim.status = ClaimStatus.IN_SAMPLE
    claim.save()
    from partners.models import User

    officer = User.objects.get(pk=programme_officer.pk)  # fresh permission cache
    with pytest.raises(DomainError, match="someone else must audit"):
        services.claim_audit(claim=claim, acting_user=officer, passed=True, notes="fine")


def test_a_failing_audit_needs_a_reason(ready_case, programme_officer, auditor):
    claim = services.claim_prepare(case=ready_case, acting_user=programme_officer)
    services.claims_sample(period=claim.period, acting_user=auditor)
    with pytest.raises(DomainError, match="why the claim failed"):
        services.claim_audit(claim=claim, acting_user=auditor, passed=False, notes="")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_SAMPLE


def test_a_family_network_meeting_is_recorded_in_the_chronology(working_case, practitioner):
    meeting = services.network_meeting_record(
        case=working_case,
        acting_user=practitioner,
        kind="fgdm",
        held_on=TODAY() - datetime.timedelta(days=3),
        participants="Nan Jean (grandmother)\nUncle Ray",
        family_plan="Nan takes the children to school on Mondays.",
        network_commitments="Uncle Ray helps with the garden and the rent letters.",
        next_meeting_on=TODAY() + datetime.timedelta(days=30),
    )
    assert meeting.participant_list == ["Nan Jean (grandmother)", "Uncle Ray"]
    assert working_case.chronology.filter(title__startswith="Family group decision").exists()
    with pytest.raises(DomainError, match="next meeting must be after"):
        services.network_meeting_record(
            case=working_case,
            acting_user=practitioner,
            kind="family_network",
            held_on=TODAY(),
            participants="Nan",
            family_plan="p",
            network_commitments="c",
            next_meeting_on=TODAY(),
        )
