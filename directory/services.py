"""Writes for the directory and family hubs: one transaction and one audit row each.

Bad input raises InvalidEntry with a message per field, so a page can show each message
next to its field and keep everything typed (nothing is half stored: the transaction rolls
back)."""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases.models import Family, FamilyMembership, Need
from directory import access
from directory.models import (
    Contact,
    HubRegistration,
    HubSession,
    Location,
    Schedule,
    ServiceAtLocation,
    ServiceNeed,
    SessionAttendance,
    SessionKind,
    Weekday,
)
from earlyhelp.audit import audit, audit_change
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from partners.models import District, FamilyHub, Organisation, Service, ServiceStatus

MAX_AGE = 25  # services for children, young people and care leavers up to 25


class InvalidEntry(DomainError):
    """Bad input: {field name: message}."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# --- Opening times ---

_DAYS = {label.lower(): code for code, label in Weekday.choices}
_DAYS.update({label.lower()[:3]: code for code, label in Weekday.choices})
_DAYS.update({"tues": "TU", "thur": "TH", "thurs": "TH", "weds": "WE"})
_LINE = re.compile(
    r"^\s*(?P<day>[a-z]+)\s*:?\s+(?P<opens>\d{1,2}(?:[:.]\d{2})?)\s*(?:-|–|to)\s*"
    r"(?P<closes>\d{1,2}(?:[:.]\d{2})?)\s*(?P<note>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Opening:
    byday: str
    opens_at: datetime.time
    closes_at: datetime.time
    description: str = ""


def _time(text: str) -> datetime.time:
    text = text.replace(".", ":")
    hours, _, minutes = text.partition(":")
    return datetime.time(int(hours), int(minutes or 0))


def parse_opening_times(text: str) -> list[Opening]:
    """One opening a line, for example "Monday 9:00 to 17:00" or "Tue 09:30-12:00 term
    time only". Raises InvalidEntry naming the first line it cannot read."""
    openings = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        day = _DAYS.get(match.group("day").lower()) if match else None
        problem = None
        if not match or day is None:
            problem = "write a day and two times, for example “Monday 9:00 to 17:00”"
        else:
            try:
                opens, closes = _time(match.group("opens")), _time(match.group("closes"))
            except ValueError:
                problem = "the times must be real times of day, for example 9:30 or 17:00"
            else:
                if opens >= closes:
                    problem = "the opening time must be before the closing time"
        if problem:
            raise InvalidEntry(
                {
                    "opening_times": f"Line {number} of the opening times (“{line.strip()[:40]}”): "
                    f"{problem}"
                }
            )
        openings.append(Opening(day, opens, closes, match.group("note").strip()[:200]))
    return openings


def opening_times_text(service: Service) -> str:
    labels = dict(Weekday.choices)
    return "\n".join(
        f"{labels[s.byday]} {s.opens_at:%H:%M} to {s.closes_at:%H:%M}"
        + (f" {s.description}" if s.description else "")
        for s in service.schedules.all()
    )


# --- Services ---


@dataclass
class ServiceInput:
    name: str
    organisation: Organisation
    description: str = ""
    status: str = ServiceStatus.ACTIVE
    family_hub: FamilyHub | None = None
    districts: list[District] = field(default_factory=list)
    url: str = ""
    email: str = ""
    phone: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    free: bool = True
    cost: str = ""
    how_to_access: str = ""
    needs: list[Need] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    opening_times: str = ""
    contact_name: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    editor: object = None
    reviewed: bool = False


