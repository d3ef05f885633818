"""The family outcomes layer over the county-scale data: run after generate_county."""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Add programme episodes, needs, progress, claims and batches to the county data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed=2026, **options):
        from bench.outcomes import generate

        with transaction.atomic():
            generate(seed, log=lambda counts: self.stdout.write(str(counts)))
