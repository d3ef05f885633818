"""The directory published as Open Referral UK (HSDS 3.0 UK profile): shapes and paging.

Only the authority's active services are published, with no personal data: services,
their organisation, places, opening times, eligibility and published contacts (teams or
roles). Taxonomies are our need code lists (Supporting Families headline outcomes and the
vulnerability list), with stable ids derived from their codes.
Schema: OpenReferralUK/uk-profile schema/compiled/*.json (tests/fixtures/openreferral_uk).
"""

import math
import uuid

from django.conf import settings
from django.db.models import QuerySet

from cases.models import Need, NeedFramework
from partners.models import Service, ServiceStatus

NAMESPACE = uuid.UUID("6f1c2f5e-8a57-4c0e-9b8e-0e1c2d3f4a5b")
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
TAXONOMY_DESCRIPTIONS = {
    NeedFramework.SUPPORTING_FAMILIES: "The ten headline outcomes of the national Supporting "
    "Families outcome framework (Supporting Families programme guidance 2022 to 2025).",
    NeedFramework.VULNERABILITY: "Vulnerabilities of children and families (Working Together "
    "to Safeguard Children and the Children in Need census factors).",
}


def taxonomy_id(framework: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy:{framework}"))


def term_id(need: Need) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term:{need.framework}:{need.code}"))


MAX_PAGE = 100_000


def page_params(params) -> tuple[int, int]:
    """page (from 1) and per_page, as the profile's API names them; bad values fall back."""

    def number(name, default):
        try:
            value = int(params.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if value > 0 else default

    # A page past any real directory is simply empty; beyond this it would overflow SQL.
    page = min(number("page", 1), MAX_PAGE)
    return page, min(number("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)


def paged(items, *, total: int, page: int, per_page: int) -> dict:
    """The profile's Page object: total_items, total_pages, page_number, size, first_page,
    last_page, empty, contents."""
    total_pages = max(1, math.ceil(total / per_page)) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": len(items) == 0,
        "contents": items,
    }


def published_services() -> QuerySet[Service]:
    """The authority's own active services: imported ones belong to their publishers."""
    return (
        Service.objects.filter(status=ServiceStatus.ACTIVE, source="")
        .select_related("organisation")
        .order_by("name", "pk")
    )


def _clean(d: dict) -> dict:
    """Leave out empty optional values (the schema types them, so null would not validate)."""
    return {k: v for k, v in d.items() if v not in (None, "")}


def organisation_json(org) -> dict:
    return _clean(
        {
            "id": str(org.uuid),
            "name": org.name,
            "description": org.description or org.name,
            "email": org.email,
            "website": org.website,
        }
    )


def taxonomy_json(framework: str, terms: list | None = None) -> dict:
    data = {
        "id": taxonomy_id(framework),
        "name": NeedFramework(framework).label,
        "description": TAXONOMY_DESCRIPTIONS[framework],
    }
    versions = {t.version for t in terms or []}
    if len(versions) == 1:
        data["version"] = versions.pop()
    if terms is not None:
        data["taxonomy_terms"] = [term_json(t) for t in terms]
    return data


def term_json(need: Need) -> dict:
    return {
        "id": term_id(need),
        "name": need.label,
        "description": need.label,
        "taxonomy": NeedFramework(need.framework).label,
        "taxonomy_id": taxonomy_id(need.framework),
        "term": need.code,
    }


def _location_json(location) -> dict:
    data = _clean(
        {
            "id": str(location.uuid),
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": float(location.latitude) if location.latitude is not None else None,
            "longitude": float(location.longitude) if location.longitude is not None else None,
        }
    )
    if location.address_1 and location.city and location.postcode:
        data["addresses"] = [
            {
                "id": str(uuid.uuid5(location.uuid, "address")),
                "location_id": str(location.uuid),
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.city,
                "postal_code": location.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    return data


def service_list_json(service: Service) -> dict:
    """One row of /services: the service's one-to-one fields and its organisation."""
    data = _clean(
        {
            "id": str(service.uuid),
            "organization_id": str(service.organisation.uuid) if service.organisation else None,
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.last_reviewed_on.isoformat()
            if service.last_reviewed_on
            else None,
            "last_modified": service.updated_at.isoformat(),
        }
    )
    if service.organisation:
        data["organization"] = organisation_json(service.organisation)
    return data


def service_full_json(service: Service) -> dict:
    """/services/{id}: the fully nested service."""
    data = service_list_json(service)
    sid = str(service.uuid)
    data["schedules"] = [
        {
            "id": str(s.uuid),
            "service_id": sid,
            "freq": "WEEKLY",
            "interval": 1,
            "byday": s.byday,
            "opens_at": s.opens_at.strftime("%H:%M"),
            "closes_at": s.closes_at.strftime("%H:%M"),
            **({"description": s.description} if s.description else {}),
        }
        for s in service.schedules.all()
    ]
    data["service_areas"] = [
        {
            "id": str(uuid.uuid5(service.uuid, f"area:{d.code}")),
            "service_id": sid,
            "name": d.name,
            "extent_type": "name",
        }
        for d in service.districts.all()
    ]
    data["service_at_locations"] = [
        {
            "id": str(sal.uuid),
            "service_id": sid,
            "location_id": str(sal.location.uuid),
            "location": _location_json(sal.location),
        }
        for sal in service.service_at_locations.all()
    ]
    data["contacts"] = [
        _clean(
            {
                "id": str(c.uuid),
                "service_id": sid,
                "name": c.name,
                "title": c.title,
                # phones and email as in HSDS 3.0 (the UK profile keeps them on contact)
                "email": c.email,
                "phones": [
                    {
                        "id": str(uuid.uuid5(c.uuid, "phone")),
                        "contact_id": str(c.uuid),
                        "number": c.phone,
                    }
                ]
                if c.phone
                else None,
            }
        )
        for c in service.contacts.all()
    ]
    if service.phone:
        # HSDS 3.0 service.phones (the UK profile's compiled schema leaves it open)
        data["phones"] = [
            {
                "id": str(uuid.uuid5(service.uuid, "phone")),
                "service_id": sid,
                "number": service.phone,
            }
        ]
    data["cost_options"] = (
        []
        if service.free
        else [
            {
                "id": str(uuid.uuid5(service.uuid, "cost")),
                "service_id": sid,
                "amount_description": service.cost,
            }
        ]
    )
    data["attributes"] = [
        {
            "id": str(uuid.uuid5(service.uuid, f"attr:{sn.need.framework}:{sn.need.code}")),
            "link_id": sid,
            "link_type": "service",
            "taxonomy_term_id": term_id(sn.need),
            "taxonomy_term": term_json(sn.need),
        }
        for sn in service.eligible_needs.all()
    ]
    return data


def service_at_location_list_json(sal) -> dict:
    return {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": _location_json(sal.location),
        "service": service_list_json(sal.service),
    }


def api_meta() -> dict:
    return {
        "version": "3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json",
        "publisher": settings.AUTHORITY_NAME,
    }
