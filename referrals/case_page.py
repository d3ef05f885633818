"""The requests behind a case, on the case page (issue 12, point 3: tell your story once).

Registered with cases/case_page.py in ReferralsConfig.ready(); shown to everyone who may
read the case (the case page's own access rule), so the lead professional reads what the
referrer said without asking the front door again."""

from referrals.models import Referral


def case_page_section(case, user, today) -> dict:
    requests = list(
        Referral.objects.filter(case=case)
        .select_related("decision__decided_by", "referrer_agency")
        .prefetch_related("needs")
        .order_by("received_at", "pk")
    )
    return {"case_requests": requests}
