from django.apps import AppConfig


class EarlyhelpConfig(AppConfig):
    name = "earlyhelp"
    verbose_name = "Early help: audit trail and notifications"

    def ready(self):
        from earlyhelp import signals  # noqa: F401
