"""Every write in the family outcomes programme: plan versions, enrolment, needs, progress,
claims (prepare, decline, sample, audit, withdraw, batch), family network meetings and the
return layout. Each is one transaction with an audit row.

Rules and their sources:
- A family counts with at least `min_needs` needs across the headline outcomes (three by
  default), a whole-family assessment (a signed-off EHA), a family plan and a lead
  practitioner (Supporting Families programme guidance 2022 to 2025, chapter 5).
- A successful outcome: every identified need shows significant progress sustained for the
  headline's sustain period under the plan version the episode is judged against.
- A family is claimed at most once per programme period (financial year); the database
  enforces it (constraint one_claim_per_family_per_period).
"""

import datetime
import math
import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import AssessmentVersion, FamilyPlan, MeetingStatus, TafMeeting
from cases.models import MAX_TEXT, ChronologyKind, EarlyHelpCase
from cases.services import _check_past_date, chronology_add, refuse_if_closed
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, InvalidTransition
from earlyhelp.models import AuditAction
from earlyhelp.notifications import notify
from earlyhelp.wording import counted, term
from outcomes import access
from outcomes.models import (
    NOT_HOLDING,
    Claim,
    ClaimBatch,
    ClaimEvent,
    ClaimStatus,
    EvidenceSource,
    FamilyNeed,
    FamilyNetworkMeeting,
    HeadlineOutcome,
    NeedProgress,
    NetworkMeetingKind,
    OutcomesPlanVersion,
    ProgrammeEpisode,
    ProgressStatus,
    ReturnLayout,
)


class NotReadyToClaim(DomainError):
    """The family does not (yet) meet the plan: `reasons` says which need and what is missing."""

    def __init__(self, reasons: list[str]):
        super().__init__("Not ready to claim: " + " ".join(reasons))
        self.reasons = reasons


class AlreadyClaimed(DomainError):
    """The family already has a claim in this programme period (the API answers 409)."""


def _d(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _text(value: str, label: str, *, required: bool = True, minimum: int = 0) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}.")
    if minimum and len(value) < minimum:
        raise DomainError(f"Enter {label} in at least {minimum} characters.")
    if len(value) > MAX_TEXT:
        raise DomainError(
            f"{label[0].upper()}{label[1:]} must be {MAX_TEXT:,} characters or fewer."
        )
    return value


