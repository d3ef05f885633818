"""Keeping people and families true: every correction, birth, household change, move and
restriction goes through a function here. Pages (cases/upkeep_views.py) and the API
(cases/api.py, PATCH) call the same functions, so they check the same rules.

Each function checks the rules, makes the whole change in one transaction, refuses a stale
`lock_version` (EditConflict: two people editing at once never overwrite each other),
writes a RecordChange row (the history shown on the record: changed by, when, from, to)
and an audit row with the old and new values.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases import access, eligibility
from cases.codes import Disability, Ethnicity, Gender, Relationship, SenStatus
from cases.models import (
    ChronologyKind,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    FirstLanguage,
    Person,
    RecordChange,
)
from cases.validators import (
    ADDRESS_FIELDS,
    NHS_NUMBER_MESSAGE,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    postcode_error,
    upn_is_valid,
)
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError, EditConflict
from earlyhelp.forms import not_a_real_date, the_thing
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from partners.models import District

MAX_AGE = 120


class RecordErrors(DomainError):
    """Input that breaks a rule, field by field ({field: message}); nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(message) for message in errors.values()))
        self.errors = errors


CONFLICT = (
    "Someone else saved changes to this record after you opened it. Nothing you typed has "
    "been saved: check their changes below, then make yours again."
)


# --- checking input --------------------------------------------------------------------------

TEXT_LIMITS = {
    "first_name": ("First name", 100),
    "last_name": ("Last name", 100),
    "preferred_name": ("Preferred name", 100),
    "other_names": ("Other names", 200),
    "interpreter_notes": ("Interpreter needs", 200),
    "name": ("Household name", 150),
    "address_line_1": ("Address line 1", 200),
    "address_line_2": ("Address line 2", 200),
    "town": ("Town or city", 100),
    # Longer than any postcode, so a wrong one gets the format message, not a length one.
    "postcode": ("Postcode", 100),
    "moved_to": ("The authority they moved to", 150),
    "contact": ("The contact", 200),
}


def _text(data: dict, name: str, errors: dict, *, required: bool = False) -> str | None:
    if name not in data:
        return None
    label, limit = TEXT_LIMITS[name]
    value = (data.get(name) or "").strip()
    if required and not value:
        errors[name] = f"Enter {the_thing(label)}"
    elif len(value) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer; you entered {len(value):,}"
    return value


def _choice(data: dict, name: str, choices, label: str, errors: dict) -> str | None:
    if name not in data:
        return None
    value = data.get(name) or ""
    valid = choices.values if isinstance(choices, type) else choices()
    if value not in valid:
        errors[name] = f"Choose the {label} from the list"
    return value


def _date(data: dict, name: str, errors: dict, label: str) -> datetime.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = not_a_real_date(f"the {label}")
        return None


def date_of_birth_error(born: datetime.date, today: datetime.date) -> str | None:
    """What is wrong with a born person's date of birth: after today, or more than MAX_AGE
    years ago. None: nothing."""
    if born > today:
        return "Date of birth must be today or in the past"
    if today.year - born.year > MAX_AGE:
        return f"Date of birth must be a real date in the last {MAX_AGE} years"
    return None


def check_date_of_birth(born: datetime.date) -> None:
    """date_of_birth_error as a field's validator, for the forms and (DRF turns Django's
    ValidationError into its own) the API alike."""
    error = date_of_birth_error(born, timezone.localdate())
    if error:
        raise ValidationError(error)


