import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Role
from tests import factories

BASE_DIR = Path(settings.BASE_DIR)


def _flush_by_delete(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Transactional tests empty every table afterwards. TRUNCATE makes new files for every
    table and index (seconds per test on a busy machine); DELETE of the few rows a test
    wrote takes milliseconds. Triggers are off for that one transaction, as TRUNCATE fires
    none either (the audit trail's append-only guard, foreign keys): that needs a superuser,
    as the test databases' owner is; otherwise, or to reset sequences, TRUNCATE as before."""
    connection = ops.connection
    if tables and not reset_sequences:
        if not hasattr(connection, "_test_superuser"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                connection._test_superuser = bool(cursor.fetchone()[0])
        if connection._test_superuser:
            deletes = [f"DELETE FROM {ops.quote_name(t)}" for t in sorted(tables)]  # noqa: S608
            return ["SET LOCAL session_replication_role = replica", *deletes]
    return _truncate(
        ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )


_truncate = PostgresOperations.sql_flush
PostgresOperations.sql_flush = _flush_by_delete


@pytest.fixture(autouse=True)
def _code_lists_for_transactional_tests(request):
    """Transactional tests empty every table afterwards, the data seeded by migration included
    (the code lists, the outcomes plan and its groups): seed it again so no such test depends
    on running first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("cases.migrations.0004_need_lists").load(apps, None)
    importlib.import_module("cases.migrations.0013_first_languages").load(apps, None)
    # the outcomes plan and the programme team and internal audit groups with their permissions
    importlib.import_module("outcomes.migrations.0002_default_plan").load(apps, None)


def signed_in(client, user, *, verified: bool = True):
    """A test client signed in as `user`, with the second factor verified (as after TOTP)."""
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def searched(client, url: str, criteria: dict, *, page=None, **post):
    """A search sent as the page's form sends it (POST, then the redirect to its key,
    earlyhelp/searches.py), at `page` of the results if given. An invalid search is the
    POST's own answer."""
    response = client.post(url, {**criteria, **post})
    if response.status_code != 302:
        return response
    return client.get(response["Location"] + (f"&page={page}" if page else ""))


@pytest.fixture
def district(db):
    return factories.DistrictFactory(code="amberford", name="Amberford")


@pytest.fixture
def other_district(db):
    return factories.DistrictFactory(code="brackenmoor", name="Brackenmoor")


@pytest.fixture
def eh_team(district):
    team = factories.EarlyHelpTeamFactory(name="Amberford Early Help Team")
    team.districts.add(district)
    return team


@pytest.fixture
def school(district):
    agency = factories.AgencyFactory(name="Amberford Primary School")
    agency.districts.add(district)
    return agency


@pytest.fixture
def practitioner(eh_team, district):
    return factories.UserFactory(full_name="Priya Shah", agency=eh_team, districts=[district])


@pytest.fixture
def front_door_officer(district, db):
    agency = factories.EarlyHelpTeamFactory(name="Front Door")
    return factories.UserFactory(role=Role.FRONT_DOOR, agency=agency, districts=[district])


@pytest.fixture
def district_manager(eh_team, district):
    return factories.UserFactory(role=Role.TEAM_MANAGER, agency=eh_team, districts=[district])


@pytest.fixture
def consultant(eh_team, district):
    return factories.UserFactory(role=Role.CONSULTANT, agency=eh_team, districts=[district])


@pytest.fixture
def strategic_viewer(eh_team, district):
    return factories.UserFactory(role=Role.STRATEGIC, agency=eh_team, districts=[district])


@pytest.fixture
def administrator(db):
    return factories.UserFactory(role=Role.ADMINISTRATOR, agency=None, is_staff=True)


def database_url_for_subprocess() -> str:
    """The test database as a URL, for a worker process started by a test."""
    db = settings.DATABASES["default"]
    host = db["HOST"] or "127.0.0.1"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{db['NAME']}?host={host}"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def start_worker(queue: str, name: str, **extra_env: str) -> subprocess.Popen:
    """A real Celery worker in its own process, on the real broker, consuming one test queue
    against the test database."""
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url_for_subprocess(), CONN_MAX_AGE="0", **extra_env)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "warning",
        "-Q",
        queue,
        "-n",
        f"{name}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    ]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env)


def stop_processes(procs) -> None:
    """Ask each process still running to stop, then kill any that has not within 15 s."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker, in its own process, on the real broker and the test database."""
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    proc = start_worker(queue, queue)
    proc.queue = queue
    yield proc
    stop_processes([proc])


# Fixtures that start a real Celery worker process: their tests carry the `worker` marker.
WORKER_FIXTURES = {"celery_worker_process", "workers"}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests by what they start, so `make test-fast` can leave them out and no
    new browser or worker test can forget its marker."""
    for item in items:
        if "tests/browser/" in item.nodeid or "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if WORKER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.worker)


def pytest_report_header(config):
    """Debian moves chromium's major version often: say which one the browser tests use."""
    try:
        version = subprocess.run(  # noqa: S603
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "not found at /usr/bin/chromium"
    return [f"browser tests: {version}"]
