"""Migrate and load the demo county if the database is empty: what `make run` needs before
it starts the web server, worker and beat (one Django start-up instead of two)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then load the demo county if the database has no districts yet."

    def handle(self, *args, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        # A no-op migrate still costs seconds (post-migrate signals); a second `make run`
        # should be up at once.
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", "--no-input", verbosity=0)
        call_command("load_demo_county", "--if-empty")