def clean_person(
    person: Person, data: dict, *, today: datetime.date, is_child: bool | None = None
) -> dict:
    """The fields of `data` that are present, checked and normalised; RecordErrors if any
    breaks a rule. Names keep every accent, apostrophe and script as typed."""
    errors: dict[str, str] = {}
    clean: dict = {}
    for name in ("first_name", "last_name", "preferred_name", "other_names", "interpreter_notes"):
        value = _text(data, name, errors, required=name == "first_name")
        if value is not None:
            clean[name] = value
    for name, choices, label in (
        ("gender", Gender, "gender"),
        ("ethnicity", Ethnicity, "ethnicity"),
        ("first_language", FirstLanguage.codes, "first language"),
        ("sen_status", SenStatus, "SEN status"),
    ):
        value = _choice(data, name, choices, label, errors)
        if value is not None:
            clean[name] = value
    if "disabilities" in data:
        codes = [c for c in (data.get("disabilities") or []) if c]
        if any(c not in Disability.values for c in codes):
            errors["disabilities"] = "Choose disabilities from the list"
        elif Disability.NONE in codes and len(codes) > 1:
            errors["disabilities"] = "Choose 'No disability' or the disabilities, not both"
        else:
            clean["disabilities"] = sorted(set(codes), key=Disability.values.index)
    for name in ("interpreter_needed", "care_leaver"):
        if name in data:
            clean[name] = bool(data.get(name))
    if "date_of_birth" in data:
        born = _date(data, "date_of_birth", errors, "date of birth")
        if "date_of_birth" not in errors:
            if person.is_unborn and born is not None:
                errors["date_of_birth"] = (
                    "This child is not born yet. Use 'Record the birth' to give their date of birth"
                )
            elif not person.is_unborn and born is None:
                errors["date_of_birth"] = "Enter the date of birth"
            elif born and date_of_birth_error(born, today):
                errors["date_of_birth"] = date_of_birth_error(born, today)
            elif born:
                clean["date_of_birth"] = born
    if "expected_date" in data:
        expected = _date(data, "expected_date", errors, "expected date of delivery")
        if "expected_date" not in errors:
            if not person.is_unborn:
                if expected is not None:
                    errors["expected_date"] = "Only an unborn child has an expected date"
            elif expected is None:
                errors["expected_date"] = "Enter the expected date of delivery"
            elif expected < today - datetime.timedelta(days=60):
                errors["expected_date"] = (
                    "The expected date is more than 2 months ago. If the baby has been born, "
                    "record the birth instead"
                )
            elif expected > today + datetime.timedelta(days=300):
                errors["expected_date"] = "The expected date must be within the next 43 weeks"
            else:
                clean["expected_date"] = expected
    if "nhs_number" in data:
        nhs = normalise_nhs_number(data.get("nhs_number") or "")
        if nhs and not nhs_number_is_valid(nhs):
            errors["nhs_number"] = NHS_NUMBER_MESSAGE
        elif nhs and Person.objects.filter(nhs_number=nhs).exclude(pk=person.pk).exists():
            errors["nhs_number"] = (
                "This NHS number is already on another person's record. If they are the same "
                "person, ask a team manager to merge the two records"
            )
        clean["nhs_number"] = nhs or None
    if "upn" in data:
        upn = (data.get("upn") or "").replace(" ", "").upper()
        if upn and not upn_is_valid(upn):
            errors["upn"] = (
                "Enter a valid unique pupil number: a check letter then 12 characters, like "
                "P801200120002"
            )
        elif upn and Person.objects.filter(upn=upn).exclude(pk=person.pk).exists():
            errors["upn"] = "This unique pupil number is already on another person's record"
        clean["upn"] = upn or None
    if is_child is None:
        is_child = person.pk is not None and _is_child(person)
    # Eligibility is checked when a change to age or needs would make a child ineligible; a
    # record that is already so (a young person who turned 18 during the case) can still be
    # corrected in other ways.
    eligibility_fields = ("date_of_birth", "sen_status", "disabilities", "care_leaver")
    changing = [
        f for f in eligibility_fields if f in clean and clean[f] != getattr(person, f, None)
    ]
    if not errors and is_child and (changing or person.pk is None):
        merged = {f: clean.get(f, getattr(person, f)) for f in eligibility_fields}
        problem = eligibility.over_18_problem(**merged, today=today)
        if problem:
            field = (
                "date_of_birth"
                if "date_of_birth" in changing
                else changing[0]
                if changing
                else "date_of_birth"
            )
            errors[field] = problem
    if errors:
        raise RecordErrors(errors)
    return clean