def programme_period(day: datetime.date) -> str:
    """The programme period a day falls in: the financial year, '2026-27' (April to March)."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"


# --- The outcomes plan -------------------------------------------------------------------


def plan_version_in_force(day: datetime.date) -> OutcomesPlanVersion:
    """The version in force on `day`; an episode older than every version takes the first."""
    plan = (
        OutcomesPlanVersion.objects.filter(effective_from__lte=day)
        .order_by("-effective_from")
        .first()
        or OutcomesPlanVersion.objects.order_by("effective_from").first()
    )
    if plan is None:
        raise DomainError("No outcomes plan is set up. Ask an administrator to add one.")
    return plan


@transaction.atomic
def plan_version_create(
    *,
    acting_user,
    title: str,
    effective_from: datetime.date,
    min_needs: int,
    audit_sample_percent: int,
    headlines: list[dict],
    note: str = "",
    request=None,
) -> OutcomesPlanVersion:
    """The next version of the local outcomes plan. Versions are never edited: a change is a
    new version, in force from today or later, so every family already judged keeps the
    version it was judged against (its episode started before the change)."""
    if not access.PLAN_EDITORS.allows(acting_user):
        raise DomainError("Only administrators can change the outcomes plan.")
    title = _text(title, "a title for this version")
    today = timezone.localdate()
    if effective_from < today:
        raise DomainError(
            "A new version cannot start in the past: families already judged keep theirs. "
            f"Choose {_d(today)} or later."
        )
    latest = OutcomesPlanVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise DomainError(
            f"The new version must start after version {latest.number} "
            f"({_d(latest.effective_from)})."
        )
    if not 1 <= min_needs <= 10:
        raise DomainError("The number of needs must be a whole number from 1 to 10.")
    if not 0 <= audit_sample_percent <= 100:
        raise DomainError("The audit share must be a whole number from 0 to 100.")
    if not headlines:
        raise DomainError("A plan needs at least one headline outcome.")
    plan = OutcomesPlanVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        title=title,
        effective_from=effective_from,
        min_needs=min_needs,
        audit_sample_percent=audit_sample_percent,
        note=_text(note, "the note", required=False),
        created_by=acting_user,
    )
    for order, row in enumerate(headlines, 1):
        days = row.get("sustain_days")
        if not isinstance(days, int) or days < 1:
            raise DomainError(
                f"{row.get('label', 'A headline')}: the sustain period must be 1 day or more."
            )
        HeadlineOutcome.objects.create(
            plan=plan,
            code=row["code"],
            label=_text(row.get("label", ""), "the headline outcome"),
            order=order,
            eligibility_descriptors=_text(
                row.get("eligibility_descriptors", ""), f"what counts as a need for {row['code']}"
            ),
            success_measures=_text(
                row.get("success_measures", ""), f"what counts as success for {row['code']}"
            ),
            sustain_days=days,
        )
    audit(user=acting_user, action=AuditAction.CREATE, record=plan, request=request)
    return plan


# --- Enrolment, needs and progress ------------------------------------------------------


def _episode_for(case: EarlyHelpCase, acting_user, family_hub=None) -> ProgrammeEpisode:
    episode = ProgrammeEpisode.objects.filter(case=case).first()
    if episode is not None:
        return episode
    return ProgrammeEpisode.objects.create(
        case=case,
        plan=plan_version_in_force(case.opened_on),
        family_hub=family_hub,
        enrolled_on=timezone.localdate(),
        enrolled_by=acting_user,
    )


def _require_work_on_open_case(user, case: EarlyHelpCase) -> None:
    """Needs and network meetings are work on the case: refused once it is closed, as every
    case write is; only progress at closure (and the programme team's claims) come after."""
    refuse_if_closed(case)
    access.require_record_outcomes(user, case)


@transaction.atomic
def episode_hub_set(*, case: EarlyHelpCase, acting_user, family_hub, request=None):
    access.require_record_outcomes(acting_user, case)
    if family_hub is not None and family_hub.district_id != case.district_id:
        raise DomainError(f"Choose a family hub in {case.district}.")
    episode = _episode_for(case, acting_user)
    old = episode.family_hub_id
    episode.family_hub = family_hub
    episode.save(update_fields=["family_hub"])
    audit_change(
        episode,
        by=acting_user,
        request=request,
        changes={"family_hub": [old, getattr(family_hub, "pk", None)]},
    )
    return episode


@transaction.atomic
def need_add(
    *,
    case: EarlyHelpCase,
    acting_user,
    headline_code: str,
    evidence: str,
    source: str,
    identified_on: datetime.date | None = None,
    request=None,
) -> FamilyNeed:
    """Identify a need against a headline outcome of the episode's plan, with its evidence and
    where the evidence comes from (a data match, a practitioner's judgement, the family)."""
    _require_work_on_open_case(acting_user, case)
    episode = _episode_for(case, acting_user)
    headline = HeadlineOutcome.objects.filter(plan=episode.plan, code=headline_code).first()
    if headline is None:
        raise DomainError("Choose a headline outcome from the family's outcomes plan.")
    if source not in EvidenceSource.values:
        raise DomainError("Say where the evidence comes from.")
    evidence = _text(evidence, "the evidence for this need")
    identified_on = identified_on or timezone.localdate()
    _check_past_date(identified_on, case, "date the need was identified")
    if FamilyNeed.objects.filter(episode=episode, headline=headline).exists():
        raise DomainError(f"“{headline.label}” is already one of this family's needs.")
    need = FamilyNeed.objects.create(
        episode=episode,
        headline=headline,
        evidence=evidence,
        source=source,
        identified_on=identified_on,
        recorded_by=acting_user,
    )
    _refresh_ready_on(episode)
    audit(user=acting_user, action=AuditAction.CREATE, record=need, request=request)
    return need


@transaction.atomic
def needs_from_assessment(*, case: EarlyHelpCase, acting_user, request=None) -> list[FamilyNeed]:
    """Carry the Supporting Families needs of the latest signed-off assessment over as the
    family's needs (a practitioner's judgement, with the assessment as evidence)."""
    _require_work_on_open_case(acting_user, case)
    version = AssessmentVersion.objects.filter(assessment__case=case).order_by("-number").first()
    if version is None:
        raise DomainError(
            f"The family's {term('Early Help Assessment')} has not been signed off yet."
        )
    episode = _episode_for(case, acting_user)
    have = set(FamilyNeed.objects.filter(episode=episode).values_list("headline__code", flat=True))
    created = []
    for headline in episode.plan.headlines.filter(code__in=version.need_codes):
        if headline.code in have:
            continue
        created.append(
            FamilyNeed.objects.create(
                episode=episode,
                headline=headline,
                evidence=(
                    f"{term('Early Help Assessment')} version {version.number}, signed off on "
                    f"{_d(timezone.localtime(version.signed_off_at).date())}."
                ),
                source=EvidenceSource.PRACTITIONER,
                identified_on=max(version.started_on, case.opened_on),
                recorded_by=acting_user,
            )
        )
    if not created:
        raise DomainError(
            "The signed-off assessment has no Supporting Families needs that are not "
            "already recorded."
        )
    _refresh_ready_on(episode)
    for need in created:
        audit(user=acting_user, action=AuditAction.CREATE, record=need, request=request)
    return created


@transaction.atomic
def progress_record(
    *,
    need: FamilyNeed,
    acting_user,
    status: str,
    evidence: str,
    meeting: TafMeeting | None = None,
    at_closure: bool = False,
    significant_since: datetime.date | None = None,
    request=None,
) -> NeedProgress:
    """Record a need's progress at a review (a held TAF meeting) or at closure, with the
    evidence. Significant progress carries the date since when it has lasted; progress
    recorded as significant again keeps the earlier date unless another is given."""
    need = FamilyNeed.objects.select_for_update().select_related("episode__case").get(pk=need.pk)
    case = need.episode.case
    access.require_record_outcomes(acting_user, case)
    if status not in ProgressStatus.values:
        raise DomainError("Choose the progress on this need.")
    evidence = _text(evidence, "the evidence of progress")
    if (meeting is None) == (not at_closure):
        raise DomainError("Say whether this is progress at a review or at closure.")
    if meeting is not None:
        if not case.is_open:
            raise DomainError("This case is closed: record the progress at closure.")
        if meeting.case_id != case.pk or meeting.status != MeetingStatus.HELD:
            raise DomainError("Choose a review of this case that has been held.")
        recorded_on = meeting.held_on
    else:
        if case.is_open or case.closed_on is None:
            raise DomainError("Progress at closure can be recorded once the case is closed.")
        recorded_on = case.closed_on
    if status == ProgressStatus.SIGNIFICANT:
        if significant_since is None and need.status == ProgressStatus.SIGNIFICANT:
            significant_since = need.significant_since
        if significant_since is None:
            significant_since = recorded_on
        if significant_since > recorded_on:
            raise DomainError(
                f"Significant progress cannot start after the review it is recorded at "
                f"({_d(recorded_on)})."
            )
        if significant_since < need.identified_on:
            raise DomainError(
                f"Significant progress cannot start before the need was identified "
                f"({_d(need.identified_on)})."
            )
    else:
        significant_since = None
    row = NeedProgress.objects.create(
        need=need,
        recorded_on=recorded_on,
        status=status,
        significant_since=significant_since,
        evidence=evidence,
        meeting=meeting,
        at_closure=at_closure,
        recorded_by=acting_user,
    )
    latest = need.progress.order_by("-recorded_on", "-pk").first()
    old = [need.status, need.significant_since and need.significant_since.isoformat()]
    need.status = latest.status
    need.significant_since = latest.significant_since
    need.save(update_fields=["status", "significant_since"])
    _refresh_ready_on(need.episode)
    audit(
        user=acting_user,
        action=AuditAction.CREATE,
        record=row,
        record_type="needprogress",
        request=request,
        changes={
            "progress": [old, [need.status, need.significant_since and str(need.significant_since)]]
        },
    )
    return row


def _refresh_ready_on(episode: ProgrammeEpisode) -> None:
    """Keep `ready_on`: the day the last need's significant progress becomes sustained, if
    every need shows significant progress; else empty. Keep `needs_count` with it. Lists
    and figures read these columns at county scale."""
    needs = list(episode.needs.select_related("headline"))
    ready_on = None
    if needs and all(n.status == ProgressStatus.SIGNIFICANT for n in needs):
        ready_on = max(
            n.significant_since + datetime.timedelta(days=n.headline.sustain_days) for n in needs
        )
    if episode.ready_on != ready_on or episode.needs_count != len(needs):
        episode.ready_on = ready_on
        episode.needs_count = len(needs)
        episode.save(update_fields=["ready_on", "needs_count"])


def _refresh_claim_status(episode_id: int) -> None:
    """Keep the episode's `claim_status`: its latest claim not withdrawn."""
    latest = (
        Claim.objects.filter(episode_id=episode_id)
        .exclude(status=ClaimStatus.WITHDRAWN)
        .order_by("-pk")
        .values_list("status", flat=True)
        .first()
    )
    ProgrammeEpisode.objects.filter(pk=episode_id).update(claim_status=latest or "")


# --- Readiness ----------------------------------------------------------------------------


@dataclass
class Judgement:
    eligible: bool
    ready: bool
    reasons: list[str]


def judge(episode: ProgrammeEpisode, on: datetime.date | None = None) -> Judgement:
    """Does the family meet the programme's conditions, and does every need show significant
    progress sustained for its period, on `on`? Reasons name the need and what is missing."""
    on = on or timezone.localdate()
    case = episode.case
    plan = episode.plan
    needs = list(episode.needs.select_related("headline"))
    gaps = []
    if len(needs) < plan.min_needs:
        gaps.append(
            f"The family has {len(needs)} of the {counted(plan.min_needs, 'need')} "
            "the outcomes plan requires."
        )
    if not AssessmentVersion.objects.filter(assessment__case=case).exists():
        gaps.append("There is no signed-off whole-family assessment.")
    if not FamilyPlan.objects.filter(case=case).exists():
        gaps.append("There is no family plan.")
    if case.lead_professional_id is None:
        gaps.append(f"There is no {term('lead professional')}.")
    progress = []
    for need in needs:
        label = need.headline.label
        days = need.headline.sustain_days
        if need.status != ProgressStatus.SIGNIFICANT:
            progress.append(
                f"{label}: progress is ‘{need.get_status_display()}’, not significant progress."
            )
            continue
        sustained_from = need.significant_since + datetime.timedelta(days=days)
        if sustained_from > on:
            progress.append(
                f"{label}: significant progress since {_d(need.significant_since)} is "
                f"sustained only from {_d(sustained_from)} ({counted(days, 'day')})."
            )
    return Judgement(
        eligible=not gaps, ready=not gaps and not progress and bool(needs), reasons=gaps + progress
    )


def sustained_on(need: FamilyNeed) -> datetime.date | None:
    if need.status != ProgressStatus.SIGNIFICANT or need.significant_since is None:
        return None
    return need.significant_since + datetime.timedelta(days=need.headline.sustain_days)


# --- Claims -------------------------------------------------------------------------------

# Allowed moves: verb -> (from states, to state)
MOVES = {
    "sample": ([ClaimStatus.PREPARED], ClaimStatus.IN_SAMPLE),
    "skip_sample": ([ClaimStatus.PREPARED], ClaimStatus.NOT_SAMPLED),
    "pass": ([ClaimStatus.IN_SAMPLE], ClaimStatus.AUDIT_PASSED),
    "fail": ([ClaimStatus.IN_SAMPLE], ClaimStatus.AUDIT_FAILED),
    "withdraw": (
        [
            ClaimStatus.PREPARED,
            ClaimStatus.IN_SAMPLE,
            ClaimStatus.NOT_SAMPLED,
            ClaimStatus.AUDIT_PASSED,
            ClaimStatus.AUDIT_FAILED,
        ],
        ClaimStatus.WITHDRAWN,
    ),
    "batch": ([ClaimStatus.AUDIT_PASSED, ClaimStatus.NOT_SAMPLED], ClaimStatus.BATCHED),
}


def _move(claim: Claim, verb: str, *, acting_user, notes: str = "", request=None, **fields) -> None:
    """Move the claim by `verb` and save it with `fields`; the move is a ClaimEvent and an
    audit row, and the episode's claim status follows."""
    allowed, to = MOVES[verb]
    if claim.status not in allowed:
        raise InvalidTransition(
            f"A claim that is ‘{claim.get_status_display().lower()}’ cannot be moved to "
            f"‘{ClaimStatus(to).label.lower()}’."
        )
    old = claim.status
    claim.status = to
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=["status", *fields])
    _refresh_claim_status(claim.episode_id)
    ClaimEvent.objects.create(
        claim=claim, from_status=old, to_status=to, by=acting_user, notes=notes
    )
    audit_change(
        claim, by=acting_user, request=request, changes={"status": [old, to]}, reason=notes
    )