def check_service(data: ServiceInput) -> list[Opening]:
    """Every rule a directory entry must meet, with a message for the field concerned."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Enter the name of the service"
    if data.status not in ServiceStatus.values:
        errors["status"] = "Choose whether the service is running"
    low, high = data.minimum_age, data.maximum_age
    for name, value in (("minimum_age", low), ("maximum_age", high)):
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name] = f"Ages must be between 0 and {MAX_AGE}"
    if low is not None and high is not None and low > high and "minimum_age" not in errors:
        errors["minimum_age"] = (
            f"The youngest age ({low}) must not be more than the oldest age ({high}): "
            "check they are not the wrong way round"
        )
    if not data.free and not data.cost.strip():
        errors["cost"] = "Say what the service costs, or mark it as free"
    has_way_in = any(
        v.strip()
        for v in (data.url, data.email, data.phone, data.contact_phone, data.contact_email)
    )
    if not has_way_in:
        errors["phone"] = (
            "Give at least one way to contact the service: a phone number, an email "
            "address, a website or a contact's phone or email"
        )
    if (data.contact_phone or data.contact_email or data.contact_title) and not (
        data.contact_name.strip()
    ):
        errors["contact_name"] = "Enter the team or role to contact, for example Hub reception"
    try:
        openings = parse_opening_times(data.opening_times)
    except InvalidEntry as error:
        errors.update(error.errors)
        openings = []
    if errors:
        raise InvalidEntry(errors)
    return openings


def service_input(d: dict, user) -> ServiceInput:
    """A directory entry as the service form typed it (`d`: its cleaned data, or the part
    of it that is right)."""
    need_ids = list(d.get("needs_sf") or []) + list(d.get("needs_vulnerability") or [])
    return ServiceInput(
        name=d.get("name") or "",
        organisation=d.get("organisation"),
        description=d.get("description") or "",
        status=d.get("status") or "",
        family_hub=d.get("family_hub"),
        districts=list(d.get("districts") or []),
        url=d.get("url") or "",
        email=d.get("email") or "",
        phone=d.get("phone") or "",
        minimum_age=d.get("minimum_age"),
        maximum_age=d.get("maximum_age"),
        free=bool(d.get("free")),
        cost=d.get("cost") or "",
        how_to_access=d.get("how_to_access") or "",
        needs=list(Need.objects.filter(pk__in=need_ids)),
        locations=list(d.get("locations") or []),
        opening_times=d.get("opening_times") or "",
        contact_name=d.get("contact_name") or "",
        contact_title=d.get("contact_title") or "",
        contact_phone=d.get("contact_phone") or "",
        contact_email=d.get("contact_email") or "",
        editor=d.get("editor") or user,
        reviewed=bool(d.get("reviewed")),
    )


# What a directory entry takes as typed, straight from ServiceInput.
SERVICE_FIELDS = (
    "name",
    "organisation",
    "description",
    "status",
    "family_hub",
    "url",
    "email",
    "phone",
    "minimum_age",
    "maximum_age",
    "free",
    "cost",
    "how_to_access",
)


@transaction.atomic
def service_save(
    *, acting_user, data: ServiceInput, service: Service | None = None, request=None
) -> Service:
    """Create or update a directory entry with its needs, districts, locations, opening
    times and main contact. Saving with "reviewed" ticked restarts the review clock."""
    openings = check_service(data)
    if not access.may_place_service(
        acting_user, family_hub=data.family_hub, organisation=data.organisation
    ):
        raise InvalidEntry(
            {
                "family_hub": "Choose one of your family hubs: you keep the entries of your "
                "own hubs and your agency only"
            }
        )
    creating = service is None
    service = service or Service()
    before = {} if creating else {"name": service.name, "status": service.status}
    _set_fields(service, {name: getattr(data, name) for name in SERVICE_FIELDS})
    if service.free:
        service.cost = service.cost or ""
    service.editor = data.editor or service.editor or acting_user
    service.updated_at = timezone.now()
    if data.reviewed or creating:
        service.last_reviewed_on = timezone.localdate()
    if service.organisation and service.organisation.agency_id and not service.agency_id:
        service.agency_id = service.organisation.agency_id
    service.save()
    service.districts.set(data.districts)
    ServiceNeed.objects.filter(service=service).exclude(need__in=data.needs).delete()
    ServiceNeed.objects.bulk_create(
        [ServiceNeed(service=service, need=n) for n in data.needs], ignore_conflicts=True
    )
    ServiceAtLocation.objects.filter(service=service).exclude(location__in=data.locations).delete()
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=service, location=loc) for loc in data.locations],
        ignore_conflicts=True,
    )
    Schedule.objects.filter(service=service).delete()
    Schedule.objects.bulk_create(
        [
            Schedule(
                service=service,
                byday=o.byday,
                opens_at=o.opens_at,
                closes_at=o.closes_at,
                description=o.description,
            )
            for o in openings
        ]
    )
    contact = service.contacts.first() if not creating else None
    if data.contact_name.strip():
        contact = contact or Contact(service=service)
        contact.name = data.contact_name.strip()
        contact.title = data.contact_title.strip()
        contact.phone = data.contact_phone.strip()
        contact.email = data.contact_email.strip()
        contact.save()
    elif contact is not None:
        contact.delete()
    _entry_audit(
        service,
        creating=creating,
        acting_user=acting_user,
        request=request,
        changes={
            k: [v, getattr(service, k)] for k, v in before.items() if v != getattr(service, k)
        },
    )
    return service


@transaction.atomic
def service_mark_reviewed(*, service: Service, acting_user, request=None) -> Service:
    """The editor has checked the entry is still right: the review clock starts again."""
    before = service.last_reviewed_on
    service.last_reviewed_on = timezone.localdate()
    service.save(update_fields=["last_reviewed_on"])
    audit_change(
        service,
        by=acting_user,
        request=request,
        changes={"last_reviewed_on": [str(before), str(service.last_reviewed_on)]},
    )
    return service


@transaction.atomic
def organisation_save(
    *, acting_user, organisation: Organisation | None = None, request=None, **fields
) -> Organisation:
    if not (fields.get("name") or "").strip():
        raise InvalidEntry({"name": "Enter the name of the organisation"})
    return _entry_save(
        organisation or Organisation(),
        {**fields, "updated_at": timezone.now()},
        acting_user=acting_user,
        request=request,
    )


@transaction.atomic
def location_save(*, acting_user, location: Location | None = None, request=None, **fields):
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "Enter the name of the place"
    if fields.get("location_type") == "physical" and not (fields.get("address_1") or "").strip():
        errors["address_1"] = "Enter the address people go to"
    if not access.may_place_location(acting_user, family_hub=fields.get("family_hub")):
        errors["family_hub"] = (
            "Choose one of your family hubs: you keep the places of your own hubs only"
        )
    if errors:
        raise InvalidEntry(errors)
    return _entry_save(location or Location(), fields, acting_user=acting_user, request=request)


def _set_fields(record, fields: dict) -> None:
    """Copy typed values onto `record`, text trimmed of the spaces around it."""
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def _entry_save(record, fields: dict, *, acting_user, request):
    """Save a new or changed organisation or place from its typed fields; audited as
    created or changed."""
    creating = record.pk is None
    _set_fields(record, fields)
    record.save()
    _entry_audit(record, creating=creating, acting_user=acting_user, request=request)
    return record


def _entry_audit(record, *, creating: bool, acting_user, request, changes: dict | None = None):
    """A directory entry (a service, an organisation, a place) saved: audited as created or
    changed."""
    action = AuditAction.CREATE if creating else AuditAction.CHANGE
    audit(user=acting_user, action=action, record=record, request=request, changes=changes)


# --- Family hubs ---


def is_child_on(date_of_birth: datetime.date | None, day: datetime.date) -> bool:
    """Under 18 on the day (an unborn child counts as a child)."""
    if date_of_birth is None:
        return True
    years = (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )
    return years < 18


@transaction.atomic
def hub_family_register(
    *, hub: FamilyHub, family: Family, acting_user, registered_on=None, request=None
) -> HubRegistration:
    """Register a family at a hub, so its members can be ticked on the hub's registers."""
    registration, created = HubRegistration.objects.get_or_create(
        hub=hub,
        family=family,
        defaults={
            "registered_on": registered_on or timezone.localdate(),
            "registered_by": acting_user,
        },
    )
    if not created:
        raise DomainError(f"This family is already registered at {hub.name}.")
    audit(user=acting_user, action=AuditAction.CREATE, record=registration, request=request)
    return registration