def _is_child(person: Person) -> bool:
    return person.memberships.filter(relationship=Relationship.CHILD).exists()


def _display(person_or_family, name: str, value) -> str:
    """A value as a reader of the history sees it (labels, not codes)."""
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        return ", ".join(Disability(v).label for v in value)
    if isinstance(value, District):
        return value.name
    if name == "first_language":
        return FirstLanguage.label_for(value)
    field = type(person_or_family)._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _label(model, name: str) -> str:
    field = model._meta.get_field(name)
    return str(field.verbose_name)[0].upper() + str(field.verbose_name)[1:]


def _apply(record, clean: dict) -> dict[str, list[str]]:
    """Set the changed fields on `record`; {label: [from, to]} of what changed."""
    changed: dict[str, list[str]] = {}
    for name, new in clean.items():
        old = getattr(record, name)
        if old == new:
            continue
        changed[_label(type(record), name)] = [
            _display(record, name, old),
            _display(record, name, new),
        ]
        setattr(record, name, new)
    return changed


def _locked(model, record, lock_version: int | None):
    """Re-read `record` under a row lock and refuse a stale lock_version."""
    current = model.objects.select_for_update().get(pk=record.pk)
    if lock_version is None or int(lock_version) != current.lock_version:
        raise EditConflict(CONFLICT)
    return current


def history_add(record: Person | Family, *, acting_user, summary: str, changes: dict):
    """A line in the record's history (the RecordChange rows shown on it), as the people
    who keep the record read it."""
    return RecordChange.objects.create(
        **{record._meta.model_name: record},
        summary=summary[:200],
        changes=changes,
        changed_by=acting_user,
    )


def _save_change(
    record: Person | Family,
    summary: str,
    changes: dict,
    *,
    acting_user,
    request,
    reason: str = "",
    fields: tuple[str, ...] | None = None,
) -> None:
    """Save `record` (only `fields`, if given) with a new lock_version, so anyone still
    editing the old one is told, and write the change in the record's history and in the
    audit trail (who changed what, from where)."""
    record.lock_version += 1
    record.save(update_fields=None if fields is None else [*fields, "lock_version", "updated_at"])
    history_add(record, acting_user=acting_user, summary=summary, changes=changes)
    audit_change(record, by=acting_user, request=request, changes=changes, reason=reason)


def _chronology_on_open_cases(family_id: int, *, title: str, acting_user, text: str = "") -> None:
    from cases.services import chronology_add

    for case in EarlyHelpCase.objects.filter(family_id=family_id).exclude(status="closed"):
        chronology_add(
            case=case, kind=ChronologyKind.STATUS, title=title, text=text, author=acting_user
        )


# --- people ------------------------------------------------------------------------------------


@transaction.atomic
def person_update(
    *, person: Person, acting_user, lock_version: int | None, data: dict, request=None
) -> Person:
    """Correct or add to a person's record: names, dates, codes, identifiers, needs."""
    current = _locked(Person, person, lock_version)
    clean = clean_person(current, data, today=timezone.localdate())
    changed = _apply(current, clean)
    if changed:
        _save_change(
            current,
            "Details corrected" if len(changed) > 1 else f"{next(iter(changed))} changed",
            changed,
            acting_user=acting_user,
            request=request,
        )
    return current


