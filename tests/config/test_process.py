"""A web worker settles its garbage collector once started (config/process.py)."""

import subprocess
import sys

from config.process import YOUNG_THRESHOLD


def test_a_web_worker_freezes_what_start_up_loaded_and_collects_young_objects_less_often():
    probe = (
        "import gc; import config.wsgi; "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], gc.isenabled())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, young, enabled = int(out[0]), int(out[1]), out[2]
    assert frozen > 50_000  # Django, the apps and every view module
    assert young == YOUNG_THRESHOLD
    assert enabled == "True"  # tuned, never switched off


def test_page_requests_run_without_parallel_query_on_the_primary(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
