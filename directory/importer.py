"""Import another directory's Open Referral UK feed (a URL or a file): create or update its
services, organisations and places, and report what could not be read.

Each service is saved in its own savepoint, so one unreadable entry is reported and skipped
without losing the others. Imported entries keep their publisher's id (source + external
id), so importing the same feed again updates rather than duplicates. They are not
re-published in our own feed: they belong to their publishers.
"""

import datetime
import json
import logging
from urllib.parse import urlsplit

import requests
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from cases.models import Need
from directory import conf
from directory.models import (
    Contact,
    DirectoryImport,
    Location,
    LocationType,
    Schedule,
    ServiceAtLocation,
    ServiceNeed,
    Weekday,
)
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction
from partners.models import Organisation, Service, ServiceStatus

logger = logging.getLogger(__name__)
MAX_PAGES = 50
MAX_SERVICES = 2000
TIMEOUT = 20


class FeedError(Exception):
    pass


def _get_json(url: str, params: dict | None = None):
    try:
        response = requests.get(
            url, params=params, timeout=TIMEOUT, headers={"Accept": "application/json"}
        )
    except requests.RequestException as error:
        raise FeedError(f"Could not reach {url}: {error.__class__.__name__}") from error
    if response.status_code != 200:
        raise FeedError(f"{url} answered {response.status_code}")
    if len(response.content) > conf.import_max_bytes():
        raise FeedError(f"{url} sent more than {conf.import_max_bytes() // 1_000_000} MB")
    try:
        return response.json()
    except ValueError as error:
        raise FeedError(f"{url} did not send JSON") from error


def _items(payload) -> list:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("contents"), list):
        return payload["contents"]
    if isinstance(payload, dict) and "id" in payload:
        return [payload]
    raise FeedError("This is not an Open Referral UK list of services")


def read_feed(url: str, problems: list) -> list[dict]:
    """Every service of a feed, page by page, with full details fetched for list rows."""
    first = _get_json(url, {"page": 1, "per_page": 100})
    items = _items(first)
    pages = first.get("total_pages", 1) if isinstance(first, dict) else 1
    for page in range(2, min(int(pages or 1), MAX_PAGES) + 1):
        items += _items(_get_json(url, {"page": page, "per_page": 100}))
    full = []
    for item in items[:MAX_SERVICES]:
        if isinstance(item, dict) and "id" in item and "attributes" not in item:
            try:
                item = _get_json(f"{url.rstrip('/')}/{item['id']}")
            except FeedError as error:
                problems.append(
                    {
                        "item": str(item.get("name", item["id"]))[:120],
                        "problem": f"details not read ({error}); list fields used",
                    }
                )
        full.append(item)
    if len(items) > MAX_SERVICES:
        problems.append({"item": "feed", "problem": f"only the first {MAX_SERVICES} were read"})
    return full


def _text(value, limit: int) -> str:
    return str(value).strip()[:limit] if value not in (None, "") else ""


def _valid(validator, value: str) -> str:
    if not value:
        return ""
    try:
        validator(value)
    except Exception:  # noqa: BLE001 - any invalid value is simply not imported
        return ""
    return value


def _age(value):
    if value in (None, ""):
        return None
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        return None
    return age if 0 <= age <= 120 else None


def _time(value):
    try:
        return datetime.time.fromisoformat(str(value)[:8])
    except ValueError:
        return None


def _needs_by_key() -> dict[str, Need]:
    found = {}
    for need in Need.objects.filter(active=True):
        found[need.code.lower()] = need
        found[need.label.lower()] = need
    return found


def _organisation(item: dict, source: str, problems: list, name: str) -> Organisation:
    org = item.get("organization") if isinstance(item.get("organization"), dict) else {}
    external = _text(org.get("id") or item.get("organization_id"), 100)
    if not external:
        external = f"unknown:{urlsplit(source).netloc or source}"[:100]
    organisation, _ = Organisation.objects.update_or_create(
        source=source,
        external_id=external,
        defaults={
            "name": _text(org.get("name"), 200)
            or f"Organisation in {urlsplit(source).netloc or 'feed'}",
            "description": _text(org.get("description"), 5000),
            "email": _valid(EmailValidator(), _text(org.get("email"), 254)),
            "website": _valid(URLValidator(), _text(org.get("website"), 200)),
            "updated_at": timezone.now(),
        },
    )
    return organisation


