"""Restricted records, masked the same way on every surface (issue 17, point 1).

A family or a person can be restricted to named people (a child at risk from an absent
parent, a member of staff's own family). Anyone else who meets the record - in a search, a
match, a household list, a case page, an API response, an export - sees only "a restricted
record: contact X", never a name, date of birth, household or postcode. A person is hidden
when the person is restricted, or when any household they belong to is restricted (a child of
a restricted household is as restricted as its address), unless the user is named on it.

Every surface asks this module, through one of:

- ``mask_people(user, people)`` / ``mask_families(user, families)``: set ``.restriction``
  (a ``Restriction``) on each object of an already loaded list, in two queries however long
  the list; templates test ``obj.restriction.hidden`` and print ``obj.restriction.contact``;
- ``restriction_for_person(user, person)`` / ``restriction_for_family(user, family)``: one
  record (uses ``.restriction`` when a list was masked already);
- ``person_hidden_q(user)`` / ``family_hidden_q(user)``: the same rule as a filter, for
  querysets that must leave hidden records out;
- ``shown_name(person)`` (after mask_people) and ``people_labels(user, ids)``: the name to
  print, for names built in code or copied into a record (attendance, signed-off labels);
- ``masked_person_data(data, restriction)``: an API representation with every identifying
  field emptied, so API fields stay the same shape.

Access scope (who may reach a record at all) stays in cases/access.py; restriction decides
what is shown of a record already in reach.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from cases.models import Family, FamilyMembership, Person
from cases.validators import ADDRESS_FIELDS

DEFAULT_CONTACT = "your team manager"
RESTRICTED_LABEL = "Restricted record"


@dataclass(frozen=True)
class Restriction:
    hidden: bool
    contact: str = ""

    @property
    def label(self) -> str:
        return f"{RESTRICTED_LABEL}: contact {self.contact}" if self.hidden else ""


VISIBLE = Restriction(hidden=False)


def _contact(text: str) -> str:
    return (text or "").strip() or DEFAULT_CONTACT


def _user_pk(user) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


def family_hidden_q(user, prefix: str = "") -> Q:
    """Families (or rows reaching a family through `prefix`) restricted and not naming user."""
    named = Family.named_people.through.objects.filter(
        family_id=OuterRef(f"{prefix}pk"), user_id=_user_pk(user)
    )
    return Q(**{f"{prefix}restricted": True}) & ~Q(Exists(named))


def person_hidden_q(user, prefix: str = "") -> Q:
    """People (or rows reaching a person through `prefix`) the user must not see in full."""
    named_person = Person.named_people.through.objects.filter(
        person_id=OuterRef(f"{prefix}pk"), user_id=_user_pk(user)
    )
    hidden_household = FamilyMembership.objects.filter(
        person_id=OuterRef(f"{prefix}pk"), family__restricted=True
    ).exclude(
        family_id__in=Family.named_people.through.objects.filter(user_id=_user_pk(user)).values(
            "family_id"
        )
    )
    return (Q(**{f"{prefix}restricted": True}) & ~Q(Exists(named_person))) | Q(
        Exists(hidden_household)
    )


def _naming(user, model, restricted_ids: set[int]) -> set[int]:
    """Of the restricted families or people `restricted_ids`, those that name `user`."""
    if not restricted_ids:
        return set()
    fk = f"{model._meta.model_name}_id"
    return set(
        model.named_people.through.objects.filter(
            user_id=_user_pk(user), **{f"{fk}__in": restricted_ids}
        ).values_list(fk, flat=True)
    )


def mask_families(user, families: Iterable[Family]) -> list[Family]:
    """Set `.restriction` on each family; one query for the whole list."""
    families = [f for f in families if f is not None]
    todo = [f for f in families if not hasattr(f, "restriction")]
    named = _naming(user, Family, {f.pk for f in todo if f.restricted})
    for family in todo:
        if family.restricted and family.pk not in named:
            family.restriction = Restriction(True, _contact(family.restricted_contact))
        else:
            family.restriction = VISIBLE
    return families


def mask_people(user, people: Iterable[Person]) -> list[Person]:
    """Set `.restriction` on each person; two queries for the whole list."""
    people = [p for p in people if p is not None]
    todo = [p for p in people if not hasattr(p, "restriction")]
    if not todo:
        return people
    ids = {p.pk for p in todo}
    named = _naming(user, Person, {p.pk for p in todo if p.restricted})
    household_contact: dict[int, str] = {}
    rows = (
        FamilyMembership.objects.filter(person_id__in=ids, family__restricted=True)
        .exclude(
            family_id__in=Family.named_people.through.objects.filter(user_id=_user_pk(user)).values(
                "family_id"
            )
        )
        .order_by("family_id")
        .values_list("person_id", "family__restricted_contact")
    )
    for person_id, contact in rows:
        household_contact.setdefault(person_id, contact)
    for person in todo:
        if person.restricted and person.pk not in named:
            person.restriction = Restriction(True, _contact(person.restricted_contact))
        elif person.pk in household_contact:
            person.restriction = Restriction(True, _contact(household_contact[person.pk]))
        else:
            person.restriction = VISIBLE
    return people


def mask_candidates(user, candidates, *, known_families=(), keep_family_id=None) -> None:
    """Matching (cases.matching.Candidate: .person, .families): mask the people, their
    households, and a household reached only through a hidden person, which would otherwise
    say where that person lives. The household the request is already linked to stays as it
    is, so matching never moves a request out of its officer's reach."""
    candidates = list(candidates)
    mask_people(user, [c.person for c in candidates])
    families = [f for c in candidates for f in c.families] + list(known_families)
    via_hidden = {f.pk for c in candidates if c.person.restriction.hidden for f in c.families}
    via_shown = {f.pk for c in candidates if not c.person.restriction.hidden for f in c.families}
    contact = {
        f.pk: c.person.restriction.contact
        for c in candidates
        if c.person.restriction.hidden
        for f in c.families
    }
    for family in families:
        if family.pk in via_hidden - via_shown and family.pk != keep_family_id:
            family.restriction = Restriction(True, contact[family.pk])
    mask_families(user, families)


