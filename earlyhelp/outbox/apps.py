from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the product sends, owed in the database and sent once (ADR 0004, 0009).
    Part of the kernel: notifications (earlyhelp/notifications.py) and every app use it."""

    name = "earlyhelp.outbox"
    label = "outbox"
    verbose_name = "Email outbox"
