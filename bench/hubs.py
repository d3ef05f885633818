"""A year of family hub work at county scale, for the hub dashboard benchmark (issue 18):
families registered at their district's hubs, five sessions a week at each hub (stay and
play, parenting programme terms, youth club, a wellbeing group, a drop-in) and their
registers. Bulk-created; deterministic from the seed.

    python manage.py shell -c "from bench.hubs import generate_hub_year; generate_hub_year()"
(bench/county.py runs it as its last step.)
"""

import datetime
import random
import time

from django.db import transaction

from cases.models import Family, FamilyMembership
from directory.models import HubRegistration, HubSession, SessionAttendance, SessionKind
from directory.services import is_child_on
from partners.models import FamilyHub, User

TODAY = datetime.date(2026, 11, 2)
PLAN = [
    (SessionKind.STAY_AND_PLAY, "Stay and play", 0, (10, 12), 14),
    (SessionKind.PARENTING, "Incredible Years", 2, (13, 15), 8),
    (SessionKind.YOUTH, "Youth club", 4, (18, 20), 18),
    (SessionKind.GROUP, "Wellbeing café", 3, (13, 15), 10),
    (SessionKind.DROP_IN, "Money advice drop-in", 1, (9, 12), 6),
]


def generate_hub_year(seed: int = 2026, share_registered: float = 0.4, log=print) -> dict:
    rng = random.Random(seed)
    started = time.monotonic()
    hubs = list(FamilyHub.objects.order_by("pk"))
    staff = User.objects.filter(role="practitioner").order_by("pk").first()
    by_district: dict[int, list[FamilyHub]] = {}
    for hub in hubs:
        by_district.setdefault(hub.district_id, []).append(hub)
    with transaction.atomic():
        registrations, families_at = [], {h.pk: [] for h in hubs}
        for family_id, district_id in Family.objects.values_list("pk", "district_id").iterator():
            if rng.random() > share_registered or district_id not in by_district:
                continue
            hub = rng.choice(by_district[district_id])
            registrations.append(
                HubRegistration(
                    hub=hub,
                    family_id=family_id,
                    registered_by=staff,
                    registered_on=TODAY - datetime.timedelta(days=rng.randint(0, 1500)),
                )
            )
            families_at[hub.pk].append(family_id)
        HubRegistration.objects.bulk_create(registrations, batch_size=5000)
        registered = {f for fs in families_at.values() for f in fs}
        members: dict[int, list[tuple[int, object]]] = {}
        for family_id, person_id, born in (
            FamilyMembership.objects.filter(family_id__in=registered)
            .values_list("family_id", "person_id", "person__date_of_birth")
            .iterator(chunk_size=10000)
        ):
            members.setdefault(family_id, []).append((person_id, born))
        start = TODAY - datetime.timedelta(days=364)
        sessions, people = [], []
        for hub in hubs:
            families = families_at[hub.pk]
            if not families:
                continue
            for week in range(52):
                monday = start + datetime.timedelta(days=7 * week - start.weekday())
                for kind, title, weekday, (a, b), size in PLAN:
                    day = monday + datetime.timedelta(days=weekday)
                    if not start <= day <= TODAY:
                        continue
                    if kind == SessionKind.PARENTING and week % 14 >= 10:
                        continue
                    sessions.append(
                        HubSession(
                            hub=hub,
                            kind=kind,
                            title=title,
                            held_on=day,
                            starts_at=datetime.time(a),
                            ends_at=datetime.time(b),
                            created_by=staff,
                        )
                    )
                    chosen = {}
                    for family_id in rng.sample(families, k=min(len(families), size // 2)):
                        for person_id, born in members.get(family_id, [])[: rng.randint(1, 3)]:
                            chosen[person_id] = (family_id, is_child_on(born, day))
                    people.append(chosen)
        HubSession.objects.bulk_create(sessions, batch_size=5000)
        SessionAttendance.objects.bulk_create(
            (
                SessionAttendance(
                    session=s, person_id=p, family_id=fc[0], child=fc[1], recorded_by=staff
                )
                for s, ps in zip(sessions, people, strict=True)
                for p, fc in ps.items()
            ),
            batch_size=10000,
        )
    summary = {
        "hubs": len(hubs),
        "registrations": len(registrations),
        "sessions": len(sessions),
        "attendances": sum(len(p) for p in people),
        "seconds": round(time.monotonic() - started, 1),
    }
    log(f"family hubs: {summary}")
    return summary


def hub_dashboard_benchmarks(runs: int):
    """The hub dashboard for the whole authority (29 hubs) and for one district's manager."""
    from bench.measure import measure
    from bench.pages import _get, client_for, prepare_accounts

    prepare_accounts()
    director = User.objects.get(email="director@county.test")
    manager = User.objects.filter(email="manager-1@county.test").first()
    period = f"start={TODAY - datetime.timedelta(days=364):%Y-%m-%d}&end={TODAY:%Y-%m-%d}"
    strategic = User.objects.get(email="strategic@county.test")
    return [
        measure(
            "hub dashboard, strategic viewer (suppressed)",
            _get(client_for(strategic), f"/hubs/dashboard/?{period}"),
            runs=runs,
        ),
        measure(
            "hub dashboard, whole authority",
            _get(client_for(director), f"/hubs/dashboard/?{period}"),
            runs=runs,
        ),
        measure(
            "hub dashboard, one district",
            _get(client_for(manager), f"/hubs/dashboard/?{period}"),
            runs=runs,
        ),
        measure(
            "hub dashboard, whole authority, first view (no cached figures)",
            _first_view(_get(client_for(director), f"/hubs/dashboard/?{period}")),
            runs=runs,
        ),
    ]


def _first_view(get):
    """Each run empties the cache first (sessions are in the database), so every hub's
    figures are computed: the view after a register has been taken everywhere."""
    from django.core.cache import cache

    def call():
        cache.clear()
        return get()

    return call
