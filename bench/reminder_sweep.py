"""Time the reminders sweep over a county-scale data set, in a throwaway database.

Generates N open early help cases (default 50,000) with COPY bulk inserts, with the kinds of
deadline the reminders chase spread around today (draft assessments, unagreed plans, held
reviews, open requests for support, quiet cases), then times:

- the first sweep (writes every reminder newly due: the worst case, e.g. after go-live);
- a re-run sweep (the steady state every 15 minutes: nothing new);
- the sender, for a bounded time, to give its throughput;
- the demo county sweep (load_demo_county in a second throwaway database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eh_reminders \
      REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/reminder_sweep.py --cases 50000

The throwaway databases (<name>_bench, <name>_benchdemo) are dropped at the end unless --keep.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _admin_connect(url):
    import psycopg2

    parts = urlparse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    conn.autocommit = True
    return conn


def recreate(url: str, name: str) -> str:
    conn = _admin_connect(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def drop(url: str, name: str) -> None:
    conn = _admin_connect(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def generate(cases: int, seed: int = 7) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.models import Assessment, FamilyPlan, TafMeeting
    from bench.copier import Copier
    from cases.models import EarlyHelpCase, Family
    from partners.models import Agency, AgencyKind, District, Role, User
    from referrals.models import Referral

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    days = datetime.timedelta
    counts = {}
    with transaction.atomic():
        districts = [District.objects.create(code=f"d{i}", name=f"District {i}") for i in range(12)]
        agencies = Copier(Agency)
        agency_districts = Copier(Agency.districts.through)
        teams = {}
        for d in districts:
            aid = agencies.add(name=f"{d.name} Early Help Team", kind=AgencyKind.EARLY_HELP_TEAM)
            agency_districts.add(agency_id=aid, district_id=d.pk)
            teams[d.pk] = aid
        agencies.finish()
        agency_districts.finish()

        users = Copier(User)
        user_districts = Copier(User.districts.through)
        workers: dict[int, list[int]] = {d.pk: [] for d in districts}

        def add_user(n, role, did):
            uid = users.add(
                email=f"{role}{n}@bench.test",
                full_name=f"Bench User {n}",
                password="!",  # noqa: S106 - an unusable password
                role=role,
                agency_id=teams[did],
                date_joined=now,
                is_active=True,
                is_staff=False,
                is_superuser=False,
                digest_reminders=(n % 5 == 0),
            )
            user_districts.add(user_id=uid, district_id=did)
            return uid

        n_workers = max(12, cases // 20)
        for n in range(n_workers):
            did = districts[n % 12].pk
            workers[did].append(add_user(n, Role.PRACTITIONER, did))
        for n in range(24):
            add_user(n, Role.TEAM_MANAGER, districts[n % 12].pk)
            add_user(n, Role.FRONT_DOOR, districts[n % 12].pk)
        users.finish()
        user_districts.finish()

        families = Copier(Family)
        case_rows = Copier(EarlyHelpCase)
        assessments = Copier(Assessment)
        plans = Copier(FamilyPlan)
        meetings = Copier(TafMeeting)
        for i in range(cases):
            did = districts[i % 12].pk
            lead = rng.choice(workers[did])
            fid = families.add(
                name=f"Bench{i} household",
                address_line_1=f"{i} Bench Street",
                town="Benchtown",
                postcode="ZZ1 1AA",
                district_id=did,
                restricted=(i % 200 == 0),
                created_at=now,
                updated_at=now,
            )
            quiet = rng.randint(31, 90) if rng.random() < 0.15 else rng.randint(0, 29)
            opened = today - days(days=rng.randint(quiet + 1, quiet + 200))
            cid = case_rows.add(
                family_id=fid,
                district_id=did,
                lead_agency_id=teams[did],
                lead_professional_id=lead,
                level_of_need=rng.choice([2, 3]),
                status="open",
                opened_on=opened,
                last_activity_at=now - days(days=quiet),
                created_at=now,
            )
            r = rng.random()
            if r < 0.35:
                due = today + days(days=rng.randint(-15, 25))
                assessments.add(
                    case_id=cid,
                    status="draft",
                    version_number=1,
                    lock_version=1,
                    content={},
                    started_on=due - days(days=28),
                    due_on=due,
                    created_by_id=lead,
                    created_at=now,
                    last_saved_at=now,
                )
            elif r < 0.65:
                due = today + days(days=rng.randint(-10, 15))
                plans.add(
                    case_id=cid,
                    created_on=due - days(days=14),
                    first_taf_due_on=due,
                    version_number=1,
                    lock_version=1,
                    created_by_id=lead,
                    updated_at=now,
                )
            else:
                next_review = today + days(days=rng.randint(-10, 42))
                held = next_review - days(weeks=6)
                meetings.add(
                    case_id=cid,
                    kind="review",
                    status="held",
                    scheduled_for=held,
                    held_on=held,
                    decision="continue",
                    next_review_on=next_review,
                    scheduled_by_id=lead,
                    recorded_by_id=lead,
                    recorded_at=now,
                )
        counts["families"] = families.finish()
        counts["cases"] = case_rows.finish()
        counts["assessments"] = assessments.finish()
        counts["plans"] = plans.finish()
        counts["reviews"] = meetings.finish()

        front_door = list(User.objects.filter(role=Role.FRONT_DOOR).values_list("pk", "agency_id"))
        referrals = Copier(Referral)
        for i in range(max(1, cases // 20)):
            did = districts[i % 12].pk
            picked = front_door[i % len(front_door)][0] if i % 2 else None
            referrals.add(
                status="in_triage" if picked else "submitted",
                version=1,
                channel="web",
                created_by_id=rng.choice(workers[did]),
                district_id=did,
                received_at=now - days(days=rng.randint(0, 6)),
                due_on=today + days(days=rng.randint(-5, 3)),
                picked_up_by_id=picked,
                picked_up_at=now if picked else None,
                urgency="routine",
                draft_data={},
                created_at=now,
                updated_at=now,
            )
        counts["open referrals"] = referrals.finish()
        counts["practitioners"] = n_workers
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def measure(send_seconds: float) -> dict:
    from django.db.models import Count

    from reminders import services
    from reminders.models import ReminderOccurrence

    out = {}
    started = time.monotonic()
    first = services.reminders_sweep()
    out["first sweep (s)"] = round(time.monotonic() - started, 2)
    out["deadlines in window"] = first.deadlines
    out["reminders written"] = first.written
    out["refused by access"] = first.denied
    started = time.monotonic()
    again = services.reminders_sweep()
    out["re-run sweep (s)"] = round(time.monotonic() - started, 2)
    out["re-run written"] = again.written
    out["by stage"] = dict(
        ReminderOccurrence.objects.values_list("stage").annotate(n=Count("id")).order_by("stage")
    )
    if send_seconds:
        started = time.monotonic()
        sent = services.reminders_send_pending(max_seconds=send_seconds, batch=200)
        elapsed = time.monotonic() - started
        out["sender"] = f"{sent.sent} sent in {elapsed:.1f}s ({sent.sent / elapsed:.0f}/s)"
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--send-seconds", type=float, default=20.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    options = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/earlyhelp")
    base_name = urlparse(base_url).path.lstrip("/") or "earlyhelp"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CONN_MAX_AGE"] = "0"

    name = f"{base_name}_bench"
    os.environ["DATABASE_URL"] = recreate(base_url, name)
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        counts = generate(options.cases)
        print(f"generated in {time.monotonic() - started:.1f}s: {counts}")
        for key, value in measure(options.send_seconds).items():
            print(f"  {key}: {value}")
        if not options.no_demo:
            connections.close_all()
            demo_name = f"{base_name}_benchdemo"
            demo_url = recreate(base_url, demo_name)
            connections["default"].settings_dict.update(NAME=demo_name)
            call_command("migrate", verbosity=0)
            call_command("load_demo_county", verbosity=0)
            print(f"demo county ({demo_url.rsplit('/', 1)[1]}):")
            for key, value in measure(options.send_seconds).items():
                print(f"  {key}: {value}")
            connections.close_all()
            if not options.keep:
                drop(base_url, demo_name)
    finally:
        connections.close_all()
        if not options.keep:
            drop(base_url, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