@transaction.atomic
def birth_record(
    *,
    person: Person,
    date_of_birth: datetime.date | None,
    gender: str,
    first_name: str = "",
    acting_user,
    lock_version: int | None,
    request=None,
) -> Person:
    """An unborn child is born: the expected date gives way to the date of birth."""
    current = _locked(Person, person, lock_version)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not current.is_unborn:
        raise DomainError(f"{current.full_name}'s birth is already recorded.")
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter the date of birth"
    elif date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    elif current.expected_date and date_of_birth < current.expected_date - datetime.timedelta(
        days=26 * 7
    ):
        errors["date_of_birth"] = (
            "The date of birth is more than 26 weeks before the expected date. Check the date"
        )
    if gender not in Gender.values:
        errors["gender"] = "Choose the baby's gender, or 'Not recorded'"
    name = _text({"first_name": first_name}, "first_name", errors)
    if errors:
        raise RecordErrors(errors)
    changed = {
        "Expected date": [_display(current, "expected_date", current.expected_date), ""],
        "Date of birth": ["", _display(current, "date_of_birth", date_of_birth)],
    }
    if gender != current.gender:
        changed["Gender"] = [current.get_gender_display(), Gender(gender).label]
    if name and name != current.first_name:
        changed["First name"] = [current.first_name, name]
        current.first_name = name
    current.expected_date = None
    current.date_of_birth = date_of_birth
    current.gender = gender
    _save_change(current, "Birth recorded", changed, acting_user=acting_user, request=request)
    for family_id in current.memberships.values_list("family_id", flat=True):
        _chronology_on_open_cases(
            family_id, title="A baby's birth was recorded", acting_user=acting_user
        )
    return current


# --- families ----------------------------------------------------------------------------------


def clean_address(data: dict) -> dict:
    errors: dict[str, str] = {}
    clean = {}
    for name in ADDRESS_FIELDS:
        value = _text(data, name, errors, required=name != "address_line_2")
        if value is not None:
            clean[name] = value
    if "postcode" in clean and "postcode" not in errors:
        error = postcode_error(clean["postcode"])
        if error:
            errors["postcode"] = error
        else:
            clean["postcode"] = normalise_postcode(clean["postcode"])
    if errors:
        raise RecordErrors(errors)
    return clean


def clean_family(data: dict) -> dict:
    """The household's fields of `data` that are present, checked (a `district` as the
    District it names); RecordErrors if any breaks a rule."""
    errors: dict[str, str] = {}
    clean = {}
    name = _text(data, "name", errors, required=True)
    if name is not None:
        clean["name"] = name
    try:
        clean.update(clean_address(data))
    except RecordErrors as exc:
        errors.update(exc.errors)
    if data.get("district") not in (None, ""):
        clean["district"] = District.objects.filter(code=data["district"]).first() or (
            District.objects.filter(pk=data["district"]).first()
            if str(data["district"]).isdigit()
            else None
        )
        if clean["district"] is None:
            errors["district"] = "Choose a district in the authority's area"
    if errors:
        raise RecordErrors(errors)
    return clean


@transaction.atomic
def family_update(
    *, family: Family, acting_user, lock_version: int | None, data: dict, request=None
) -> Family:
    """Correct the household's name or address. A change of district is a move
    (family_move), so the right team is told."""
    current = _locked(Family, family, lock_version)
    clean = clean_family(data)
    district = clean.pop("district", None)
    changed = _apply(current, clean)
    moved_district = district is not None and district.pk != current.district_id
    if moved_district:
        changed["District"] = [current.district.name, district.name]
        _rescope(current, district, acting_user=acting_user)
    if changed:
        _save_change(
            current,
            "Moved to a new district" if moved_district else "Household details corrected",
            changed,
            acting_user=acting_user,
            request=request,
        )
    return current


def _rescope(family: Family, district: District, *, acting_user) -> None:
    """The family's open cases follow it to the new district (who sees them follows the
    district), and that district's team managers are told, without naming the family."""
    family.district = district
    open_cases = list(EarlyHelpCase.objects.filter(family=family).exclude(status="closed"))
    EarlyHelpCase.objects.filter(pk__in=[c.pk for c in open_cases]).update(district=district)
    _chronology_on_open_cases(
        family.pk, title=f"The family moved to {district.name}", acting_user=acting_user
    )
    if open_cases:
        # In the same transaction: the move and the message stand or fall together (the
        # emails themselves are queued after commit by earlyhelp.notifications).
        _tell_district_team(district.pk, [c.pk for c in open_cases])


