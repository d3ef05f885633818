from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Family outcomes (Supporting Families / Families First)"

    def ready(self):
        # The cohort dashboard's facts are rebuilt with the reporting summaries.
        from outcomes.summaries import statements
        from reporting.summaries.refresh import contribute

        contribute(statements)
