"""Directory and hub settings, each with a default so nothing needs configuring locally.

- DIRECTORY_REVIEW_DAYS (365): a service not reviewed for this many days is due for review;
  its editor is reminded through the reminders engine (due soon, due today, overdue).
- HUB_DEPRIVED_DECILES (3): families living in IMD deciles 1 to this count as living in the
  most deprived areas on the hub dashboard (3 = the 30% most deprived).
- DIRECTORY_IMPORT_MAX_BYTES (5 MB): the largest Open Referral UK feed read in one import.
"""

from django.conf import settings


def review_days() -> int:
    return int(getattr(settings, "DIRECTORY_REVIEW_DAYS", 365))


def deprived_deciles() -> int:
    return int(getattr(settings, "HUB_DEPRIVED_DECILES", 3))


def import_max_bytes() -> int:
    return int(getattr(settings, "DIRECTORY_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
