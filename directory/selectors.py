"""Reads: searching the directory, services to signpost to, services due for review,
register lists and hub reach figures. Each list is a fixed number of queries whatever
the data."""

import datetime
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from cases.models import FamilyMembership, Need, NeedFramework, Person
from directory import conf
from directory.models import (
    GROUP_KINDS,
    HubRegistration,
    HubSession,
    ServiceAtLocation,
    ServiceNeed,
    SessionAttendance,
    SessionKind,
)
from partners.models import FamilyHub, Service, ServiceStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    need_ids: tuple[int, ...] = ()
    age: int | None = None
    district_id: int | None = None
    hub_id: int | None = None
    include_inactive: bool = False


def _in_district(district_id: int) -> Q:
    """Services offered in the district, or county-wide (no district given)."""
    through = Service.districts.through
    return Q(pk__in=through.objects.filter(district_id=district_id).values("service_id")) | ~Q(
        pk__in=through.objects.values("service_id")
    )


def service_search(query: DirectoryQuery) -> QuerySet[Service]:
    """The directory search (issue 18): by need, the child's age, district, hub and words."""
    qs = Service.objects.select_related("organisation", "family_hub")
    if not query.include_inactive:
        qs = qs.filter(status=ServiceStatus.ACTIVE)
    text = query.text.strip()
    if text:
        for word in text.split()[:8]:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(how_to_access__icontains=word)
            )
    if query.need_ids:
        qs = qs.filter(
            Exists(ServiceNeed.objects.filter(service=OuterRef("pk"), need_id__in=query.need_ids))
        )
    if query.age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age)
        )
    if query.district_id:
        qs = qs.filter(_in_district(query.district_id))
    if query.hub_id:
        qs = qs.filter(family_hub_id=query.hub_id)
    return qs.order_by("name", "pk")


def with_list_details(qs: QuerySet[Service]) -> QuerySet[Service]:
    """What a list row shows (needs, districts, opening times), prefetched: constant queries."""
    return qs.prefetch_related(
        Prefetch("eligible_needs", queryset=ServiceNeed.objects.select_related("need")),
        "districts",
        "schedules",
        "contacts",
    )


def with_full_details(qs: QuerySet[Service]) -> QuerySet[Service]:
    """What a service's own page (and its Open Referral record) shows: the list row's details
    and the places it is offered at."""
    return with_list_details(qs).prefetch_related(
        Prefetch(
            "service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")
        )
    )


def service_detail(pk: int, *, include_inactive: bool) -> Service | None:
    qs = with_full_details(Service.objects.select_related("organisation", "family_hub", "editor"))
    if not include_inactive:
        qs = qs.filter(status=ServiceStatus.ACTIVE)
    return qs.filter(pk=pk).first()


def need_options() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(Supporting Families headline outcomes, vulnerabilities) for checkboxes."""
    needs = list(Need.objects.filter(active=True).order_by("framework", "order", "pk"))
    return (
        [(n.pk, n.label) for n in needs if n.framework == NeedFramework.SUPPORTING_FAMILIES],
        [(n.pk, n.label) for n in needs if n.framework == NeedFramework.VULNERABILITY],
    )


def services_for_signposting(*, district_id: int | None = None) -> QuerySet[Service]:
    """Active services a family in this district can use: the choices when signposting."""
    qs = Service.objects.filter(status=ServiceStatus.ACTIVE).select_related("organisation")
    if district_id:
        qs = qs.filter(_in_district(district_id))
    return qs.order_by("name", "pk")


def signposting_choices(ids: Iterable[int], *, district_id: int | None):
    """(the services with these ids a family in the district may be signposted to, in the
    order given; the ids that are not among them). One query."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return [], []
    found = services_for_signposting(district_id=district_id).in_bulk(wanted)
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]


# --- Reviews (for the reminders engine) ---


@dataclass(frozen=True, slots=True)
class ReviewDue:
    service_id: int
    due_on: datetime.date
    editor_id: int


def review_due_on(last_reviewed_on: datetime.date | None, updated_on: datetime.date):
    return (last_reviewed_on or updated_on) + datetime.timedelta(days=conf.review_days())


