"""Reads: searching the directory, services to signpost to, services due for review,
register lists and hub reach figures. Each list is a fixed number of queries whatever
the data."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from cases.models import FamilyMembership, Need, NeedFramework, Person
from directory import conf
from directory.models import (
    GROUP_KINDS,
    HubRegistration,
    HubSession,
    ServiceNeed,
    SessionAttendance,
    SessionKind,
)
from partners.models import FamilyHub, Service, ServiceStatus


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


def service_detail(pk: int, *, include_inactive: bool) -> Service | None:
    qs = Service.objects.select_related("organisation", "family_hub", "editor").prefetch_related(
        Prefetch("eligible_needs", queryset=ServiceNeed.objects.select_related("need")),
        "districts",
        "schedules",
        "contacts",
        "service_at_locations__location",
    )
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

# One pass over the period's attendance: each person once per hub (hash aggregate), each
# family once per hub; the child flag and the family are kept on the attendance row when
# the register is taken, so there is no join to people or memberships.
REACH_SQL = """
    WITH people AS (
        SELECT s.hub_id, sa.person_id, max(sa.family_id) AS family_id, count(*) AS n,
               bool_or(sa.child) AS child,
               bool_or(s.kind = ANY(%(group_kinds)s)) AS in_group,
               bool_or(s.kind = %(parenting)s) AS in_parenting
        FROM directory_sessionattendance sa
        JOIN directory_hubsession s ON s.id = sa.session_id
        WHERE s.hub_id = ANY(%(hubs)s) AND s.held_on BETWEEN %(start)s AND %(end)s
        GROUP BY s.hub_id, sa.person_id
    ),
    by_person AS (
        SELECT hub_id, sum(n)::int AS attendances,
               count(*) FILTER (WHERE child) AS children,
               count(*) FILTER (WHERE NOT child) AS adults,
               count(*) FILTER (WHERE in_group) AS group_people,
               count(*) FILTER (WHERE in_parenting) AS parenting_people
        FROM people GROUP BY hub_id
    ),
    by_family AS (
        SELECT f.hub_id, count(*) AS families,
               count(*) FILTER (WHERE fam.deprivation_decile <= %(deprived)s) AS deprived
        FROM (SELECT DISTINCT hub_id, family_id FROM people WHERE family_id IS NOT NULL) f
        JOIN cases_family fam ON fam.id = f.family_id
        GROUP BY f.hub_id
    )
    SELECT p.hub_id, p.attendances, p.children, p.adults, p.group_people,
           p.parenting_people, coalesce(f.families, 0), coalesce(f.deprived, 0)
    FROM by_person p LEFT JOIN by_family f ON f.hub_id = p.hub_id
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


def hub_reach(
    hubs: Iterable[FamilyHub], *, start: datetime.date, end: datetime.date
) -> list[HubReach]:
    """The reach measures the seeds name, per hub, for sessions held from start to end:
    children and parents (adults) reached, group-based support, parenting programmes and
    reach into the most deprived areas. Three grouped queries, whatever the number of hubs;
    a child is someone under 18 on the day they came."""
    hubs = list(hubs)
    by_hub = {h.pk: HubReach(hub=h) for h in hubs}
    ids = list(by_hub)
    if not ids:
        return []
    params = {
        "hubs": ids,
        "start": start,
        "end": end,
        "group_kinds": list(GROUP_KINDS),
        "parenting": SessionKind.PARENTING,
        "deprived": conf.deprived_deciles(),
    }
    with connection.cursor() as cursor:
        cursor.execute(REACH_SQL, params)
        for row in cursor.fetchall():
            r = by_hub[row[0]]
            (
                r.attendances,
                r.children_reached,
                r.adults_reached,
                r.group_people,
                r.parenting_people,
                r.families_reached,
                r.families_reached_deprived,
            ) = row[1:]
    for row in (
        HubSession.objects.filter(hub_id__in=ids, held_on__gte=start, held_on__lte=end)
        .values("hub_id")
        .annotate(
            sessions=Count("pk"),
            group=Count("pk", filter=Q(kind__in=GROUP_KINDS)),
            parenting=Count("pk", filter=Q(kind=SessionKind.PARENTING)),
        )
    ):
        r = by_hub[row["hub_id"]]
        r.sessions = row["sessions"]
        r.group_sessions = row["group"]
        r.parenting_sessions = row["parenting"]
    for row in (
        HubRegistration.objects.filter(hub_id__in=ids, registered_on__lte=end)
        .values("hub_id")
        .annotate(
            families=Count("pk"),
            new=Count("pk", filter=Q(registered_on__gte=start)),
        )
    ):
        r = by_hub[row["hub_id"]]
        r.families_registered = row["families"]
        r.families_registered_in_period = row["new"]
    return [by_hub[h.pk] for h in hubs]


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
