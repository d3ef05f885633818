"""Time pages through the whole middleware stack, and the SQL they run, in-process.

Each measurement: a few warm-up calls, then N timed calls; p50/p95 of the wall time, the
query count of one call, and the time spent inside the database driver (so the framework's
share is visible: page time / SQL time).
"""

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.db import connection


@dataclass
class Result:
    name: str
    p50_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    status: int | str
    runs: int

    @property
    def framework_ratio(self) -> float:
        return self.p50_ms / self.sql_ms if self.sql_ms else float("inf")

    def as_dict(self) -> dict:
        return {**asdict(self), "page_over_sql": round(self.framework_ratio, 1)}


class SqlMeter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


@contextmanager
def metered():
    meter = SqlMeter()
    with connection.execute_wrapper(meter):
        yield meter


_only: tuple[str, ...] = ()


def select(names: list[str] | None) -> None:
    """Measure only the benchmarks whose name contains one of `names` (any case); all of
    them when empty (run_benchmarks --only)."""
    global _only
    _only = tuple(n.lower() for n in names or ())


def selected(name: str) -> bool:
    return not _only or any(n in name.lower() for n in _only)


def measure(
    name: str, call: Callable[[], object], *, runs: int = 20, warm: int = 3
) -> Result | None:
    """None, without calling, when the benchmark is not selected (select())."""
    if not selected(name):
        return None
    status: int | str = "ok"
    for _ in range(warm):
        outcome = call()
    timings, sql_times, counts = [], [], []
    for _ in range(runs):
        with metered() as meter:
            started = time.perf_counter()
            outcome = call()
            timings.append((time.perf_counter() - started) * 1000)
        sql_times.append(meter.seconds * 1000)
        counts.append(meter.count)
    status = getattr(outcome, "status_code", status)
    timings.sort()
    p95_index = max(0, int(round(0.95 * len(timings))) - 1)
    return Result(
        name=name,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(timings[p95_index], 1),
        queries=max(counts),
        sql_ms=round(statistics.median(sql_times), 1),
        status=status,
        runs=runs,
    )


def table(results: list[Result]) -> str:
    header = (
        f"{'benchmark':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'SQL ms':>8} "
        f"{'page/SQL':>8} {'status':>7}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<44} {r.p50_ms:>8} {r.p95_ms:>8} {r.queries:>8} {r.sql_ms:>8} "
            f"{r.framework_ratio:>8.1f} {r.status!s:>7}"
        )
    return "\n".join(lines)
