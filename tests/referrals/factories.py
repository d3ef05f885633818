"""Requests for support in each meaningful state, built through the services."""

import datetime

from cases.codes import Relationship
from referrals import services
from referrals.models import FamilyConsent, Referral, Urgency

CHILD_DOB = datetime.date(2017, 6, 1)


def person(first="Lily", last="Marsh", relationship=Relationship.CHILD, dob=CHILD_DOB, **extra):
    return services.PersonEntry(
        first_name=first,
        last_name=last,
        relationship=relationship,
        date_of_birth=dob,
        **extra,
    )


def request_entry(
    *, district, agency=None, people=None, needs=(), **fields
) -> services.RequestEntry:
    base = {
        "district": district,
        "is_self_referral": False,
        "referrer_name": "Tom Barnes",
        "referrer_role": "Designated safeguarding lead",
        "referrer_agency": agency,
        "referrer_email": "tom@example.test",
        "referrer_phone": "01234 567890",
        "source": "2A",
        "address_line_1": "4 Mill Lane",
        "town": "Amberford",
        "postcode": "ZZ1 4AB",
        "worries": "Lily is often late and hungry.",
        "working_well": "Mum is keen to get help.",
        "family_consent": FamilyConsent.CONSENTED,
        "urgency": Urgency.ROUTINE,
        "significant_harm": False,
    }
    base.update(fields)
    return services.RequestEntry(
        fields=base,
        people=list(people)
        if people is not None
        else [
            person(),
            person("Dawn", relationship=Relationship.PARENT, dob=datetime.date(1990, 2, 3)),
        ],
        needs=list(needs),
    )


def submitted(*, by, district, **kwargs) -> Referral:
    return services.referral_submit(
        acting_user=by, entry=request_entry(district=district, agency=by.agency, **kwargs)
    )


def picked_up(*, by, officer, district, **kwargs) -> Referral:
    referral = submitted(by=by, district=district, **kwargs)
    return services.referral_pick_up(referral=referral, acting_user=officer)


def matched(*, by, officer, district, family=None, links=None, **kwargs) -> Referral:
    referral = picked_up(by=by, officer=officer, district=district, **kwargs)
    links = links or {}
    return services.referral_match_record(
        referral=referral,
        acting_user=officer,
        links={p.pk: links.get(p.pk) for p in referral.people.all()},
        family=family,
    )


def decided(
    referral: Referral, *, officer, level_of_need=2, rationale="Several agencies worried.", **kw
):
    """A matched request decided by the officer who picked it up (outcome, agency, case...
    as keyword arguments of referral_decide); the request, refreshed."""
    services.referral_decide(
        referral=referral,
        acting_user=officer,
        expected_version=referral.version,
        level_of_need=level_of_need,
        rationale=rationale,
        **kw,
    )
    referral.refresh_from_db()
    return referral