def _require_programme_team(user) -> None:
    if not access.is_programme_team(user):
        raise DomainError("Only the family outcomes programme team can do this.")


def _holding_claim(family_id: int, period: str) -> Claim | None:
    return (
        Claim.objects.filter(family_id=family_id, period=period)
        .exclude(status__in=NOT_HOLDING)
        .first()
    )


@transaction.atomic
def claim_prepare(
    *, case: EarlyHelpCase, acting_user, on: datetime.date | None = None, request=None
) -> Claim:
    """Prepare a claim for a family whose every need shows sustained progress. Refused with
    the reasons (which need, what is missing) otherwise; AlreadyClaimed when the family has
    a claim in this programme period."""
    _require_programme_team(acting_user)
    on = on or timezone.localdate()
    episode = ProgrammeEpisode.objects.select_for_update().filter(case=case).first()
    if episode is None:
        raise NotReadyToClaim(["The family has no needs recorded against the outcomes plan."])
    period = programme_period(on)
    existing = _holding_claim(case.family_id, period)
    if existing is not None:
        raise AlreadyClaimed(
            f"This family already has a claim in {period} ({existing.reference}, "
            f"{existing.get_status_display().lower()})."
        )
    judgement = judge(episode, on)
    if not judgement.ready:
        raise NotReadyToClaim(judgement.reasons)
    needs = list(episode.needs.select_related("headline"))
    rules = {
        "plan_version": episode.plan.number,
        "min_needs": episode.plan.min_needs,
        "judged_on": on.isoformat(),
        "needs": [
            {
                "code": n.headline.code,
                "label": n.headline.label,
                "significant_since": n.significant_since.isoformat(),
                "sustain_days": n.headline.sustain_days,
                "source": n.source,
            }
            for n in needs
        ],
    }
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                episode=episode,
                family_id=case.family_id,
                period=period,
                status=ClaimStatus.PREPARED,
                prepared_on=on,
                prepared_by=acting_user,
                rules=rules,
            )
    except IntegrityError:
        raise AlreadyClaimed(f"This family already has a claim in {period}.") from None
    ClaimEvent.objects.create(claim=claim, to_status=claim.status, by=acting_user)
    _refresh_claim_status(episode.pk)
    audit(user=acting_user, action=AuditAction.CREATE, record=claim, request=request)
    return claim


