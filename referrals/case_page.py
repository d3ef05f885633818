"""The requests behind a case, on the case page (issue 12, point 3: tell your story once).

Registered with cases/case_page.py in ReferralsConfig.ready(); shown to everyone who may
read the case (the case page's own access rule), so the lead professional reads what the
referrer said without asking the front door again."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from cases.case_page import Story
from cases.models import Need
from earlyhelp.compiled import STAND_IN, CompiledRead
from referrals.models import Referral

# What the section shows of each request (referrals/includes/case_requests.html): a request
# has some forty columns, its decision and decider more, and the case page reads them all.
_SHOWN = (
    "case_id",
    "received_at",
    "referrer_name",
    "referrer_agency__name",
    "worries",
    "working_well",
    "support_requested",
    "no_consent_reason",
    "step_down_summary",
    "decision__referral_id",
    "decision__outcome",
    "decision__rationale",
    "decision__decided_by__full_name",
)


# Compiled once per process (earlyhelp/compiled.py): every view of a case page reads it.
_CASE_REQUESTS = CompiledRead(
    lambda case_id: (
        Referral.objects.filter(case_id=case_id)
        .select_related("decision__decided_by", "referrer_agency")
        .only(*_SHOWN)
        .annotate(
            # the labels of its needs, in their list's order, read with the request
            need_labels=ArraySubquery(Need.objects.filter(referrals=OuterRef("pk")).values("label"))
        )
        .order_by("received_at", "pk")
    ),
    case_id=STAND_IN,
)


def case_page_section(case, user, today) -> dict:
    return {"case_requests": _CASE_REQUESTS.rows(case_id=case.pk)}


def case_stories(case) -> list[Story]:
    """The requests behind the case, in the order they came, as the assessment's starting
    point: what the referrer said (the worries, what is working well, the support that would
    help) and the needs they chose."""
    stories = []
    requests = (
        Referral.objects.filter(case=case)
        .select_related("referrer_agency")
        .prefetch_related("needs")
        .order_by("received_at", "pk")
    )
    for request in requests:
        received = f", received {request.received_at:%-d %B %Y}" if request.received_at else ""
        by = f" from {request.referrer_display}" if request.referrer_display else ""
        stories.append(
            Story(
                f"Request for support {request.reference}{received}{by}",
                (
                    ("What they are worried about", request.worries),
                    ("What is working well", request.working_well),
                    ("Support that would help", request.support_requested),
                    ("Social care's step-down summary", request.step_down_summary),
                ),
                tuple(n.pk for n in request.needs.all()),
            )
        )
    return stories
