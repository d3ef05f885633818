"""The quarterly report to the partnership board, as an accessible PDF (WeasyPrint).

Lancashire: indicators "will be published quarterly and reported to the Children, Young
People and Families' Partnership Board". The report shows the indicators for the quarter,
the trend against the four quarters before, and charts (the same SVG as the pages).
Strategic figures: small numbers suppressed, no names, whoever asks.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from reporting.charts import bar_chart
from reporting.indicators import (
    breakdowns_for,
    indicators_for,
    present_figure,
    present_figures,
    suppress,
    suppress_rows,
)
from reporting.selectors import Period, Scope

TREND_KEYS = [
    "requests_received",
    "re_referrals",
    "children_worked_with",
    "families_worked_with",
    "assessments_completed",
    "assessments_on_time",
    "reviews_on_time",
    "cases_closed",
    "closed_needs_met",
    "closed_consent_withdrawn",
    "step_up",
    "step_down",
    "qa_good_or_better",
]


def _flat(sections) -> dict:
    return {f.key: f for s in sections for f in s.figures}


def report_context(scope: Scope, period: Period, progress: Callable[[int], None] | None = None):
    """Everything the report shows. The board report is always suppressed: it is published
    to partners beyond those who may read records."""
    progress = progress or (lambda p: None)
    quarters = [*period.previous_quarters(4), period]
    by_quarter, current_sections = [], []
    for index, quarter in enumerate(quarters):
        current_sections = indicators_for(scope, quarter)
        by_quarter.append(_flat(current_sections))
        progress(int(80 * (index + 1) / len(quarters)))
    trend_rows = []
    labels = {k: f.label for k, f in by_quarter[-1].items()}
    for key in TREND_KEYS:
        cells = []
        for figures in by_quarter:
            shown = present_figure(figures[key], suppressed=True)
            cells.append(
                f"{shown['percentage']}%"
                if shown["denominator"] is not None and shown["percentage"] is not None
                else shown["value"]
            )
        trend_rows.append((labels[key], cells))
    sections = [
        {
            "title": s.title,
            "source": s.source,
            "figures": present_figures(s.figures, suppressed=True),
        }
        for s in current_sections
    ]
    trend_chart = bar_chart(
        "trend-children",
        "Children worked with, by quarter",
        [
            (q.quarter_label, suppress(f["children_worked_with"].value))
            for q, f in zip(quarters, by_quarter, strict=True)
        ],
    )
    request_chart = bar_chart(
        "trend-requests",
        "Requests for support received, by quarter",
        [
            (q.quarter_label, suppress(f["requests_received"].value))
            for q, f in zip(quarters, by_quarter, strict=True)
        ],
    )
    breakdown_charts = [
        bar_chart(
            f"breakdown-{b.key}",
            f"Children worked with by {b.title.lower()}",
            suppress_rows(b.rows, suppressed=True),
        )
        for b in breakdowns_for(scope, period)
    ]
    progress(90)
    return {
        "authority_name": settings.AUTHORITY_NAME,
        "period": period,
        "quarters": quarters,
        "trend_rows": trend_rows,
        "sections": sections,
        "charts": [trend_chart, request_chart],
        "breakdown_charts": breakdown_charts,
        "scope_description": scope.description if scope.district is None else scope.district.name,
        "generated_at": timezone.localtime(),
    }


def _static_only_fetcher():
    """WeasyPrint may read our own static files and nothing else (no network, no other
    files): STACK-NOTES 'restrict the URL fetcher to our own static files'."""
    from weasyprint.urls import URLFetcher

    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"Refused to fetch {url[:80]}")

    return StaticOnly()


def render_html(scope: Scope, period: Period, progress=None) -> str:
    return render_to_string("reporting/board_report.html", report_context(scope, period, progress))


def render_pdf(scope: Scope, period: Period, progress=None) -> bytes:
    from weasyprint import HTML

    html = render_html(scope, period, progress)
    base = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=_static_only_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1"
    )
