from celery import shared_task

from partners.models import District


@shared_task(time_limit=30, soft_time_limit=25)
def health_check() -> dict:
    """Proves a worker can reach the broker and the database: used by the status page and
    the test that runs a real task through a real worker."""
    return {"districts": District.objects.count()}
