"""Reminder settings, each with a default, so the engine needs no configuration locally.

- REMINDER_DUE_SOON_WORKING_DAYS (5): the "due soon" reminder goes this many working days
  before a deadline.
- REMINDER_ESCALATION_WORKING_DAYS (5): a deadline overdue by this many working days is
  escalated to the team managers whose scope includes the case.
- REMINDER_DRIFT_DAYS (30): a case with no recorded activity for this many days is drifting.
- REMINDER_SEND_BATCH (50): rows claimed per transaction by the sender.
"""

from django.conf import settings


def due_soon_working_days() -> int:
    return int(getattr(settings, "REMINDER_DUE_SOON_WORKING_DAYS", 5))


def escalation_working_days() -> int:
    return int(getattr(settings, "REMINDER_ESCALATION_WORKING_DAYS", 5))


def drift_days() -> int:
    return int(getattr(settings, "REMINDER_DRIFT_DAYS", 30))


def send_batch() -> int:
    return int(getattr(settings, "REMINDER_SEND_BATCH", 50))


def allocation_working_days() -> int:
    """ALLOCATION_ESCALATION_WORKING_DAYS (5): a case waiting longer than this for a lead
    professional is escalated to the managers of its team (issue 12)."""
    return int(getattr(settings, "ALLOCATION_ESCALATION_WORKING_DAYS", 5))
