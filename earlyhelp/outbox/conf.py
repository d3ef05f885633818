"""Outbox settings, each with a default (docs/adr/0004-reminders-exactly-once.md).

- OUTBOX_SMTP_TIMEOUT (10 s): socket timeout for every SMTP operation of one message, so a
  slow or silent mail server costs one message at most this long per operation.
- OUTBOX_MAX_ATTEMPTS (6): tries before a message ends as failed (shown in the admin).
- OUTBOX_RETRY_BASE_SECONDS (60) / OUTBOX_RETRY_MAX_SECONDS (3600): back-off after a failed
  try is base x 2^(tries - 1), capped.
- OUTBOX_STALE_SECONDS (180): a message left `claimed` or `sending` longer than this belongs
  to a sender that died; it goes back to the queue. Must exceed the send task's hard limit.
- OUTBOX_BATCH (50): the most messages claimed at once (fewer when time is short).
- OUTBOX_TASK_SOFT_TIME_LIMIT (100) / OUTBOX_TASK_TIME_LIMIT (120): the send task's limits;
  a run stops claiming when less than one message's worst case is left before the soft limit.
"""

from django.conf import settings


def _number(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def smtp_timeout() -> float:
    return _number("OUTBOX_SMTP_TIMEOUT", 10)


def max_attempts() -> int:
    return int(_number("OUTBOX_MAX_ATTEMPTS", 6))


def retry_base_seconds() -> float:
    return _number("OUTBOX_RETRY_BASE_SECONDS", 60)


def retry_max_seconds() -> float:
    return _number("OUTBOX_RETRY_MAX_SECONDS", 3600)


def stale_seconds() -> float:
    return _number("OUTBOX_STALE_SECONDS", 180)


def batch() -> int:
    return int(_number("OUTBOX_BATCH", 50))


def task_soft_time_limit() -> int:
    return int(_number("OUTBOX_TASK_SOFT_TIME_LIMIT", 100))


def task_time_limit() -> int:
    return int(_number("OUTBOX_TASK_TIME_LIMIT", 120))


def per_message_worst_seconds() -> float:
    """Each SMTP step waits at most the socket timeout; a slow relay is slow at one step per
    message (the answer to DATA), so a run budgets one timeout per message it claims."""
    return smtp_timeout()
