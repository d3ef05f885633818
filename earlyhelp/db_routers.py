"""Reports, exports and dashboards read from a PostgreSQL read replica when one is set
(DATABASE_REPLICA_URL); everything else, and every write, uses the primary.

A read goes to the replica only inside `replica_reads()`: the reporting pages named in
settings.REPLICA_READ_URL_NAMES (ReplicaReadsMiddleware) and the export builds. Anything
that must see its own writes (a form that saves then shows the record, an export's status
page right after it was queued) stays on the primary because it is not marked. Writes made
inside `replica_reads()` (audit rows) still go to the primary: a standby refuses writes.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside this block may come from the replica (a little behind the primary)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Runs the GET views named in REPLICA_READ_URL_NAMES inside replica_reads()."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.names = frozenset(getattr(settings, "REPLICA_READ_URL_NAMES", ()))

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "GET" or match is None or match.url_name not in self.names:
            return None
        if not replica_configured():
            return None
        with replica_reads():
            return view_func(request, *view_args, **view_kwargs)
