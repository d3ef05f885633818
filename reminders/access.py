"""Who may be told about which record, for many people at once (the reminder sweep).

The sweep may propose thousands of (person, record) pairs. Asking `cases_visible_to(user)`
once per person costs one query per member of staff (1,550 queries for the county). This
module reads the facts the rules need for every pair in a constant number of queries
(people, their districts, the cases, TAF grants, consent shares, named people, break glass,
the requests) and applies the rules of cases/access.py and referrals/access.py in memory.

The rules here must say exactly what those two modules say; tests/reminders/test_access.py
checks that for every role and situation against the querysets themselves, so a change to
one without the other fails a test.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from cases.access import TAF_PERMISSION
from cases.models import (
    BreakGlass,
    ConsentRecord,
    EarlyHelpCase,
    EarlyHelpCaseUserObjectPermission,
    Family,
)
from partners.models import AgencyKind, Role, User
from referrals.models import Referral, ReferralStatus


@dataclass(frozen=True, slots=True)
class _Person:
    pk: int
    role: str
    agency_id: int | None
    council_team: bool
    active: bool


def _people(user_ids: set[int]) -> dict[int, _Person]:
    rows = User.objects.filter(pk__in=user_ids).values_list(
        "pk", "role", "agency_id", "agency__kind", "is_active"
    )
    return {
        pk: _Person(pk, role, agency, kind == AgencyKind.EARLY_HELP_TEAM, active)
        for pk, role, agency, kind, active in rows
    }


def _districts(user_ids: set[int]) -> dict[int, set[int]]:
    through = User.districts.through
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, district_id in through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "district_id"
    ):
        found[user_id].add(district_id)
    return found


def visible_case_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (user id, case id) pairs where the user may read the case (cases_visible_to):
    seven queries at most, whatever the number of people or cases."""
    pairs = set(pairs)
    if not pairs:
        return set()
    user_ids = {u for u, _ in pairs}
    case_ids = {c for _, c in pairs}
    people = _people(user_ids)
    districts = _districts(user_ids)
    cases = {
        pk: (lead, agency, district, family, restricted)
        for pk, lead, agency, district, family, restricted in EarlyHelpCase.objects.filter(
            pk__in=case_ids
        ).values_list(
            "pk",
            "lead_professional_id",
            "lead_agency_id",
            "district_id",
            "family_id",
            "family__restricted",
        )
    }
    grants = set(
        EarlyHelpCaseUserObjectPermission.objects.filter(
            user_id__in=user_ids,
            content_object_id__in=case_ids,
            permission__codename=TAF_PERMISSION,
        ).values_list("user_id", "content_object_id")
    )
    shared: set[tuple[int, int]] = set()
    if grants:
        shared = set(
            ConsentRecord.shared_with.through.objects.filter(
                consentrecord__case_id__in={c for _, c in grants},
                consentrecord__withdrawn_on__isnull=True,
            ).values_list("consentrecord__case_id", "agency_id")
        )
    restricted_families = {row[3] for row in cases.values() if row[4]}
    named = set()
    if restricted_families:
        named = set(
            Family.named_people.through.objects.filter(
                family_id__in=restricted_families, user_id__in=user_ids
            ).values_list("user_id", "family_id")
        )
    glass: set[tuple[int, int]] = set()
    admins = {p.pk for p in people.values() if p.role == Role.ADMINISTRATOR}
    if admins:
        glass = set(
            BreakGlass.objects.filter(
                user_id__in=admins, expires_at__gt=timezone.now()
            ).values_list("user_id", "family_id")
        )

    def own(person: _Person, case_id: int, case) -> bool:
        lead, lead_agency, _, _, _ = case
        if lead == person.pk:
            return True
        if (person.pk, case_id) not in grants:
            return False
        return lead_agency == person.agency_id or (case_id, person.agency_id) in shared

    def in_scope(person: _Person, case_id: int, case) -> bool:
        _, lead_agency, district, family, _ = case
        role = person.role
        if role in (Role.PRACTITIONER, Role.FRONT_DOOR):
            return own(person, case_id, case)
        if role == Role.TEAM_MANAGER:
            if person.council_team:
                return district in districts[person.pk] or own(person, case_id, case)
            return (person.agency_id is not None and lead_agency == person.agency_id) or own(
                person, case_id, case
            )
        if role == Role.CONSULTANT:
            return district in districts[person.pk] or own(person, case_id, case)
        if role == Role.ADMINISTRATOR:
            return (person.pk, family) in glass
        return False

    allowed = set()
    for user_id, case_id in pairs:
        person, case = people.get(user_id), cases.get(case_id)
        if person is None or case is None or not person.active:
            continue
        if not in_scope(person, case_id, case):
            continue
        if case[4] and (user_id, case[3]) not in named:
            continue
        allowed.add((user_id, case_id))
    return allowed


def triage_reminder_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (user id, request id) pairs where the user may be reminded about triaging the
    request: referrals_visible_to, except that a partner agency's manager is never chased
    for triage (the council front door's work). Three queries at most."""
    pairs = set(pairs)
    if not pairs:
        return set()
    user_ids = {u for u, _ in pairs}
    people = _people(user_ids)
    districts = _districts(user_ids)
    referrals = {
        pk: (status, created_by, referrer, district)
        for pk, status, created_by, referrer, district in Referral.objects.filter(
            pk__in={r for _, r in pairs}
        ).values_list("pk", "status", "created_by_id", "referrer_user_id", "district_id")
    }
    allowed = set()
    for user_id, referral_id in pairs:
        person, referral = people.get(user_id), referrals.get(referral_id)
        if person is None or referral is None or not person.active:
            continue
        status, created_by, referrer, district = referral
        draft = status == ReferralStatus.DRAFT
        if draft and created_by != user_id:
            continue
        own = user_id in (created_by, referrer)
        in_districts = not draft and district in districts[user_id]
        role = person.role
        if role == Role.PRACTITIONER:
            seen = own
        elif role == Role.FRONT_DOOR or role == Role.CONSULTANT:
            seen = own or in_districts
        elif role == Role.TEAM_MANAGER:
            seen = person.council_team and (own or in_districts)
        else:
            seen = False
        if seen:
            allowed.add((user_id, referral_id))
    return allowed
