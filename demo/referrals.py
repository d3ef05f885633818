"""Synthetic requests for support for the demo county, in every state, through the services
(so history, audit and notifications are real). Called by earlyhelp's load_demo_county."""

import datetime
import random

from django.utils import timezone

from cases.codes import Relationship
from cases.models import Need
from demo import synthetic as demo
from partners.models import AgencyKind, District, Role, User
from referrals import services
from referrals.models import (
    SOURCE_FOR_AGENCY_KIND,
    Channel,
    ClosedReason,
    FamilyConsent,
    Outcome,
    Referral,
    Urgency,
)

WORRIES = [
    "{c} is often late to school and seems hungry. Attendance is 82% this term.",
    "{c}'s speech is behind for their age and the family has just moved here.",
    "Mum has told us she is struggling with low mood since the baby was born.",
    "There have been arguments at home that {c} says frighten them.",
    "The family is in rent arrears and has had an eviction notice.",
    "{c} has been excluded twice this year and was seen with older teenagers late at night.",
]
WORKING_WELL = [
    "Mum is open with us and wants help.",
    "{c} has a good relationship with their class teacher.",
    "Grandparents live nearby and help with school runs.",
]


def _people(rng: random.Random, today: datetime.date) -> list[services.PersonEntry]:
    last = rng.choice(demo.LAST_NAMES)
    people = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        age_days = rng.randint(200, 16 * 365)
        people.append(
            services.PersonEntry(
                first_name=rng.choice(demo.FIRST_NAMES_F + demo.FIRST_NAMES_M),
                last_name=last,
                relationship=Relationship.CHILD,
                date_of_birth=today - datetime.timedelta(days=age_days),
                nhs_number=demo.nhs_number(rng) if rng.random() < 0.5 else "",
            )
        )
    people.append(
        services.PersonEntry(
            first_name=rng.choice(demo.FIRST_NAMES_F),
            last_name=last,
            relationship=Relationship.PARENT,
            date_of_birth=today - datetime.timedelta(days=rng.randint(22 * 365, 45 * 365)),
        )
    )
    return people


def load_demo_referrals(
    rng: random.Random, *, count: int = 60, today: datetime.date | None = None
) -> list[Referral]:
    """About `count` requests across the districts the demo front door covers: new, picked
    up, matched, decided with every outcome, withdrawn, duplicate, and step downs.

    Needs the demo county's users and agencies (frontdoor@demo.test, teacher@demo.test, ...)
    to exist already; returns the requests made.
    """
    today = today or timezone.localdate()
    officer = User.objects.filter(role=Role.FRONT_DOOR, is_active=True).order_by("pk").first()
    if officer is None:
        return []
    districts = list(officer.districts.order_by("pk")) or list(District.objects.all()[:1])
    referrers = list(
        User.objects.filter(role=Role.PRACTITIONER, is_active=True)
        .exclude(agency__kind=AgencyKind.SOCIAL_CARE)
        .filter(districts__in=districts)
        .select_related("agency")
        .distinct()
        .order_by("pk")
    ) or [officer]
    social = list(
        User.objects.filter(agency__kind=AgencyKind.SOCIAL_CARE, is_active=True).order_by("pk")
    )
    needs = list(Need.objects.filter(active=True))
    made = []
    for i in range(count):
        district = districts[i % len(districts)]
        step_down = bool(social) and i % 12 == 11
        by = social[0] if step_down else rng.choice(referrers)
        children = _people(rng, today)
        first_child = children[0].first_name
        consent = rng.choice([FamilyConsent.CONSENTED] * 5 + [FamilyConsent.NOT_AWARE])
        entry = services.RequestEntry(
            fields={
                "district": district,
                "is_self_referral": False,
                "referrer_name": by.full_name,
                "referrer_role": by.job_title,
                "referrer_agency": by.agency,
                "referrer_email": by.email,
                "source": "",
                "address_line_1": f"{rng.randint(1, 180)} {rng.choice(demo.STREETS)}",
                "town": district.name,
                "postcode": demo.postcode(
                    rng,
                    demo.DISTRICTS.index(district.name) if district.name in demo.DISTRICTS else 0,
                ),
                "worries": rng.choice(WORRIES).format(c=first_child),
                "working_well": rng.choice(WORKING_WELL).format(c=first_child),
                "family_consent": consent,
                "no_consent_reason": ""
                if consent == FamilyConsent.CONSENTED
                else "Asking now could put the children at risk; discussed with our DSL.",
                "urgency": Urgency.URGENT if rng.random() < 0.25 else Urgency.ROUTINE,
                "significant_harm": i % 17 == 3,
                "step_down_summary": "Child in need plan closed (RC9). Family agreed to early "
                "help for school attendance and routines."
                if step_down
                else "",
            },
            people=children,
            needs=rng.sample(needs, k=min(len(needs), rng.randint(1, 4))),
        )
        entry.fields["source"] = SOURCE_FOR_AGENCY_KIND.get(by.agency.kind, "8")
        channel = Channel.STEP_DOWN if step_down else rng.choice([Channel.WEB] * 3 + [Channel.API])
        referral = services.referral_submit(acting_user=by, entry=entry, channel=channel)
        # Spread receipt over the last fortnight so the queue shows age and overdue requests.
        received = timezone.now() - datetime.timedelta(hours=rng.randint(1, 14 * 24))
        Referral.objects.filter(pk=referral.pk).update(
            received_at=received, due_on=services.triage_due_on(received, referral.urgency)
        )
        referral.refresh_from_db()
        made.append(_advance(rng, referral, officer, i, made[-1] if made else None))
    return made