def district_team_managers(district_id: int):
    return access.team_managers_in(district_id).filter(agency__kind="early_help_team")


def _tell_district_team(district_id: int, case_ids: list[int]) -> None:
    from earlyhelp.notifications import notify

    for manager in district_team_managers(district_id):
        for case_id in case_ids:
            notify(
                user=manager,
                subject=f"A family with an open {term('early help')} case has moved into your "
                "district",
                body="Check who leads the case and whether it needs a new "
                f"{term('lead professional')}.",
                url=reverse("case_detail", args=[case_id]),
            )


@dataclass
class MoveResult:
    family: Family
    out_of_area: bool


@transaction.atomic
def family_move(
    *,
    family: Family,
    acting_user,
    lock_version: int | None,
    address: dict,
    district: District | None,
    moved_on: datetime.date | None = None,
    request=None,
) -> MoveResult:
    """The family moves home. In the area: the new address, and a new district re-scopes the
    case. `district=None` means outside the authority: the address is kept and the page
    offers the 'moved out of area' transfer (family_transfer_out)."""
    current = _locked(Family, family, lock_version)
    errors = {}
    try:
        clean = clean_address(address)
    except RecordErrors as exc:
        errors.update(exc.errors)
        clean = {}
    today = timezone.localdate()
    if moved_on and moved_on > today + datetime.timedelta(days=90):
        errors["moved_on"] = "The moving date must be within the next 3 months"
    if errors:
        raise RecordErrors(errors)
    changed = _apply(current, clean)
    if district is not None and district.pk != current.district_id:
        changed["District"] = [current.district.name, district.name]
        _rescope(current, district, acting_user=acting_user)
    if district is None:
        changed["Area"] = ["In the authority", "Outside the authority"]
    if not changed:
        raise RecordErrors({"address_line_1": "The new address is the same as the old one"})
    _save_change(current, "Moved address", changed, acting_user=acting_user, request=request)
    return MoveResult(current, out_of_area=district is None)


@transaction.atomic
def family_transfer_out(
    *,
    family: Family,
    acting_user,
    moved_to: str,
    moved_on: datetime.date,
    note: str = "",
    request=None,
) -> list[EarlyHelpCase]:
    """'Moved out of area': each open case closes as moved away, naming the authority the
    family moved to, so the transfer is on record (Blackpool Appendix 1: closure reasons)."""
    from cases.models import ClosureReason, FamilyView
    from cases.services import case_close

    errors: dict[str, str] = {}
    moved_to = _text({"moved_to": moved_to}, "moved_to", errors, required=True)
    if moved_on is None:
        errors["moved_on"] = "Enter the date the family moved"
    elif moved_on > timezone.localdate():
        errors["moved_on"] = "The moving date cannot be in the future"
    if errors:
        raise RecordErrors(errors)
    current = Family.objects.select_for_update().get(pk=family.pk)
    closed = []
    for case in EarlyHelpCase.objects.filter(family=current).exclude(status="closed"):
        case_close(
            case=case,
            acting_user=acting_user,
            reason=ClosureReason.MOVED_AWAY,
            closed_on=max(moved_on, case.opened_on),
            family_view=FamilyView.NOT_ASKED,
            summary=f"Moved out of area to {moved_to}. {note}".strip(),
            ask_authorisation=False,
            request=request,
        )
        closed.append(case)
    changed = {
        "Moved out of area": ["", f"{moved_to} on {moved_on:%-d %B %Y}"],
    }
    current.moved_to = moved_to
    current.moved_out_on = moved_on
    _save_change(
        current,
        "Moved out of area",
        changed,
        acting_user=acting_user,
        request=request,
        reason=note,
        fields=("moved_to", "moved_out_on"),
    )
    return closed


