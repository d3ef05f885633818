"""Reports read from a real streaming replica, made with pg_basebackup from the same
PostgreSQL binaries the embedded server uses; writes never go there."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.private_postgres import Cluster, dump_test_database

PROBE = Path(__file__).with_name("replica_probe.py")


@pytest.fixture
def primary_and_replica(transactional_db):
    """A primary holding the test database's schema and seeded rows, and its standby."""
    cluster = Cluster()
    try:
        cluster.primary(dump=dump_test_database())
        cluster.replica()
        yield cluster
    finally:
        cluster.close()


def test_reports_read_from_the_streaming_replica_and_writes_stay_on_the_primary(
    primary_and_replica,
):
    cluster = primary_and_replica
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url("primary"),
        "DATABASE_REPLICA_URL": cluster.url("replica"),
        "DEBUG": "false",
        "EARLYHELP_TESTING": "1",
    }
    result = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["unapplied_migrations"] == 0
    assert seen["replica_in_recovery"] is True and seen["primary_in_recovery"] is False
    # A write made while reads go to the replica reached the primary and streamed back.
    assert seen["replicated"] is True
    # With replay paused, the replica has not got the new row, the primary has: the read
    # inside replica_reads() really came from the standby.
    assert seen["south_on_replica_while_paused"] is False
    assert seen["south_on_primary"] is True
    assert seen["south_on_replica_after_resume"] is True
    # The indicators page read its figures on the replica, none on the primary, and wrote
    # nothing there.
    assert seen["indicators_status"] == 200
    assert seen["indicator_queries_on_replica"] > 5
    assert seen["indicator_queries_on_primary"] == 0
    assert seen["writes_on_replica"] == 0
