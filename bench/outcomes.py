"""Family outcomes at county scale: a programme layer over the county data (bench/county.py),
loaded with COPY, and the benchmarks of the cohort dashboard and the quarterly return.

    python manage.py generate_county_outcomes      (after generate_county, same database)

The layer: signed-off assessment versions for signed-off assessments; a programme episode
for two cases in three, each with 2 to 5 needs (evidence, source), progress at a held review
or at closure; review scaling for distance travelled; claims for about a fifth of the ready
families in each programme period (at most one per family per period), some sampled and
audited, some batched; family hubs; family network meetings.
"""

import datetime
import random
from collections import defaultdict

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.copier import Copier
from bench.measure import measure

TODAY = datetime.date(2026, 11, 2)
CODES = [
    "education",
    "early_years",
    "health",
    "substance_use",
    "family_relationships",
    "safe_from_abuse",
    "crime",
    "domestic_abuse",
    "housing",
    "financial_stability",
]


def _period(day: datetime.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def generate(seed: int = 2026, log=print) -> dict:
    from assessments.models import AssessmentVersion, OutcomeProgress
    from outcomes.models import (
        Claim,
        ClaimBatch,
        ClaimEvent,
        FamilyNeed,
        FamilyNetworkMeeting,
        HeadlineOutcome,
        NeedProgress,
        OutcomesPlanVersion,
        ProgrammeEpisode,
    )

    rng = random.Random(seed)
    plan = OutcomesPlanVersion.objects.order_by("number").first()
    headlines = {h.code: (h.pk, h.sustain_days) for h in HeadlineOutcome.objects.filter(plan=plan)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.family_id, c.district_id, c.lead_professional_id, c.opened_on, "
            "c.closed_on, a.id, a.status, a.started_on FROM cases_earlyhelpcase c "
            "JOIN assessments_assessment a ON a.case_id = c.id ORDER BY c.id"
        )
        cases = cursor.fetchall()
        cursor.execute(
            "SELECT case_id, id, held_on FROM assessments_tafmeeting WHERE status = 'held' "
            "ORDER BY case_id, held_on"
        )
        held = defaultdict(list)
        for case_id, mid, held_on in cursor.fetchall():
            held[case_id].append((mid, held_on))
        cursor.execute(
            "SELECT p.case_id, o.id FROM assessments_planoutcome o "
            "JOIN assessments_familyplan p ON p.id = o.plan_id WHERE o.baseline_scaling IS NOT NULL"
        )
        plan_outcomes = defaultdict(list)
        for case_id, oid in cursor.fetchall():
            plan_outcomes[case_id].append(oid)
        cursor.execute("SELECT district_id, id FROM partners_familyhub")
        hubs = defaultdict(list)
        for district_id, hid in cursor.fetchall():
            hubs[district_id].append(hid)
        cursor.execute("SELECT id FROM partners_user WHERE email = 'director@county.test'")
        row = cursor.fetchone()
        officer_id = row[0] if row else cases[0][3]

    versions = Copier(AssessmentVersion)
    episodes = Copier(ProgrammeEpisode)
    needs = Copier(FamilyNeed)
    progress = Copier(NeedProgress)
    scaling = Copier(OutcomeProgress)
    network = Copier(FamilyNetworkMeeting)
    claims = Copier(Claim)
    events = Copier(ClaimEvent)
    batches = Copier(ClaimBatch)
    batch_of = {}
    claimed = set()
    for cid, fid, did, lead_id, opened, closed, aid, status, started in cases:
        meetings = held.get(cid, [])
        if status == "signed_off":
            versions.add(
                assessment_id=aid,
                number=1,
                content={},
                need_codes=[],
                field_labels=[],
                started_on=started,
                signed_off_at=datetime.datetime.combine(
                    started + datetime.timedelta(days=15), datetime.time(12)
                ).replace(tzinfo=datetime.UTC),
                signed_off_by_id=lead_id,
            )
        for index, (mid, _held_on) in enumerate(meetings):
            for oid in plan_outcomes.get(cid, []):
                if index and index % 2 == 0:
                    scaling.add(meeting_id=mid, outcome_id=oid, scaling=rng.randint(2, 9))
        if rng.random() > 0.66:
            continue
        hub_choices = hubs.get(did) or [None]
        eid = episodes.next_id
        episodes.next_id += 1
        count = rng.choice([2, 3, 3, 4, 5])
        ready_on = None
        all_significant = True
        last = meetings[-1] if meetings else None
        for code in rng.sample(CODES, count):
            hid, days = headlines[code]
            state = rng.choice(["not_started", "improving", "significant", "significant"])
            since = None
            if state != "not_started" and last is None and closed is None:
                state = "not_started"
            if state == "significant":
                span = max(0, ((last[1] if last else closed) - opened).days)
                since = opened + datetime.timedelta(days=rng.randint(0, span))
                done = since + datetime.timedelta(days=days)
                ready_on = max(ready_on or done, done)
            else:
                all_significant = False
            nid = needs.add(
                episode_id=eid,
                headline_id=hid,
                evidence="Synthetic evidence.",
                source=rng.choice(["data_match", "practitioner", "family"]),
                identified_on=opened,
                status=state,
                significant_since=since,
                recorded_by_id=lead_id or officer_id,
                recorded_at=datetime.datetime.combine(opened, datetime.time(12)).replace(
                    tzinfo=datetime.UTC
                ),
            )
            if state != "not_started":
                at_closure = last is None
                recorded_on = closed if at_closure else last[1]
                progress.add(
                    need_id=nid,
                    recorded_on=recorded_on,
                    status=state,
                    significant_since=since,
                    evidence="Synthetic progress.",
                    meeting_id=None if at_closure else last[0],
                    at_closure=at_closure,
                    recorded_by_id=lead_id or officer_id,
                    recorded_at=datetime.datetime.combine(recorded_on, datetime.time(12)).replace(
                        tzinfo=datetime.UTC
                    ),
                )
        episodes.add(
            id=eid,
            case_id=cid,
            plan_id=plan.pk,
            family_hub_id=rng.choice(hub_choices) if rng.random() < 0.97 else None,
            ready_on=ready_on if all_significant else None,
            enrolled_on=opened,
            enrolled_by_id=lead_id or officer_id,
        )
        if rng.random() < 0.1 and meetings:
            network.add(
                case_id=cid,
                kind=rng.choice(["family_network", "fgdm"]),
                held_on=meetings[0][1],
                participants="Grandmother\nNeighbour",
                family_plan="Synthetic plan.",
                network_commitments="Synthetic commitments.",
                recorded_by_id=lead_id or officer_id,
                recorded_at=datetime.datetime.combine(meetings[0][1], datetime.time(12)).replace(
                    tzinfo=datetime.UTC
                ),
            )
        if all_significant and ready_on and ready_on <= TODAY and rng.random() < 0.8:
            period = _period(ready_on)
            if (fid, period) in claimed:
                continue
            claimed.add((fid, period))
            status = rng.choice(
                [
                    "prepared",
                    "in_sample",
                    "not_sampled",
                    "audit_passed",
                    "audit_failed",
                    "batched",
                    "batched",
                    "batched",
                ]
            )
            batch_id = None
            if status == "batched":
                if period not in batch_of:
                    batch_of[period] = batches.add(
                        period=period, number=1, created_on=ready_on, created_by_id=officer_id
                    )
                batch_id = batch_of[period]
            claim_id = claims.add(
                episode_id=eid,
                family_id=fid,
                period=period,
                status=status,
                prepared_on=ready_on,
                prepared_by_id=officer_id,
                rules={"plan_version": plan.number},
                batch_id=batch_id,
            )
            events.add(
                claim_id=claim_id,
                to_status=status,
                by_id=officer_id,
                at=datetime.datetime.combine(ready_on, datetime.time(12)).replace(
                    tzinfo=datetime.UTC
                ),
            )
    counts = {}
    # Batches before the claims that point at them.
    for name, copier in [
        ("assessment versions", versions),
        ("episodes", episodes),
        ("needs", needs),
        ("progress", progress),
        ("review scaling", scaling),
        ("network meetings", network),
        ("batches", batches),
        ("claims", claims),
        ("claim events", events),
    ]:
        counts[name] = copier.finish()
    import importlib

    backfill = importlib.import_module("outcomes.migrations.0003_episode_counts").BACKFILL
    with connection.cursor() as cursor:
        for statement in backfill:  # needs_count and claim_status, as the services keep them
            cursor.execute(statement)
        for table in (
            "assessments_assessmentversion",
            "outcomes_programmeepisode",
            "outcomes_familyneed",
            "outcomes_needprogress",
            "assessments_outcomeprogress",
            "outcomes_claim",
        ):
            cursor.execute(f"ANALYZE {table}")
    log(counts)
    return counts


def benchmarks(runs: int, *, client_for) -> list:
    """The cohort dashboard (programme team, strategic viewer, one district) and the
    quarterly return (checked and exported) at county scale."""
    from django.contrib.auth.models import Group

    from outcomes import returns
    from partners.models import District, Role, User

    officer = User.objects.filter(role=Role.CONSULTANT).order_by("pk").first()
    officer.groups.add(Group.objects.get(name="Family outcomes programme team"))
    officer = User.objects.get(pk=officer.pk)
    director = User.objects.filter(role=Role.STRATEGIC).order_by("pk").first()
    team, strategic = client_for(officer), client_for(director)
    district = District.objects.order_by("pk").first()
    start, end = returns.quarter_bounds(TODAY)
    quarter = start.isoformat()

    def call(client: Client, url: str):
        return lambda: client.get(url)

    plan = [
        ("outcomes dashboard, whole authority", call(team, reverse("outcomes_dashboard"))),
        (
            "outcomes dashboard, strategic (suppressed)",
            call(strategic, reverse("outcomes_dashboard")),
        ),
        (
            "outcomes dashboard, one district",
            call(team, f"{reverse('outcomes_dashboard')}?district={district.pk}"),
        ),
        ("families ready to claim", call(team, f"{reverse('programme_families')}?state=ready")),
        ("API ready families", call(team, "/api/v1/outcomes/families/?ready=true")),
        (
            "quarterly return, checked",
            call(team, f"{reverse('outcomes_return')}?quarter={quarter}"),
        ),
        (
            "quarterly return, CSV",
            lambda: returns.write_csv(*returns.build_return(start, end, today=TODAY)[:2]),
        ),
    ]
    return [measure(name, fn, runs=runs) for name, fn in plan]
