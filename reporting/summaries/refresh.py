"""Rebuild the summary tables from the records (summaries/models.py).

One transaction: every table is emptied and refilled with INSERT ... SELECT, so a reader
sees either the old summaries or the new ones, never half of each (PostgreSQL MVCC: readers
are not blocked). A PostgreSQL advisory lock keeps two refreshes from running at once.
Each SELECT states the same rule as the live figure in reporting/indicators.py; the
property-based test (tests/reporting/summaries) proves the two agree after every kind of change.
"""

import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentVersion,
    FamilyPlan,
    OutcomeProgress,
    PlanOutcome,
    TafMeeting,
)
from cases.codes import SenStatus
from cases.models import CaseClosure, EarlyHelpCase, Family, FamilyMembership, Person
from referrals.models import Referral, TriageDecision
from reporting.models import EducationEvent
from reporting.summaries import models as facts

logger = logging.getLogger(__name__)

REFRESH_LOCK_KEY = 0x5E4D_0016
# The copies of the case columns each case-based fact carries (summaries.models.CaseColumns),
# from `c` (the case) and `f` (its family); first in each SELECT, as in the models' fields.
CASE_COLUMNS = "c.family_id, c.district_id, c.lead_agency_id, f.restricted"
NAME = "reporting"


def table_name(model) -> str:
    """A model's table, quoted for the rebuild's SQL (apps contributing facts use it too)."""
    return connection.ops.quote_name(model._meta.db_table)


_t = table_name  # the short name the SELECTs below use


def _children_table() -> str:
    return connection.ops.quote_name(EarlyHelpCase.children.through._meta.db_table)