@transaction.atomic
def member_add(
    *,
    family: Family,
    acting_user,
    lock_version: int | None,
    relationship: str,
    person_data: dict,
    since: datetime.date | None = None,
    request=None,
) -> FamilyMembership:
    """A new person joins the household (a new partner, a grandparent moving in, a baby)."""
    current = _locked(Family, family, lock_version)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if relationship not in Relationship.values:
        errors["relationship"] = "Choose their relationship to the household"
    unborn = not person_data.get("date_of_birth") and bool(person_data.get("expected_date"))
    if unborn and relationship != Relationship.CHILD:
        errors["expected_date"] = "Only an unborn child has an expected date of delivery"
    # A draft record for the checks: born, or unborn when only an expected date is given.
    draft = Person(date_of_birth=None if unborn else today, expected_date=today if unborn else None)
    data = dict(person_data)
    data.pop("expected_date" if not unborn else "date_of_birth", None)
    try:
        clean = clean_person(draft, data, today=today, is_child=relationship == Relationship.CHILD)
    except RecordErrors as exc:
        errors.update(exc.errors)
        clean = {}
    if not person_data.get("date_of_birth") and not unborn:
        errors.setdefault(
            "date_of_birth",
            "Enter their date of birth, or an expected date of delivery for an unborn baby",
        )
    if since and since > today:
        errors["since"] = "The date they joined the household cannot be in the future"
    if not errors:
        duplicate = current.memberships.filter(
            person__first_name__iexact=clean["first_name"],
            person__last_name__iexact=clean.get("last_name", ""),
            **(
                {"person__expected_date": clean.get("expected_date")}
                if unborn
                else {"person__date_of_birth": clean.get("date_of_birth")}
            ),
        ).first()
        if duplicate is not None:
            errors["first_name"] = (
                f"{duplicate.person.full_name} is already a member of this household"
            )
    if errors:
        raise RecordErrors(errors)
    person = Person.objects.create(**clean)
    membership = FamilyMembership.objects.create(
        family=current, person=person, relationship=relationship, since=since or today
    )
    if relationship == Relationship.CHILD:
        for case in EarlyHelpCase.objects.filter(family=current).exclude(status="closed"):
            case.children.add(person)
    changed = {
        "Household member added": [
            "",
            f"{person.full_name} ({membership.get_relationship_display()})",
        ]
    }
    relationship_said = membership.get_relationship_display().lower()
    _household_changed(
        current,
        person,
        changed=changed,
        family_summary="Household member added",
        person_summary=f"Joined the household as {relationship_said}",
        title=f"{person.full_name} joined the household ({relationship_said})",
        acting_user=acting_user,
        request=request,
    )
    audit(
        user=acting_user, action=AuditAction.CREATE, record=person, request=request, changes=changed
    )
    return membership


def _household_changed(
    family: Family,
    person: Person,
    *,
    changed: dict,
    family_summary: str,
    person_summary: str,
    title: str,
    acting_user,
    request,
    reason: str = "",
) -> None:
    """Someone joined or left: both records' histories, the open cases' chronology and the
    family's audit row, and a new lock_version so an editor holding the old one is told."""
    _save_change(
        family,
        family_summary,
        changed,
        acting_user=acting_user,
        request=request,
        reason=reason,
        fields=(),
    )
    history_add(person, acting_user=acting_user, summary=person_summary, changes={})
    _chronology_on_open_cases(family.pk, title=title, acting_user=acting_user, text=reason)


