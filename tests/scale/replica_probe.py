"""Run by tests/scale/test_replica.py in a fresh process whose DATABASE_URL is a primary and
DATABASE_REPLICA_URL its streaming standby (both real PostgreSQL servers). Prints what it
saw as JSON on the last line."""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402

from earlyhelp.db_routers import replica_reads  # noqa: E402


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 - the standby may not have replayed the table yet
            connections["replica"].close()
        time.sleep(0.2)
    return False


def main() -> dict:
    from partners.models import Agency, AgencyKind, District, Role, User

    seen = {}
    # The primary was loaded from the test database: every migration is already applied.
    executor = MigrationExecutor(connections["default"])
    seen["unapplied_migrations"] = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    seen["replica_in_recovery"] = _scalar("replica", "SELECT pg_is_in_recovery()")
    seen["primary_in_recovery"] = _scalar("default", "SELECT pg_is_in_recovery()")
    with replica_reads():
        District.objects.create(code="north", name="North")  # a write: must reach the primary
        seen["replicated"] = wait_for(lambda: District.objects.filter(code="north").exists())

    _scalar("replica", "SELECT pg_wal_replay_pause()")
    with replica_reads():
        District.objects.create(code="south", name="South")
        seen["south_on_replica_while_paused"] = District.objects.filter(code="south").exists()
    seen["south_on_primary"] = District.objects.filter(code="south").exists()

    # A dashboard page reads from the replica; its session and audit writes go to the primary.
    viewer = User.objects.create_user(
        email="viewer@example.test",
        password="not-used-here-123",
        role=Role.STRATEGIC,
        agency=Agency.objects.create(name="Early help", kind=AgencyKind.EARLY_HELP_TEAM),
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer)
    replica, primary = connections["replica"], connections["default"]
    replica.force_debug_cursor = primary.force_debug_cursor = True
    replica.queries_log.clear()
    primary.queries_log.clear()
    response = client.get("/reporting/indicators/")
    seen["indicators_status"] = response.status_code
    seen["indicator_queries_on_replica"] = sum(
        "early" in q["sql"] or "referral" in q["sql"] for q in replica.queries
    )
    seen["indicator_queries_on_primary"] = sum(
        ("early" in q["sql"] or "referral" in q["sql"]) and q["sql"].startswith("SELECT")
        for q in primary.queries
    )
    seen["writes_on_replica"] = sum(
        q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE") for q in replica.queries
    )

    _scalar("replica", "SELECT pg_wal_replay_resume()")
    with replica_reads():
        seen["south_on_replica_after_resume"] = wait_for(
            lambda: District.objects.filter(code="south").exists()
        )
    return seen


def _scalar(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


if __name__ == "__main__":
    print(json.dumps(main()))
