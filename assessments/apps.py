from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from assessments import presenters, services
        from cases import case_page
        from earlyhelp import events

        case_page.register_section(presenters.case_page_section)
        events.on("case_closed", services.on_case_closed)
