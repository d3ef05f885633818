from django.apps import AppConfig


class SummariesConfig(AppConfig):
    """Summary tables behind the indicators and dashboards (ADR 0010), part of reporting."""

    name = "reporting.summaries"
    label = "summaries"
    verbose_name = "Reporting summaries"