@transaction.atomic
def member_remove(
    *,
    membership: FamilyMembership,
    acting_user,
    lock_version: int | None,
    reason: str,
    request=None,
) -> None:
    """Someone leaves the household. Their own record, and its history, stay."""
    current = _locked(Family, membership.family, lock_version)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why they have left the household"
    elif len(reason) > 500:
        errors["reason"] = (
            f"The reason must be 500 characters or fewer; you entered {len(reason):,}"
        )
    if current.memberships.count() <= 1:
        errors["reason"] = "A household needs at least one member: this is the last one"
    if errors:
        raise RecordErrors(errors)
    person = membership.person
    label = f"{person.full_name} ({membership.get_relationship_display()})"
    membership.delete()
    changed = {"Household member removed": [label, ""]}
    _household_changed(
        current,
        person,
        changed=changed,
        family_summary="Household member removed",
        person_summary=f"Left the {current.name}: {reason}",
        title=f"{person.full_name} left the household",
        acting_user=acting_user,
        request=request,
        reason=reason,
    )


def reason_error(reason: str, too_short: str) -> str | None:
    """What is wrong with the reason for a decision about a record (restricting it, merging
    two): `too_short` under 10 characters, the count over 2,000; None when it will do."""
    if len(reason) < 10:
        return too_short
    if len(reason) > 2000:
        return f"The reason must be 2,000 characters or fewer; you entered {len(reason):,}"
    return None


# --- restriction -------------------------------------------------------------------------------


def _restriction_checks(acting_user, reason: str, *, doing: str, reason_for: str) -> dict:
    """Who may restrict or lift, and the reason's length; {field: message} of what is wrong."""
    from cases import upkeep_access

    if not upkeep_access.may_restrict(acting_user):
        raise DomainError(f"Only team managers and administrators can {doing}.")
    error = reason_error(reason, f"Give the reason for {reason_for}, in at least 10 characters")
    return {"reason": error} if error else {}


@transaction.atomic
def record_restrict(
    *,
    record: Person | Family,
    acting_user,
    reason: str,
    contact: str,
    named_people: list,
    request=None,
) -> Person | Family:
    """Restrict a person or family to named people (for example a family fleeing domestic
    abuse, or a relative who works here). Team managers and administrators only."""
    reason = (reason or "").strip()
    errors = _restriction_checks(
        acting_user, reason, doing="restrict a record", reason_for="restricting this record"
    )
    contact = _text({"contact": contact}, "contact", errors)
    if not contact:
        errors["contact"] = "Say whom others should contact about this record"
    if not named_people:
        errors["named_people"] = "Name at least one person who may see the record"
    if errors:
        raise RecordErrors(errors)
    return _restriction_save(
        record,
        restricted=True,
        contact=contact,
        named_people=named_people,
        acting_user=acting_user,
        reason=reason,
        request=request,
    )


@transaction.atomic
def record_unrestrict(*, record: Person | Family, acting_user, reason: str, request=None):
    reason = (reason or "").strip()
    errors = _restriction_checks(
        acting_user, reason, doing="lift a restriction", reason_for="lifting the restriction"
    )
    if errors:
        raise RecordErrors(errors)
    return _restriction_save(
        record,
        restricted=False,
        contact="",
        named_people=[],
        acting_user=acting_user,
        reason=reason,
        request=request,
    )


def _restriction_save(
    record: Person | Family,
    *,
    restricted: bool,
    contact: str,
    named_people: list,
    acting_user,
    reason: str,
    request,
) -> Person | Family:
    """Restrict the record to `named_people`, or lift its restriction (restricted=False)."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if not restricted and not current.restricted:
        raise DomainError("This record is not restricted.")
    changed = {
        "Restricted": ["Yes" if current.restricted else "No", "Yes" if restricted else "No"],
        "Named people who may see it": [_names(current.named_people.all()), _names(named_people)],
    }
    if restricted:
        changed["Contact"] = ["", contact]
    current.restricted = restricted
    current.restricted_contact = contact
    current.named_people.set(named_people)
    _save_change(
        current,
        "Record restricted" if restricted else "Restriction lifted",
        changed,
        acting_user=acting_user,
        request=request,
        reason=reason,
        fields=("restricted", "restricted_contact"),
    )
    return current


def _names(users) -> str:
    return ", ".join(sorted(u.full_name for u in users))