def _advance(rng: random.Random, referral: Referral, officer, i: int, previous) -> Referral:
    """Move a request on: a third stay new, some are picked up or closed, most are decided."""
    stage = i % 9
    if stage in (0, 1, 2) or not officer.districts.filter(pk=referral.district_id).exists():
        return referral
    if stage == 3:
        duplicate = previous if (i % 2 and previous is not None) else None
        services.referral_close(
            referral=referral,
            acting_user=officer,
            reason=ClosedReason.DUPLICATE if duplicate else ClosedReason.WITHDRAWN,
            note="Sent twice by the school office."
            if duplicate
            else "The referrer withdrew the request: the family moved away.",
            duplicate_of=duplicate,
        )
        return referral
    referral = services.referral_pick_up(referral=referral, acting_user=officer)
    if stage == 4:
        return referral
    referral = services.referral_match_record(
        referral=referral,
        acting_user=officer,
        links={p.pk: None for p in referral.people.all()},
        family=None,
    )
    outcome = {
        5: Outcome.SIGNPOSTING if i % 2 else Outcome.NO_FURTHER_ACTION,
        6: Outcome.UNIVERSAL_PLUS,
        7: Outcome.TARGETED,
        8: Outcome.STEP_UP if referral.possible_step_up or i % 2 else Outcome.TARGETED,
    }[stage]
    agency, lead, level = None, None, 1
    if outcome == Outcome.UNIVERSAL_PLUS:
        # The referrer's agency, when it is a partner Universal Plus is allocated to.
        partners = services.partner_agencies_for(referral).order_by("pk")
        agency = partners.filter(pk=referral.referrer_agency_id).first() or partners.first()
        level = 2
        if agency is not None:
            lead = services.eligible_leads(agency).order_by("pk").first()
    elif outcome == Outcome.TARGETED:
        agency, level = services.district_teams(referral.district).order_by("pk").first(), 3
        staff = list(services.eligible_leads(agency).order_by("pk")) if agency else []
        if staff and rng.random() < 0.6:
            lead = rng.choice(staff)
    elif outcome == Outcome.STEP_UP:
        level = 4
    if outcome in (Outcome.UNIVERSAL_PLUS, Outcome.TARGETED) and agency is None:
        outcome, level = Outcome.SIGNPOSTING, 1
    services.referral_decide(
        referral=referral,
        acting_user=officer,
        expected_version=referral.version,
        level_of_need=level,
        outcome=outcome,
        rationale="Threshold applied with the continuum of need; discussed with the referrer.",
        allocated_agency=agency,
        lead_professional=lead,
        signposted_to="Family hub stay and play; Citizens Advice debt clinic"
        if outcome == Outcome.SIGNPOSTING
        else "",
    )
    return referral
