"""Generate the county-scale data set (bench/county.py) into an empty database."""

import json

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bench.county import CountyGenerator, Size


class Command(BaseCommand):
    help = "Migrate, then load a deterministic county-scale data set with COPY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1.0 = a large county's ten years; 0.05 for a quick run",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale=1.0, seed=2026, **options):
        call_command("migrate", "--no-input", verbosity=0)
        size = Size().scaled(scale) if scale != 1.0 else Size()
        self.stdout.write(f"Generating county at scale {scale}: {size}")
        generator = CountyGenerator(size, seed=seed, log=self.stdout.write)
        timings = generator.run()
        self.stdout.write(json.dumps(generator.summary(), indent=2))
        self.stdout.write(self.style.SUCCESS(f"Loaded in {timings['total']:.0f}s"))