@transaction.atomic
def hub_session_create(
    *,
    hub: FamilyHub,
    acting_user,
    kind: str,
    title: str,
    held_on: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    service: Service | None = None,
    request=None,
) -> HubSession:
    errors = {}
    if kind not in SessionKind.values:
        errors["kind"] = "Choose the kind of session"
    if not title.strip():
        errors["title"] = "Enter the name of the session"
    if starts_at >= ends_at:
        errors["ends_at"] = "The session must end after it starts"
    if errors:
        raise InvalidEntry(errors)
    session = HubSession.objects.create(
        hub=hub,
        kind=kind,
        title=title.strip()[:150],
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        service=service,
        created_by=acting_user,
    )
    audit(user=acting_user, action=AuditAction.CREATE, record=session, request=request)
    return session


def register_not_open(session: HubSession) -> str:
    """Why a session's register cannot be taken yet (the register page says it too)."""
    return (
        f"This session is on {session.held_on:%A %-d %B %Y}. Record who came on the day of "
        "the session or after it"
    )


@transaction.atomic
def session_register_take(
    *, session: HubSession, acting_user, person_ids: list[int], request=None
) -> HubSession:
    """Record who came: the ticked people, each a member of a family registered at the hub.
    A person who is not registered stops the whole register (nothing is saved) with their
    name in the message, so the ticks can be kept and the family registered first. No one
    has come to a session that has not happened yet: its register opens on its day."""
    if session.held_on > timezone.localdate():
        raise InvalidEntry({"people": register_not_open(session)})
    wanted = set(person_ids)
    family_of: dict[int, int] = {}
    born: dict[int, datetime.date | None] = {}
    for person_id, family_id, dob in FamilyMembership.objects.filter(
        person_id__in=wanted, family__hub_registrations__hub=session.hub
    ).values_list("person_id", "family_id", "person__date_of_birth"):
        family_of.setdefault(person_id, family_id)
        born[person_id] = dob
    allowed = set(family_of)
    missing = wanted - allowed
    if missing:
        from cases import restriction
        from cases.models import Person

        unregistered = Person.objects.filter(pk__in=missing).order_by("last_name")[:5]
        names = ", ".join(
            restriction.shown_name(p) for p in restriction.mask_people(acting_user, unregistered)
        )
        raise InvalidEntry(
            {
                "people": f"{names or 'Someone on this register'} "
                f"{'is' if len(missing) == 1 else 'are'} not registered at {session.hub.name}. "
                "Register their family at the hub first; nothing has been saved yet"
            }
        )
    current = set(session.attendances.values_list("person_id", flat=True))
    SessionAttendance.objects.filter(session=session, person_id__in=current - wanted).delete()
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                session=session,
                person_id=pk,
                family_id=family_of[pk],
                child=is_child_on(born[pk], session.held_on),
                recorded_by=acting_user,
            )
            for pk in sorted(wanted - current)
        ],
        ignore_conflicts=True,
    )
    session.register_taken_at = timezone.now()
    session.save(update_fields=["register_taken_at"])
    audit_change(
        session, by=acting_user, request=request, changes={"attended": [len(current), len(wanted)]}
    )
    return session