@transaction.atomic
def claim_decline(
    *, case: EarlyHelpCase, acting_user, reason: str, on: datetime.date | None = None, request=None
) -> Claim:
    """Record why the team is not claiming for a family (kept; it does not hold the period)."""
    _require_programme_team(acting_user)
    reason = _text(reason, "why the family is not being claimed for", minimum=10)
    on = on or timezone.localdate()
    episode = ProgrammeEpisode.objects.filter(case=case).first()
    if episode is None:
        raise DomainError("The family is not in the programme.")
    claim = Claim.objects.create(
        episode=episode,
        family_id=case.family_id,
        period=programme_period(on),
        status=ClaimStatus.DECLINED,
        prepared_on=on,
        prepared_by=acting_user,
        reason=reason,
    )
    ClaimEvent.objects.create(claim=claim, to_status=claim.status, by=acting_user, notes=reason)
    _refresh_claim_status(episode.pk)
    audit(user=acting_user, action=AuditAction.CREATE, record=claim, request=request, reason=reason)
    return claim


@transaction.atomic
def claims_sample(
    *, period: str, acting_user, rng: random.Random | None = None, request=None
) -> tuple[list[Claim], list[Claim]]:
    """Internal audit draws its sample from the prepared claims of a period: the plan's
    share, rounded up (at least one claim when there are any). The rest go forward unsampled.
    Returns (sampled, not sampled)."""
    if not access.is_internal_auditor(acting_user):
        raise DomainError("Only internal audit can draw the audit sample.")
    claims = list(
        Claim.objects.select_for_update()
        .filter(period=period, status=ClaimStatus.PREPARED)
        .order_by("pk")
    )
    if not claims:
        raise DomainError(f"There are no prepared claims in {period} to sample.")
    share = plan_version_in_force(timezone.localdate()).audit_sample_percent
    size = min(len(claims), max(1, math.ceil(len(claims) * share / 100))) if share else 0
    chosen = set((rng or random.SystemRandom()).sample(range(len(claims)), size))
    sampled, unsampled = [], []
    for index, claim in enumerate(claims):
        verb = "sample" if index in chosen else "skip_sample"
        _move(
            claim,
            verb,
            acting_user=acting_user,
            notes=f"Audit sample of {size} from {len(claims)} ({share}%).",
            request=request,
        )
        (sampled if index in chosen else unsampled).append(claim)
    return sampled, unsampled


