"""Demo county: the reporting summaries built once, as beat would, so the dashboards and
indicators show "Figures as at ..." from the first sign-in."""

from reporting.summaries.refresh import summaries_refresh


def load_demo_summaries() -> None:
    summaries_refresh()
