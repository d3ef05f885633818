"""Benchmarks against the county-scale data: `make county` first, then `make bench`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bench.measure import select, table
from bench.pages import benchmarks, prepare_accounts


class Command(BaseCommand):
    help = "Measure pages, API lists, exports and the reminder sweep (p50/p95, SQL share)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--output", default="bench/results/latest.json")
        parser.add_argument(
            "--live-figures",
            action="store_true",
            help="count dashboards and indicators from the records, not the summaries",
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="NAME",
            help="measure only benchmarks whose name contains NAME (any case; repeatable)",
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="only give the benchmark accounts TOTP devices and build the summaries if "
            "they never have been, as beat would (load test)",
        )

    def handle(
        self,
        *args,
        runs=20,
        output="bench/results/latest.json",
        prepare_only=False,
        live_figures=False,
        only=None,
        **options,
    ):
        if prepare_only:
            prepare_accounts()
            from reporting.summaries.refresh import last_refresh, summaries_refresh

            if last_refresh() is None:  # a running system has beat's rebuild every 10 minutes
                summaries_refresh()
            return
        select(only)
        results = benchmarks(runs, live_figures=live_figures)
        self.stdout.write(table(results))
        target = Path(settings.BASE_DIR) / output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps([r.as_dict() for r in results], indent=2))
        self.stdout.write(f"\nWritten to {target}")
