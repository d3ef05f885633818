"""The programme's facts for the cohort dashboard, rebuilt with the reporting summaries
(reporting/summaries/refresh.py; registered in outcomes.apps). Each SELECT states the same
rule as the live count in outcomes/selectors.py; tests/outcomes/test_summaries.py proves the
dashboard is the same from either after every kind of change."""

from assessments.models import Assessment, AssessmentVersion, FamilyPlan
from cases.models import EarlyHelpCase, Family
from outcomes import models
from outcomes.selectors import MADE, PASSED
from reporting.summaries.refresh import table_name as _t


def _listed(statuses) -> str:
    """Claim statuses (constants of the code, never input) as an SQL list."""
    return ", ".join(f"'{status}'" for status in statuses)


def statements() -> list[tuple[type, str]]:
    case, family = _t(EarlyHelpCase), _t(Family)
    episode, plan_version = _t(models.ProgrammeEpisode), _t(models.OutcomesPlanVersion)
    claim, need, headline = _t(models.Claim), _t(models.FamilyNeed), _t(models.HeadlineOutcome)
    assessment, version, plan = _t(Assessment), _t(AssessmentVersion), _t(FamilyPlan)
    network = _t(models.FamilyNetworkMeeting)
    return [
        (
            models.ProgrammeFact,
            f"""
            SELECT CASE_COLUMNS, e.id, e.case_id, e.family_hub_id,
                   e.needs_count >= pv.min_needs
                   AND c.lead_professional_id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM {version} v JOIN {assessment} a
                               ON a.id = v.assessment_id WHERE a.case_id = e.case_id)
                   AND EXISTS (SELECT 1 FROM {plan} p WHERE p.case_id = e.case_id),
                   e.claim_status, e.ready_on,
                   COALESCE(cl.made, 0), COALESCE(cl.passed, 0)
            FROM {episode} e JOIN {plan_version} pv ON pv.id = e.plan_id
            JOIN {case} c ON c.id = e.case_id JOIN {family} f ON f.id = c.family_id
            LEFT JOIN (
                SELECT episode_id,
                       COUNT(*) FILTER (WHERE status IN ({_listed(MADE)})) AS made,
                       COUNT(*) FILTER (WHERE status IN ({_listed(PASSED)})) AS passed
                FROM {claim} GROUP BY episode_id
            ) cl ON cl.episode_id = e.id
            """,  # noqa: S608 - table names from the models, statuses from the code
        ),
        (
            models.NeedFact,
            f"""
            SELECT CASE_COLUMNS, n.id, e.case_id, n.headline_id, n.status,
                   n.significant_since + h.sustain_days
            FROM {need} n JOIN {headline} h ON h.id = n.headline_id
            JOIN {episode} e ON e.id = n.episode_id
            JOIN {case} c ON c.id = e.case_id JOIN {family} f ON f.id = c.family_id
            """,  # noqa: S608 - table names from the models
        ),
        (
            models.NetworkFact,
            f"""
            SELECT CASE_COLUMNS, c.id
            FROM {case} c JOIN {family} f ON f.id = c.family_id
            WHERE EXISTS (SELECT 1 FROM {network} m WHERE m.case_id = c.id)
            """,  # noqa: S608 - table names from the models
        ),
    ]