def services_due_for_review(
    due_by: datetime.date, *, service_ids: Iterable[int] | None = None
) -> Iterator[ReviewDue]:
    """Services in use (not defunct) whose review falls due on or before `due_by`, with the
    editor who keeps them. One query."""
    cutoff = due_by - datetime.timedelta(days=conf.review_days())
    qs = (
        Service.objects.exclude(status=ServiceStatus.DEFUNCT)
        .filter(editor__isnull=False)
        .annotate(updated_on=TruncDate("updated_at"))
        .filter(
            Q(last_reviewed_on__lte=cutoff)
            | Q(last_reviewed_on__isnull=True, updated_on__lte=cutoff)
        )
    )
    if service_ids is not None:
        qs = qs.filter(pk__in=list(service_ids))
    for pk, reviewed, updated, editor in qs.values_list(
        "pk", "last_reviewed_on", "updated_on", "editor_id"
    ).iterator(chunk_size=2000):
        yield ReviewDue(pk, review_due_on(reviewed, updated), editor)


# --- Hubs ---


def registered_people(hub: FamilyHub) -> QuerySet[Person]:
    """Everyone in a family registered at the hub."""
    return Person.objects.filter(
        Exists(
            FamilyMembership.objects.filter(
                person=OuterRef("pk"),
                family__hub_registrations__hub=hub,
            )
        )
    )


