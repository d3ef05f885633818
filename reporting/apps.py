from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from cases import case_page
        from reporting import presenters

        case_page.register_section(presenters.case_page_section)
