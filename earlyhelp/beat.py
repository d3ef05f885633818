"""Beat's scheduler, with catch-up after a broker outage (issue 17, point 12).

django-celery-beat marks an entry as run *before* publishing it and only logs a publish
that fails, so during a Redis outage every sweep and digest due is skipped for good while
the admin shows it as run. This scheduler undoes the mark when the publish fails: the entry
stays due (its last run time unchanged in the database), beat tries again every
BEAT_PUBLISH_RETRY_SECONDS, and the first publish after the broker is back sends it once.
An interval or crontab missed several times runs once, not once per missed slot: each task
finds everything it owes in the database.

Only a broker that cannot be reached is an outage. Any other refusal to publish (a task
whose own settings Celery rejects, say) is logged as an error and the entry counts as run,
so that one broken entry neither retries for ever nor holds back every other entry.
"""

import logging
import time

from django.conf import settings
from django.db.models import Q
from django_celery_beat.schedulers import DatabaseScheduler
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class CatchUpScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        self._broker_down_until = 0.0
        super().__init__(*args, **kwargs)

    @property
    def publish_retry_seconds(self) -> float:
        return float(getattr(settings, "BEAT_PUBLISH_RETRY_SECONDS", 10))

    def is_due(self, entry):
        """While the broker is down, wait between tries instead of hammering it."""
        due, next_in = entry.is_due()
        wait = self._broker_down_until - time.monotonic()
        if due and wait > 0:
            return False, wait
        return due, next_in

    def _get_crontab_exclude_query(self):
        """django-celery-beat (2.8+) loads a crontab entry only within two hours of its hour
        (server time), so a 07:00 digest missed during an outage that ends after about 10:00
        would not be caught up until the window opens the next morning. Load every entry:
        there are a handful."""
        return Q(pk__in=[])

    def apply_entry(self, entry, producer=None):
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # noqa: BLE001 - beat must go on; what failed is said below
            if not _broker_unreachable(exc):
                logger.error("beat could not publish %s: %s", entry.name, exc.__context__ or exc)
                return
            self._undo_reserve(entry)
            self._broker_down_until = time.monotonic() + self.publish_retry_seconds
            self._heap = None  # rebuilt from the entries' (restored) last run times
            logger.warning(
                "beat could not publish %s (%s): it stays due and goes once the broker is back",
                entry.name,
                exc.__class__.__name__,
            )
        else:
            self._broker_down_until = 0.0

    def _undo_reserve(self, entry) -> None:
        """`tick` reserved the entry (last run = now, count + 1) before publishing; put back
        what it was, here and in the database."""
        model = entry.model
        model.last_run_at = entry.last_run_at
        model.total_run_count = entry.total_run_count
        current = self._schedule.get(entry.name) if self._schedule else None
        if current is not None:
            current.last_run_at = entry.last_run_at
            current.total_run_count = entry.total_run_count
        self._dirty.add(entry.name)
        self.sync()


def _broker_unreachable(exc: Exception) -> bool:
    """Celery wraps what failed in a SchedulingError; a broker that cannot be reached shows
    as kombu's OperationalError or a socket error beneath it."""
    cause = exc.__context__ or exc
    return isinstance(cause, (OperationalError, OSError))
