from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = "Work trays"

    def ready(self):
        from cases import case_page
        from work import due

        case_page.register_due_dates(due.next_due_expressions)
