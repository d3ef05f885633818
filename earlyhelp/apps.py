from django.apps import AppConfig
from django.utils.text import format_lazy

from earlyhelp.wording import term_lazy


class EarlyhelpConfig(AppConfig):
    name = "earlyhelp"
    verbose_name = format_lazy("{}: audit trail and notifications", term_lazy("Early help"))

    def ready(self):
        from earlyhelp import signals  # noqa: F401