def register_rows(session: HubSession, *, text: str = "", limit: int = 60) -> list[Person]:
    """Who the register offers: those already ticked, the regulars (at a session of the same
    title in the last eight weeks) and, when searching, registered people matching the words.
    Bounded, so a big hub's register stays quick on a tablet."""
    hub = session.hub
    ticked = set(session.attendances.values_list("person_id", flat=True))
    since = session.held_on - datetime.timedelta(weeks=8)
    regulars = set(
        SessionAttendance.objects.filter(
            session__hub=hub,
            session__title=session.title,
            session__held_on__gte=since,
            session__held_on__lte=session.held_on,
        )
        .values_list("person_id", flat=True)
        .distinct()[:limit]
    )
    ids = ticked | regulars
    matches = Person.objects.none()
    if text.strip():
        matches = registered_people(hub)
        for word in text.split()[:4]:
            matches = matches.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        ids |= set(matches.values_list("pk", flat=True)[:limit])
    people = (
        Person.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=FamilyMembership.objects.filter(
                    family__hub_registrations__hub=hub
                ).select_related("family"),
                to_attr="hub_memberships",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    result = list(people)
    for person in result:
        person.ticked = person.pk in ticked
        person.found_by_search = person.pk not in ticked | regulars
        person.family_name = person.hub_memberships[0].family.name if person.hub_memberships else ""
    return result


def sessions_of(hub: FamilyHub) -> QuerySet[HubSession]:
    return (
        HubSession.objects.filter(hub=hub)
        .annotate(attended=Count("attendances"))
        .order_by("-held_on", "-starts_at", "-pk")
    )


def hub_registrations(hub: FamilyHub) -> QuerySet[HubRegistration]:
    return HubRegistration.objects.filter(hub=hub).select_related("family")


# --- Reach ---

# Everything on the hub dashboard in one statement (one round trip), whatever the number of
# hubs. One pass over the period's attendance: each person once per hub (hash aggregate),
# then each family once per hub; the child flag and the family are kept on the attendance
# row when the register is taken, so there is no join to people or memberships. The three
# "did they ..." flags are folded into one bit_or (1 child, 2 group-based, 4 parenting):
# one aggregate instead of three over the largest input.
REACH_SQL = """
    WITH people AS (
        SELECT s.hub_id, sa.person_id, max(sa.family_id) AS family_id, count(*) AS n,
               bit_or(sa.child::int
                      | ((s.kind = ANY(%(group_kinds)s))::int << 1)
                      | ((s.kind = %(parenting)s)::int << 2)) AS flags
        FROM directory_sessionattendance sa
        JOIN directory_hubsession s ON s.id = sa.session_id
        WHERE s.hub_id = ANY(%(hubs)s) AND s.held_on BETWEEN %(start)s AND %(end)s
        GROUP BY s.hub_id, sa.person_id
    ),
    by_person AS (
        SELECT hub_id, sum(n)::int AS attendances,
               count(*) FILTER (WHERE flags & 1 = 1) AS children,
               count(*) FILTER (WHERE flags & 1 = 0) AS adults,
               count(*) FILTER (WHERE flags & 2 = 2) AS group_people,
               count(*) FILTER (WHERE flags & 4 = 4) AS parenting_people
        FROM people GROUP BY hub_id
    ),
    by_family AS (
        SELECT f.hub_id, count(*) AS families,
               count(*) FILTER (WHERE fam.deprivation_decile <= %(deprived)s) AS deprived
        FROM (SELECT DISTINCT hub_id, family_id FROM people WHERE family_id IS NOT NULL) f
        JOIN cases_family fam ON fam.id = f.family_id
        GROUP BY f.hub_id
    ),
    by_session AS (
        SELECT hub_id, count(*) AS sessions,
               count(*) FILTER (WHERE kind = ANY(%(group_kinds)s)) AS group_sessions,
               count(*) FILTER (WHERE kind = %(parenting)s) AS parenting_sessions
        FROM directory_hubsession
        WHERE hub_id = ANY(%(hubs)s) AND held_on BETWEEN %(start)s AND %(end)s
        GROUP BY hub_id
    ),
    by_registration AS (
        SELECT hub_id, count(*) AS families,
               count(*) FILTER (WHERE registered_on >= %(start)s) AS new
        FROM directory_hubregistration
        WHERE hub_id = ANY(%(hubs)s) AND registered_on <= %(end)s
        GROUP BY hub_id
    )
    SELECT h.id, coalesce(p.attendances, 0), coalesce(p.children, 0), coalesce(p.adults, 0),
           coalesce(p.group_people, 0), coalesce(p.parenting_people, 0),
           coalesce(f.families, 0), coalesce(f.deprived, 0),
           coalesce(s.sessions, 0), coalesce(s.group_sessions, 0),
           coalesce(s.parenting_sessions, 0),
           coalesce(r.families, 0), coalesce(r.new, 0)
    FROM unnest(%(hubs)s::int[]) AS h(id)
    LEFT JOIN by_person p ON p.hub_id = h.id
    LEFT JOIN by_family f ON f.hub_id = h.id
    LEFT JOIN by_session s ON s.hub_id = h.id
    LEFT JOIN by_registration r ON r.hub_id = h.id
"""
REACH_FIELDS = (
    "attendances",
    "children_reached",
    "adults_reached",
    "group_people",
    "parenting_people",
    "families_reached",
    "families_reached_deprived",
    "sessions",
    "group_sessions",
    "parenting_sessions",
    "families_registered",
    "families_registered_in_period",
)
# The per-person aggregate of a whole county's year (a quarter of a million attendances)
# needs ~30 MB; at the server's default 4 MB it spilled to disk in batches (EXPLAIN ANALYZE:
# "Batches: 5, Disk Usage: 7384kB"). Raised for this one statement only.
REACH_WORK_MEM = "64MB"
REACH_CACHE_SECONDS = 600
# What a hub's figures were computed from: its sessions (how many, the newest, the last
# register taken or changed, which is every change to attendance through the register)
# and its registrations. A change at one hub recomputes that hub alone. Two index lookups
# per hub.
FINGERPRINT_SQL = """
    SELECT h.id, d.oid,
           (SELECT concat_ws('/', count(*), max(id), max(register_taken_at))
              FROM directory_hubsession WHERE hub_id = h.id),
           (SELECT concat_ws('/', count(*), max(id))
              FROM directory_hubregistration WHERE hub_id = h.id)
    FROM unnest(%(hubs)s::int[]) AS h(id)
    CROSS JOIN (SELECT oid FROM pg_database WHERE datname = current_database()) AS d
"""


@dataclass
class HubReach:
    hub: FamilyHub
    families_registered: int = 0
    families_registered_in_period: int = 0
    families_reached: int = 0
    families_reached_deprived: int = 0
    children_reached: int = 0
    adults_reached: int = 0
    attendances: int = 0
    sessions: int = 0
    group_sessions: int = 0
    group_people: int = 0
    parenting_sessions: int = 0
    parenting_people: int = 0
    extra: dict = field(default_factory=dict)


def _cached(operation, *args):
    """The cache saves work; when Redis is unreachable the figures are computed anyway."""
    try:
        return operation(*args)
    except Exception:  # noqa: BLE001  (any cache outage: compute, never fail the page)
        logger.warning("hub reach cache unavailable", exc_info=True)
        return None


def _reach_keys(ids: list[int], start, end, deprived: int) -> dict[int, str]:
    """Each hub's cache key: the hub, the period, the deprivation setting and what its
    figures were computed from (FINGERPRINT_SQL), so no figure outlives a change."""
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL, {"hubs": ids})
        rows = cursor.fetchall()
    keys = {}
    for hub_id, database, sessions, registrations in rows:
        # The database's oid: a database made again (tests, a new bench county) with the
        # same ids never takes figures cached from the old one.
        digest = hashlib.sha256(
            f"{database}|{start}|{end}|{deprived}|{sessions}|{registrations}".encode()
        ).hexdigest()
        keys[hub_id] = f"directory:reach:{hub_id}:{digest}"
    return keys