def _statements() -> list[tuple[type, str]]:
    case, family, person = _t(EarlyHelpCase), _t(Family), _t(Person)
    closure, plan = _t(CaseClosure), _t(FamilyPlan)
    membership, children = _t(FamilyMembership), _children_table()
    referral, decision = _t(Referral), _t(TriageDecision)
    assessment, version, meeting = _t(Assessment), _t(AssessmentVersion), _t(TafMeeting)
    education = _t(EducationEvent)
    outcome, progress = _t(PlanOutcome), _t(OutcomeProgress)
    statements = [
        (
            facts.CaseFact,
            f"""
            SELECT CASE_COLUMNS, c.id, c.lead_professional_id,
                   c.status, c.level_of_need, c.opened_on, c.closed_on, c.closure_reason,
                   cl.family_view, (p.id IS NOT NULL), c.origin
            FROM {case} c JOIN {family} f ON f.id = c.family_id
            LEFT JOIN {closure} cl ON cl.case_id = c.id
            LEFT JOIN {plan} p ON p.case_id = c.id
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.CaseChildFact,
            f"""
            SELECT CASE_COLUMNS, ch.earlyhelpcase_id, ch.person_id, c.status, c.opened_on,
                   c.closed_on
            FROM {children} ch JOIN {case} c ON c.id = ch.earlyhelpcase_id
            JOIN {family} f ON f.id = c.family_id
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.ChildFact,
            f"""
            SELECT p.id, p.date_of_birth, p.gender, p.ethnicity,
                   (p.sen_status <> %(sen_none)s
                    OR (coalesce(array_length(p.disabilities, 1), 0) > 0
                        AND p.disabilities <> ARRAY['NONE']::varchar[])),
                   ARRAY(SELECT DISTINCT coalesce(f.deprivation_decile, 0)
                         FROM (SELECT p.id) one
                         LEFT JOIN {membership} m ON m.person_id = p.id
                         LEFT JOIN {family} f ON f.id = m.family_id)
            FROM {person} p
            WHERE p.id IN (SELECT person_id FROM {children})
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.ReferralFact,
            f"""
            SELECT r.id, r.district_id, r.family_id, r.created_by_id, r.referrer_user_id,
                   r.referrer_agency_id, r.status, r.channel, r.urgency,
                   (r.received_at AT TIME ZONE %(tz)s)::date, r.due_on,
                   (d.decided_at AT TIME ZONE %(tz)s)::date, d.outcome, d.allocated_agency_id,
                   (r.family_id IS NOT NULL AND r.received_at IS NOT NULL AND EXISTS (
                       SELECT 1 FROM {case} c
                       WHERE c.family_id = r.family_id AND c.status = 'closed'
                         AND c.closed_on <= (r.received_at AT TIME ZONE %(tz)s)::date
                         AND c.closed_on >= (r.received_at AT TIME ZONE %(tz)s)::date - 365))
            FROM {referral} r
            LEFT JOIN {decision} d ON d.referral_id = r.id
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.AssessmentFact,
            f"""
            SELECT CASE_COLUMNS,
                   v.id, a.case_id, (v.signed_off_at AT TIME ZONE %(tz)s)::date, a.due_on
            FROM {version} v JOIN {assessment} a ON a.id = v.assessment_id
            JOIN {case} c ON c.id = a.case_id JOIN {family} f ON f.id = c.family_id
            WHERE v.number = 1
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.ReviewFact,
            f"""
            SELECT CASE_COLUMNS, m.id, m.case_id, m.held_on, prev.due
            FROM {meeting} m
            JOIN {case} c ON c.id = m.case_id JOIN {family} f ON f.id = c.family_id
            LEFT JOIN LATERAL (
                SELECT coalesce(b.next_review_on, b.held_on + 42) AS due
                FROM {meeting} b
                WHERE b.case_id = m.case_id AND b.status = 'held' AND b.held_on < m.held_on
                ORDER BY b.held_on DESC, b.id DESC
                LIMIT 1
            ) prev ON true
            WHERE m.kind = 'review' AND m.status = 'held' AND m.held_on IS NOT NULL
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.PlanOutcomeFact,
            f"""
            SELECT CASE_COLUMNS, l.outcome_id, c.id, o.baseline_scaling, l.scaling
            FROM (
                SELECT DISTINCT ON (op.outcome_id) op.outcome_id, op.scaling
                FROM {progress} op
                JOIN {meeting} m ON m.id = op.meeting_id AND m.status = 'held'
                ORDER BY op.outcome_id, m.held_on DESC, op.id DESC
            ) l
            JOIN {outcome} o ON o.id = l.outcome_id
            JOIN {plan} p ON p.id = o.plan_id
            JOIN {case} c ON c.id = p.case_id JOIN {family} f ON f.id = c.family_id
            WHERE o.baseline_scaling IS NOT NULL AND o.removed_on IS NULL
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.EducationFact,
            f"""
            SELECT e.id, e.person_id, e.kind, e.occurred_on, EXISTS (
                SELECT 1 FROM {plan} p
                JOIN {case} c ON c.id = p.case_id
                JOIN {children} ch ON ch.earlyhelpcase_id = c.id
                WHERE ch.person_id = e.person_id AND p.created_on <= e.occurred_on
                  AND (c.closed_on IS NULL OR c.closed_on >= e.occurred_on))
            FROM {education} e
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
        (
            facts.DeadlineFact,
            f"""
            SELECT CASE_COLUMNS, 'assessment', a.id, a.case_id, c.status, a.due_on
            FROM {assessment} a JOIN {case} c ON c.id = a.case_id
            JOIN {family} f ON f.id = c.family_id
            WHERE a.status = 'draft' AND a.version_number = 1
              AND c.status IN ('open', 'awaiting_allocation')
            UNION ALL
            SELECT CASE_COLUMNS, 'first_taf', p.id, p.case_id, c.status, p.first_taf_due_on
            FROM {plan} p JOIN {case} c ON c.id = p.case_id
            JOIN {family} f ON f.id = c.family_id
            WHERE p.agreed_on IS NULL AND c.status IN ('open', 'awaiting_allocation')
            UNION ALL
            SELECT CASE_COLUMNS, 'review', m.id, m.case_id, c.status, m.next_review_on
            FROM {meeting} m JOIN {case} c ON c.id = m.case_id
            JOIN {family} f ON f.id = c.family_id
            WHERE m.status = 'held' AND m.next_review_on IS NOT NULL
              AND c.status IN ('open', 'awaiting_allocation')
              AND NOT EXISTS (SELECT 1 FROM {meeting} l WHERE l.case_id = m.case_id
                              AND l.status = 'held' AND l.held_on > m.held_on)
            """,  # noqa: S608 - table names from the models, values as parameters
        ),
    ]
    statements += [pair for contributed in _CONTRIBUTIONS for pair in contributed()]
    return [(model, sql.replace("CASE_COLUMNS", CASE_COLUMNS)) for model, sql in statements]


# Apps above reporting add their own facts to the same rebuild, so that every summary has
# the one "as at" and is swapped in the one transaction (outcomes.apps registers its
# programme facts). Reporting itself never imports them: imports point one way.
_CONTRIBUTIONS: list = []


def contribute(statements) -> None:
    """Rebuild an app's facts with the rest: `statements()` gives (fact model, SELECT) pairs
    in the form of _statements() (CASE_COLUMNS first, the same parameters)."""
    if statements not in _CONTRIBUTIONS:
        _CONTRIBUTIONS.append(statements)


def _columns(model) -> str:
    fields = model._meta.concrete_fields
    names = [f.column for f in fields if not (f.primary_key and f.auto_created)]
    return ", ".join(connection.ops.quote_name(n) for n in names)


def summaries_refresh() -> facts.SummaryRefresh | None:
    """Rebuild every summary table in one transaction; None if another refresh is running."""
    started = time.monotonic()
    params = {"tz": settings.TIME_ZONE, "sen_none": SenStatus.NONE.value}
    rows = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REFRESH_LOCK_KEY])
            if not cursor.fetchone()[0]:
                logger.info("summaries refresh skipped: another refresh holds the lock")
                return None
            for model, select in _statements():
                cursor.execute(f"DELETE FROM {_t(model)}")  # noqa: S608 - table names only
                cursor.execute(
                    f"INSERT INTO {_t(model)} ({_columns(model)}) {select}",  # noqa: S608
                    params,
                )
                rows += cursor.rowcount
                cursor.execute(f"ANALYZE {_t(model)}")  # fresh statistics for the planner
        seconds = round(time.monotonic() - started, 3)
        refresh, _ = facts.SummaryRefresh.objects.update_or_create(
            name=NAME,
            defaults={"refreshed_at": timezone.now(), "seconds": seconds, "rows": rows},
        )
    logger.info("summaries refreshed: rows=%s seconds=%s", rows, seconds)
    return refresh


def last_refresh() -> facts.SummaryRefresh | None:
    return facts.SummaryRefresh.objects.filter(name=NAME).first()
