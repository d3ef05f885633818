from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Supervision and consultations"

    def ready(self):
        from cases import case_page
        from oversight import presenters

        case_page.register_section(presenters.case_page_section)