def shown_name(person: Person) -> str:
    """The name a masked person (see mask_people) is shown by: theirs, or whom to contact."""
    restriction = getattr(person, "restriction", None)
    if restriction is None or restriction.hidden:
        return restriction.label if restriction else RESTRICTED_LABEL
    return person.full_name


def hidden_names(
    user, people: Iterable[Person], *, shown: Iterable[Person] = ()
) -> dict[str, str | None]:
    """{name: whom to contact} for the people hidden from `user`, for `redact` to hide in
    text: names written into a record when it was made ("Consent given by ...") and names
    people typed into notes ("Kai said he was scared").

    Each hidden person's full name; their last name alone, unless someone shown beside
    them (the others in `people`, or `shown`: a subject access request's subject) has the
    same last name: hiding that would take the shown person's own name out of the text;
    and their first name alone (a FirstName), on the same condition; their preferred and
    other names (_aliases): one of several words in any case, one word as a first name,
    unless someone shown is called the same. When anyone is
    hidden, the shown people's full names come too, mapped to None (left as written), so a
    hidden person's single name never cuts a shown person's full name in two ("Ann Lee"
    shown beside a hidden "Lee Smith"), which would also say what the hidden one is called.
    """
    people = mask_people(user, people)
    shown = [*shown, *(p for p in people if not p.restriction.hidden)]
    shown_first_names = {p.first_name.strip().casefold() for p in shown}
    shown_last_names = {p.last_name.strip().casefold() for p in shown}
    shown_words = (
        shown_first_names
        | shown_last_names
        | {name.casefold() for p in shown for name in _aliases(p)}
    )
    shown_full_names = {" ".join(p.full_name.split()).casefold() for p in shown}
    names: dict[str, str | None] = {}
    for person in people:
        if not person.restriction.hidden:
            continue
        label = person.restriction.label
        first_name, last_name = person.first_name.strip(), person.last_name.strip()
        if last_name and last_name.casefold() not in shown_last_names:
            names.pop(last_name, None)  # a last name matches in any case, even if a
            names[last_name] = label  # hidden first name is written the same
        if first_name and first_name.casefold() not in shown_first_names:
            names.setdefault(FirstName(first_name), label)
        if first_name:  # no first name: the full name is the last name
            names[person.full_name] = label
        for alias in _aliases(person):
            if len(alias.split()) > 1:  # a whole name, in any case
                if alias.casefold() not in shown_full_names:
                    names[alias] = label
            elif alias.casefold() not in shown_words:  # one word: as a first name
                names.setdefault(FirstName(alias), label)
    if names:
        hidden = {" ".join(name.split()).casefold() for name in names}
        for person in shown:
            full_name = " ".join(person.full_name.split())
            if len(full_name.split()) > 1 and full_name.casefold() not in hidden:
                names.setdefault(full_name, None)
    return names


def _aliases(person: Person) -> list[str]:
    """The other names a person goes by: the name they like to be called, and their
    previous or known-as names ("Kai Smith, KJ"), one by one, spaces folded."""
    written = [person.preferred_name, *re.split(r"[,;/]", person.other_names or "")]
    return [" ".join(name.split()) for name in written if name and name.strip()]


