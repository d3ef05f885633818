"""Benchmark commands, kept out of the product: `python -m bench generate_county --scale 0.05`
or `python -m bench run_benchmarks`. bench/ is not an installed app, so nothing in
production can import it."""

import importlib
import os
import sys

COMMANDS = ("generate_county", "generate_county_outcomes", "run_benchmarks")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        sys.exit(f"usage: python -m bench {{{','.join(COMMANDS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # Measure pages as a web worker runs them (config/wsgi.py does the same at start-up).
    from config.process import settle_after_start

    settle_after_start()
    command = importlib.import_module(f"bench.commands.{argv[0]}").Command()
    command.run_from_argv(["python -m bench", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