@transaction.atomic
def claim_audit(*, claim: Claim, acting_user, passed: bool, notes: str, request=None) -> Claim:
    """Pass or fail a sampled claim with notes. The auditor cannot be the person who prepared
    it. A failure tells the preparer why (a notification linking to the claim)."""
    if not access.is_internal_auditor(acting_user):
        raise DomainError("Only internal audit can audit a claim.")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.prepared_by_id == acting_user.pk:
        raise DomainError("You prepared this claim, so someone else must audit it.")
    notes = _text(
        notes,
        "what the audit found" if passed else "why the claim failed and what would fix it",
        minimum=0 if passed else 10,
    )
    _move(
        claim,
        "pass" if passed else "fail",
        acting_user=acting_user,
        notes=notes,
        request=request,
        audit_notes=notes,
        audited_by=acting_user,
        audited_at=timezone.now(),
    )
    if not passed:
        from django.urls import reverse

        notify(
            user=claim.prepared_by,
            subject=f"Claim {claim.reference} failed internal audit",
            body="Internal audit has recorded why. Open the claim to read the notes.",
            url=reverse("claim_detail", args=[claim.pk]),
        )
    return claim


@transaction.atomic
def claim_withdraw(*, claim: Claim, acting_user, reason: str, request=None) -> Claim:
    """Withdraw a claim (for example after a failed audit); the family's period is free again."""
    _require_programme_team(acting_user)
    reason = _text(reason, "why the claim is withdrawn", minimum=10)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _move(claim, "withdraw", acting_user=acting_user, notes=reason, request=request, reason=reason)
    return claim


