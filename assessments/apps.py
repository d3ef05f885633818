from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from assessments import presenters
        from cases import case_page

        case_page.register_section(presenters.case_page_section)
