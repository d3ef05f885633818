"""Shapes reporting figures for templates: the caseload dashboard's tiles and charts, each
figure linked to the cases behind it, the drill-down rows and the indicators page."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from cases import restriction
from cases.models import LevelOfNeed
from earlyhelp.wording import term
from reporting import indicators
from reporting.charts import bar_chart
from reporting.models import ExportKind


def case_url(case) -> str:
    """The case page if the casework app has one, else the family page."""
    try:
        return reverse("case_detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("family_detail", args=[case.family_id])


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


class _Links:
    """Links from a dashboard figure to the cases or requests behind it, in the same scope."""

    def __init__(self, scope):
        self.base = {
            "district": scope.district.pk if scope.district else None,
            "agency": scope.agency.pk if scope.agency else None,
        }
        self.cases_url = reverse("dashboard_cases")
        self.referrals_url = reverse("dashboard_referrals")
        self._cases_prefix = {}

    def cases(self, figure="open", **extra) -> str:
        # The figure and scope part is encoded once per figure: a whole authority's chart of
        # caseloads links each of a thousand or more workers, and urlencode was a tenth of
        # the page's time. The same string as _query(figure=..., **base, **extra).
        prefix = self._cases_prefix.get(figure)
        if prefix is None:
            prefix = self._cases_prefix[figure] = _query(figure=figure, **self.base)
        rest = _query(**extra)
        return f"{self.cases_url}?{prefix}&{rest}" if rest else f"{self.cases_url}?{prefix}"

    def referrals(self, **extra) -> str:
        return f"{self.referrals_url}?{_query(**extra, **self.base)}"


def _caseload_charts(load: dict, links: _Links) -> dict:
    link = links.cases
    return {
        "level": bar_chart(
            "chart-level",
            "Open cases by level of need",
            [(label, n, link(level=code)) for code, label, n in load["by_level"]],
        ),
        "worker": bar_chart(
            "chart-worker",
            f"Open cases by {term('lead professional')} (caseload per worker)",
            [
                (
                    r["lead_professional__full_name"] or "Awaiting allocation",
                    r["n"],
                    link(worker=r["lead_professional_id"]) if r["lead_professional_id"] else "",
                )
                for r in load["by_worker"]
            ],
        ),
        "agency": bar_chart(
            "chart-agency",
            "Open cases by lead agency",
            [
                (r["lead_agency__name"], r["n"], link(lead_agency=r["lead_agency_id"]))
                for r in load["by_agency"]
            ],
        ),
        "district": bar_chart(
            "chart-district",
            "Open cases by district",
            [
                (r["district__name"], r["n"], link(in_district=r["district_id"]))
                for r in load["by_district"]
            ],
        ),
    }


def _caseload_tiles(load: dict, links: _Links) -> list[tuple]:
    """(label, figure, link, is a warning) for each tile across the top of the dashboard."""
    link = links.cases
    return [
        ("Open cases", load["total"], link(), False),
        (
            "Assessments due in the next 10 working days",
            load["assessments_due"],
            link("assessments_due"),
            False,
        ),
        ("Assessments overdue", load["assessments_overdue"], link("assessments_overdue"), True),
        ("First TAF meetings overdue", load["first_taf_overdue"], link("first_taf_overdue"), True),
        (
            "Reviews due in the next 10 working days",
            load["reviews_due"],
            link("reviews_due"),
            False,
        ),
        ("Reviews overdue", load["reviews_overdue"], link("reviews_overdue"), True),
        ("Requests waiting for triage", load["triage_waiting"], links.referrals(), False),
        (
            "Requests past their triage target",
            load["triage_overdue"],
            links.referrals(overdue=1),
            True,
        ),
    ]


def caseload_dashboard(scope, load: dict, timely: dict) -> dict:
    """The caseload dashboard's tiles, charts and decision timeliness."""
    links = _Links(scope)
    return {
        "load": load,
        "tiles": _caseload_tiles(load, links),
        # Drawn only when the page's cached charts are not there to use (dashboard.html's
        # {% cache %}): a whole authority's caseload chart links a thousand workers.
        "charts": SimpleLazyObject(lambda: _caseload_charts(load, links)),
        "timely": timely,
        "timely_percentage": round(100 * timely["on_time"] / timely["decided"], 1)
        if timely["decided"]
        else None,
    }


def cases_behind(user, cases: list, *, figure: str, level: int | None, params: dict) -> dict:
    """The cases behind a dashboard figure, each with its link; a restricted family shows
    'Restricted record: contact X' to anyone not named on it (cases.restriction)."""
    restriction.mask_families(user, [case.family for case in cases])
    return {
        "title": indicators.FIGURES[figure],
        "refinements": [f"level of need: {LevelOfNeed.label_for(level)}"] if level else [],
        "rows": [(case, case_url(case)) for case in cases],
        "export_kinds": [
            (ExportKind.CASES_CSV, "Download as CSV"),
            (ExportKind.CASES_XLSX, "Download as Excel"),
        ],
        "export_params": {**{k: v for k, v in params.items() if k != "page"}, "figure": figure},
    }


def shown_sections(sections, *, suppressed: bool) -> list[dict]:
    """Indicator sections with their figures as shown (page and API alike)."""
    return [
        {
            "key": s.key,
            "title": s.title,
            "source": s.source,
            "figures": indicators.present_figures(s.figures, suppressed=suppressed),
        }
        for s in sections
    ]


def indicators_page(scope, sections, breakdowns) -> dict:
    """The indicator sections and breakdown charts as this viewer may see them: small numbers
    suppressed for aggregate-only viewers."""
    return {
        "sections": shown_sections(sections, suppressed=scope.suppress),
        "breakdown_charts": [
            bar_chart(
                f"breakdown-{b.key}",
                f"Children worked with by {b.title[0].lower()}{b.title[1:]}",
                indicators.suppress_rows(b.rows, suppressed=scope.suppress),
            )
            for b in breakdowns
        ],
    }


def case_page_section(case, user, today) -> dict:
    """The case's children's requests for an EHC needs assessment and exclusions, newest
    first, in one query; none for a child whose record is restricted from this user."""
    from reporting.models import EducationEvent

    events = (
        EducationEvent.objects.filter(person_id__in=case.child_ids)
        .exclude(restriction.person_hidden_q(user, prefix="person__"))
        .select_related("person")
        .order_by("-occurred_on", "person__first_name")
    )
    return {"education_events": list(events) if case.child_ids else []}