def _import_one(item: dict, source: str, needs: dict, problems: list) -> bool | None:
    """Save one service; True if created, False if updated, None if it could not be read."""
    if not isinstance(item, dict):
        problems.append({"item": str(item)[:120], "problem": "not a service record"})
        return None
    name = _text(item.get("name"), 200)
    external = _text(item.get("id"), 100)
    label = name or external or "A service without a name or id"
    if not name or not external:
        problems.append({"item": label, "problem": "a service needs an id and a name"})
        return None
    status = item.get("status")
    if status not in ServiceStatus.values:
        problems.append(
            {
                "item": name,
                "problem": f"status “{status}” is not one of "
                "active, inactive, defunct, temporarily closed",
            }
        )
        return None
    low, high = _age(item.get("minimum_age")), _age(item.get("maximum_age"))
    if low is not None and high is not None and low > high:
        problems.append(
            {
                "item": name,
                "problem": f"age range {low} to {high} is the wrong way round; ages left out",
            }
        )
        low = high = None
    organisation = _organisation(item, source, problems, name)
    service, created = Service.objects.update_or_create(
        source=source,
        external_id=external,
        defaults={
            "name": name,
            "organisation": organisation,
            "description": _text(item.get("description"), 5000),
            "status": status,
            "url": _valid(URLValidator(), _text(item.get("url"), 200)),
            "email": _valid(EmailValidator(), _text(item.get("email"), 254)),
            "minimum_age": low if low is None or low <= 25 else None,
            "maximum_age": high if high is None or high <= 25 else None,
            "updated_at": timezone.now(),
        },
    )
    phones = [p for p in item.get("phones") or [] if isinstance(p, dict) and p.get("number")]
    if phones:
        service.phone = _text(phones[0]["number"], 30)
        service.save(update_fields=["phone"])
    costs = [c for c in item.get("cost_options") or [] if isinstance(c, dict)]
    if costs:
        service.free = False
        service.cost = _text(costs[0].get("amount_description") or costs[0].get("amount"), 300)
        service.save(update_fields=["free", "cost"])
    # Needs: taxonomy terms that match our code lists by code or name.
    matched = []
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict):
            continue
        need = needs.get(str(term.get("term") or "").lower()) or needs.get(
            str(term.get("name") or "").lower()
        )
        if need:
            matched.append(need)
        else:
            problems.append(
                {
                    "item": name,
                    "problem": f"taxonomy term “{_text(term.get('name'), 80)}” "
                    "is not in our need lists; left out",
                }
            )
    ServiceNeed.objects.filter(service=service).delete()
    ServiceNeed.objects.bulk_create(
        [ServiceNeed(service=service, need=n) for n in set(matched)], ignore_conflicts=True
    )
    # Opening times.
    Schedule.objects.filter(service=service).delete()
    for schedule in item.get("schedules") or []:
        if not isinstance(schedule, dict):
            continue
        opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
        days = [d.strip().upper() for d in str(schedule.get("byday") or "").split(",") if d.strip()]
        if (
            not opens
            or not closes
            or opens >= closes
            or not days
            or any(d not in Weekday.values for d in days)
        ):
            problems.append(
                {"item": name, "problem": "an opening time could not be read; left out"}
            )
            continue
        for day in days:
            Schedule.objects.create(
                service=service,
                byday=day,
                opens_at=opens,
                closes_at=closes,
                description=_text(schedule.get("description"), 200),
            )
    # Contacts (teams or roles).
    Contact.objects.filter(service=service).delete()
    for contact in item.get("contacts") or []:
        if not isinstance(contact, dict) or not (contact.get("name") or contact.get("title")):
            continue
        phones = contact.get("phones") or []
        Contact.objects.create(
            service=service,
            name=_text(contact.get("name") or contact.get("title"), 150),
            title=_text(contact.get("title"), 150),
            phone=_text(
                phones[0].get("number") if phones and isinstance(phones[0], dict) else "", 30
            ),
            email=_valid(EmailValidator(), _text(contact.get("email"), 254)),
        )
    # Places.
    ServiceAtLocation.objects.filter(service=service).delete()
    for sal in item.get("service_at_locations") or []:
        location = sal.get("location") if isinstance(sal, dict) else None
        if not isinstance(location, dict) or not location.get("id"):
            problems.append({"item": name, "problem": "a place without an id; left out"})
            continue
        kind = location.get("location_type")
        address = (location.get("addresses") or [{}])[0] or {}
        place, _ = Location.objects.update_or_create(
            source=source,
            external_id=_text(location["id"], 100),
            defaults={
                "name": _text(location.get("name"), 200) or name,
                "location_type": kind if kind in LocationType.values else LocationType.PHYSICAL,
                "description": _text(location.get("description"), 2000),
                "address_1": _text(address.get("address_1"), 200),
                "city": _text(address.get("city"), 100),
                "postcode": _text(address.get("postal_code"), 10),
            },
        )
        ServiceAtLocation.objects.get_or_create(service=service, location=place)
    if not (service.url or service.email or service.phone or service.contacts.exists()):
        problems.append(
            {
                "item": name,
                "problem": "no website, email, phone or contact was given: "
                "imported, but families cannot yet be told how to reach it",
            }
        )
    return created


def directory_import(*, acting_user, url: str = "", upload=None, request=None) -> DirectoryImport:
    """Read a feed and save what can be read; every problem is listed on the import."""
    source = url or f"file:{getattr(upload, 'name', 'upload')}"
    problems: list[dict] = []
    items: list = []
    try:
        if url:
            items = read_feed(url, problems)
        else:
            if upload.size > conf.import_max_bytes():
                raise FeedError("The file is larger than the import limit")
            try:
                items = _items(json.loads(upload.read().decode("utf-8")))
            except (ValueError, UnicodeDecodeError) as error:
                raise FeedError("The file is not JSON") from error
    except FeedError as error:
        problems.append({"item": "feed", "problem": str(error)})
    created = updated = 0
    needs = _needs_by_key()
    with transaction.atomic():
        for item in items:
            try:
                with transaction.atomic():
                    result = _import_one(item, source, needs, problems)
            except Exception as error:  # noqa: BLE001 - report it and carry on with the rest
                logger.warning("import: service not saved: %s", error.__class__.__name__)
                problems.append(
                    {
                        "item": _text(item.get("name") if isinstance(item, dict) else "", 120)
                        or "a service",
                        "problem": "could not be saved",
                    }
                )
                continue
            if result is True:
                created += 1
            elif result is False:
                updated += 1
        run = DirectoryImport.objects.create(
            source=source[:500],
            started_by=acting_user,
            created=created,
            updated=updated,
            problems=problems[:500],
        )
        audit(
            user=acting_user,
            action=AuditAction.CREATE,
            record=run,
            request=request,
            changes={"created": [0, created], "updated": [0, updated]},
        )
    return run
