"""Identity matching, shared by the front door (referrals: a request's people) and a partner
starting early help with a family they know (cases.services.case_start_by_partner): one rule,
so neither makes a second record of someone already known."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q

from cases.models import Family, FamilyMembership, Person
from cases.validators import normalise_postcode

FUZZY_THRESHOLD = 0.3


@dataclass
class Described:
    """A person as someone described them (what candidates_for reads of a request's person)."""

    first_name: str
    last_name: str
    date_of_birth: object = None
    expected_date: object = None
    nhs_number: str = ""
    upn: str = ""


@dataclass
class Candidate:
    person: Person
    reason: str
    exact: bool
    score: float = 0.0
    families: list = field(default_factory=list)


def candidates_for(entry, postcode: str = "", limit: int = 5) -> list[Candidate]:
    """Existing people who may be `entry` (a request's person or a Described): exact
    identifiers first (NHS number, UPN), then trigram-similar names with the same date of
    birth or a household at the postcode."""
    found: dict[int, Candidate] = {}
    identifiers = Q()
    if entry.nhs_number:
        identifiers |= Q(nhs_number=entry.nhs_number)
    if entry.upn:
        identifiers |= Q(upn=entry.upn)
    if identifiers:
        # A record retired by a merge (records/merge.py) is never offered again.
        for person in Person.objects.filter(identifiers, merged_into__isnull=True)[:limit]:
            label = "NHS number" if person.nhs_number == entry.nhs_number else "UPN"
            found[person.pk] = Candidate(person, f"Same {label}", exact=True, score=3.0)
    born = entry.date_of_birth or entry.expected_date
    near = Q()
    if born:
        near |= Q(date_of_birth=born) | Q(expected_date=born)
    if postcode:
        near |= Q(memberships__family__postcode=normalise_postcode(postcode))
    if near:
        fuzzy = (
            Person.objects.filter(last_name__trigram_similar=entry.last_name)
            .filter(near, merged_into__isnull=True)
            .annotate(
                last_sim=TrigramSimilarity("last_name", entry.last_name),
                first_sim=TrigramSimilarity("first_name", entry.first_name),
            )
            .exclude(pk__in=list(found))
            .distinct()
            .order_by("-last_sim", "-first_sim", "pk")[: limit * 2]
        )
        for person in fuzzy:
            same_date = born is not None and born in (person.date_of_birth, person.expected_date)
            score = person.last_sim + person.first_sim + (1.0 if same_date else 0.0)
            if person.first_sim < FUZZY_THRESHOLD and not same_date:
                continue
            reason = (
                "Similar name, same date of birth" if same_date else "Similar name, same postcode"
            )
            found[person.pk] = Candidate(person, reason, exact=False, score=score)
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.person.pk))[:limit]
    _attach_families(ranked)
    return ranked


def _attach_families(candidates: list[Candidate]) -> None:
    if not candidates:
        return
    memberships = FamilyMembership.objects.filter(
        person__in=[c.person for c in candidates]
    ).select_related("family", "family__district")
    by_person: dict[int, list[Family]] = {}
    for m in memberships:
        by_person.setdefault(m.person_id, []).append(m.family)
    for c in candidates:
        c.families = by_person.get(c.person.pk, [])
