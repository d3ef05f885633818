"""Oversight settings, each with a default.

- SUPERVISION_INTERVAL_DAYS (30): every open case is supervised at least this often; the
  manager's tray shows cases past it and the indicator counts those within it.
"""

from django.conf import settings


def supervision_interval_days() -> int:
    return int(getattr(settings, "SUPERVISION_INTERVAL_DAYS", 30))