def _reach_rows(ids: list[int], start, end, deprived: int) -> dict[int, tuple]:
    params = {
        "hubs": ids,
        "start": start,
        "end": end,
        "group_kinds": list(GROUP_KINDS),
        "parenting": SessionKind.PARENTING,
        "deprived": deprived,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{REACH_WORK_MEM}'")
        cursor.execute(REACH_SQL, params)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def hub_reach(
    hubs: Iterable[FamilyHub], *, start: datetime.date, end: datetime.date
) -> list[HubReach]:
    """The reach measures the seeds name, per hub, for sessions held from start to end:
    children and parents (adults) reached, group-based support, parenting programmes and
    reach into the most deprived areas; a child is someone under 18 on the day they came.

    Each hub's figures are kept in the cache (at most REACH_CACHE_SECONDS) until that hub's
    sessions, registers or registrations change: many managers open the same period, and a
    register taken at one hub recomputes that hub only. At most three statements (what the
    figures come from, the cache, the hubs not cached), whatever the number of hubs."""
    hubs = list(hubs)
    ids = [h.pk for h in hubs]
    if not ids:
        return []
    deprived = conf.deprived_deciles()
    keys = _reach_keys(ids, start, end, deprived)
    found = _cached(cache.get_many, list(keys.values())) or {}
    rows = {hub_id: found[key] for hub_id, key in keys.items() if key in found}
    missing = [hub_id for hub_id in ids if hub_id not in rows]
    if missing:
        computed = _reach_rows(missing, start, end, deprived)
        rows.update(computed)
        _cached(
            cache.set_many,
            {keys[hub_id]: computed[hub_id] for hub_id in missing if hub_id in keys},
            REACH_CACHE_SECONDS,
        )
    result = []
    for hub in hubs:
        reach = HubReach(hub=hub)
        for name, value in zip(REACH_FIELDS, rows.get(hub.pk, ()), strict=False):
            setattr(reach, name, value)
        result.append(reach)
    return result


def signposting_counts(*, since: datetime.date) -> QuerySet[Service]:
    """How often each service was signposted to since a date, from a front door decision, a
    plan action or a closure (the links those apps keep to partners.Service)."""
    return (
        Service.objects.annotate(
            from_decisions=Count(
                "signposting_decisions",
                filter=Q(signposting_decisions__decided_at__date__gte=since),
                distinct=True,
            ),
            from_plans=Count(
                "plan_actions", filter=Q(plan_actions__set_on__gte=since), distinct=True
            ),
            from_closures=Count(
                "closures", filter=Q(closures__closed_on__gte=since), distinct=True
            ),
        )
        .filter(Q(from_decisions__gt=0) | Q(from_plans__gt=0) | Q(from_closures__gt=0))
        .order_by("-from_decisions", "name")
    )
