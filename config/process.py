"""How a long-running process (web worker, Celery worker) treats Python's garbage collector.

A full collection walks every object the process holds, including the hundred thousand or so
that loading Django, the apps and their URLs creates and never frees. On a county's larger
pages (the return's check, the first indicators after a rebuild) that walk was a pause of
about 100 ms every twenty-odd requests: most of their p95. Freezing what start-up created
takes it out of every later collection, and a higher first threshold collects young objects
less often (the usual production tuning; memory is still reclaimed, only in larger steps).
"""

import gc

# Objects allocated (net) between young collections; CPython's default is 700.
YOUNG_THRESHOLD = 50_000


def settle_after_start() -> None:
    """Call once the process has loaded everything it keeps (settings, apps, URLs)."""
    import django.urls

    django.urls.get_resolver().url_patterns  # noqa: B018  (load every view module now)
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
