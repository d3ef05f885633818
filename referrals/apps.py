from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from cases import case_page
        from referrals.case_page import case_page_section, case_stories

        case_page.register_section(case_page_section)
        case_page.register_story(case_stories)