class FirstName(str):
    """A hidden person's first name alone, in hidden_names. Many first names are ordinary
    words (Will, May, Grace, Rose), so one of letters only matches only written capitalised
    ("Will", "WILL"), and "she will call" stays; one with a hyphen or apostrophe
    ("ann-marie") is no ordinary word and matches in any case. A sentence that starts with
    the ordinary word ("Will you call") still loses it: the safe side. Full names and last
    names match in any case, as before first names were hidden alone."""


def _name_pattern(name: str) -> str:
    words = name.split()
    if not isinstance(name, FirstName) or len(words) > 1:
        return r"\s+".join(re.escape(word) for word in words)
    first, upper = name[0], name[0].upper()
    if not name.isalpha() or len(upper) != 1 or upper == first.lower():
        return re.escape(name)
    return f"(?-i:{re.escape(upper)})" + re.escape(name[1:])


def redactor(names: dict[str, str | None]) -> Callable[[str], str]:
    """`redact` with its pattern compiled once, for many texts (a page of chronology)."""
    if not names:
        return lambda text: text
    # Longest first, so a full name goes whole before a single word of it could match.
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(f"(?P<n{i}>{_name_pattern(name)})" for i, name in enumerate(ordered))
        + r")(?![\w-])",
        re.IGNORECASE,
    )

    def replace(found: re.Match) -> str:
        label = names[ordered[int(found.lastgroup[1:])]]
        return found.group() if label is None else label

    return lambda text: pattern.sub(replace, text) if text else text


def redact(text: str, names: dict[str, str | None]) -> str:
    """Each of `names` (see hidden_names) replaced as a whole word or words by its label,
    or left as written when its label is None: "ann  LEE" is Ann Lee, "Ms Ann Lee" is Ms
    and Ann Lee, but "Ann Lee-Ward" and "Leeds" are not Lee, and "will" is not the first
    name Will (FirstName)."""
    return redactor(names)(text)


def redact_entries(entries: Iterable, names: dict[str, str | None]) -> list:
    """Chronology entries (not saved) with hidden people's names replaced in title and text,
    and in their corrections where the page read them (`correction_list`): a corrected note
    shows its corrections' text and reasons too."""
    entries = list(entries)
    if names:
        redact_text = redactor(names)
        for entry in entries:
            entry.title, entry.text = redact_text(entry.title), redact_text(entry.text)
            for correction in getattr(entry, "correction_list", ()):
                correction.text = redact_text(correction.text)
                correction.reason = redact_text(correction.reason)
    return entries


def people_labels(user, person_ids: Iterable[int]) -> dict[int, str]:
    """{person id: label} for the hidden ones among `person_ids` (two queries): for names
    copied into a record (an attendance row, a signed-off version's field labels)."""
    ids = {i for i in person_ids if i is not None}
    if not ids:
        return {}
    people = mask_people(user, Person.objects.filter(pk__in=ids))
    return {p.pk: p.restriction.label for p in people if p.restriction.hidden}


def restriction_for_person(user, person: Person) -> Restriction:
    if not hasattr(person, "restriction"):
        mask_people(user, [person])
    return person.restriction


def restriction_for_family(user, family: Family) -> Restriction:
    if not hasattr(family, "restriction"):
        mask_families(user, [family])
    return family.restriction


PERSON_IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "expected_date",
    "gender",
    "ethnicity",
    "disabilities",
    "sen_status",
    "nhs_number",
    "upn",
    "name",
)
FAMILY_IDENTITY_FIELDS = ("name", *ADDRESS_FIELDS, "district", "deprivation_decile")


def masked_data(data: dict, restriction: Restriction, fields: Iterable[str]) -> dict:
    """An API representation with the identifying fields emptied and the contact added.
    The keys stay (a field named in the API is a contract); the values say nothing."""
    masked = dict(data)
    for key in fields:
        if key in masked:
            masked[key] = None
    masked["restricted"] = restriction.hidden
    masked["restricted_contact"] = restriction.contact if restriction.hidden else None
    return masked


def masked_person_data(data: dict, restriction: Restriction) -> dict:
    if not restriction.hidden:
        return {**data, "restricted": False, "restricted_contact": None}
    return masked_data(data, restriction, PERSON_IDENTITY_FIELDS)


def masked_family_data(data: dict, restriction: Restriction) -> dict:
    if not restriction.hidden:
        return {**data, "restricted": False, "restricted_contact": None}
    masked = masked_data(data, restriction, FAMILY_IDENTITY_FIELDS)
    if "members" in masked:
        masked["members"] = []
    return masked
