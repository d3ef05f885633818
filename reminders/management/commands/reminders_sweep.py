"""Run a reminders sweep now, in this process (what beat runs every 15 minutes), and
optionally send what is pending. Works with the broker down: the rows wait in PostgreSQL."""

import json

from django.core.management.base import BaseCommand

from reminders import services


class Command(BaseCommand):
    help = "Sweep deadlines into pending reminders now; --send also sends them in-process."

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true")

    def handle(self, *args, send=False, **options):
        result = services.reminders_sweep()
        self.stdout.write(json.dumps(result.as_dict()))
        if send:
            sent = services.reminders_send_pending(max_seconds=600)
            self.stdout.write(json.dumps(sent.__dict__))