@transaction.atomic
def claim_batch_create(*, period: str, acting_user, request=None) -> ClaimBatch:
    """Put every passed (or unsampled) claim of a period not yet batched into a new batch.
    Claims still waiting for audit stay out until audited."""
    _require_programme_team(acting_user)
    claims = list(
        Claim.objects.select_for_update()
        .filter(period=period, status__in=MOVES["batch"][0], batch__isnull=True)
        .order_by("pk")
    )
    if not claims:
        raise DomainError(f"There are no passed claims in {period} waiting for a batch.")
    number = (
        ClaimBatch.objects.filter(period=period)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    batch = ClaimBatch.objects.create(
        period=period, number=number, created_on=timezone.localdate(), created_by=acting_user
    )
    for claim in claims:
        _move(
            claim, "batch", acting_user=acting_user, notes=str(batch), request=request, batch=batch
        )
    audit(user=acting_user, action=AuditAction.CREATE, record=batch, request=request)
    return batch


# --- Families First: family network meetings ---------------------------------------------


@transaction.atomic
def network_meeting_record(
    *,
    case: EarlyHelpCase,
    acting_user,
    kind: str,
    held_on: datetime.date,
    participants: str,
    family_plan: str,
    network_commitments: str,
    next_meeting_on: datetime.date | None = None,
    request=None,
) -> FamilyNetworkMeeting:
    """A family network meeting or family group decision-making conference: who from the
    network took part, the family's own plan, what the network will do, the next date. It
    goes into the case chronology (the plan's story) and the cohort indicators."""
    _require_work_on_open_case(acting_user, case)
    if kind not in NetworkMeetingKind.values:
        raise DomainError("Choose the kind of meeting.")
    participant_text = _text(participants, "who from the family network took part")
    family_plan = _text(family_plan, "the family's own plan")
    network_commitments = _text(network_commitments, "what the family network will do")
    _check_past_date(held_on, case, "meeting date")
    if next_meeting_on is not None and next_meeting_on <= held_on:
        raise DomainError("The next meeting must be after this one.")
    meeting = FamilyNetworkMeeting.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        participants=participant_text,
        family_plan=family_plan,
        network_commitments=network_commitments,
        next_meeting_on=next_meeting_on,
        recorded_by=acting_user,
    )
    chronology_add(
        case=case,
        kind=ChronologyKind.MEETING,
        title=NetworkMeetingKind(kind).label,
        text=f"The family's plan: {family_plan}\nThe network will: {network_commitments}",
        occurred_on=held_on,
        author=acting_user,
        source=meeting,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=meeting, request=request)
    return meeting


# --- The quarterly return layout -----------------------------------------------------------


@transaction.atomic
def return_layout_set(*, acting_user, columns: list[str], request=None) -> ReturnLayout:
    from outcomes.returns import COLUMNS

    _require_programme_team(acting_user)
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise DomainError(f"Unknown columns: {', '.join(unknown)}.")
    if not columns:
        raise DomainError("Choose at least one column for the return.")
    layout, _ = ReturnLayout.objects.select_for_update().get_or_create(pk=1)
    old = list(layout.columns)
    layout.columns = list(columns)
    layout.updated_by = acting_user
    layout.save()
    audit_change(layout, by=acting_user, request=request, changes={"columns": [old, list(columns)]})
    return layout
