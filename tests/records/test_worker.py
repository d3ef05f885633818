"""The monthly retention job, run by a real Celery worker on the real broker."""

import datetime
import time

import pytest

from cases.models import Person
from records.models import RetentionReview, ReviewStatus
from records.tasks import retention_list_due
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_real_worker_lists_records_past_retention_for_approval(
    celery_worker_process, practitioner, district_manager
):
    case = factories.closed_case(lead=practitioner, closed_on=datetime.date(2001, 3, 1))
    Person.objects.filter(memberships__family=case.family).update(
        date_of_birth=datetime.date(1972, 2, 2)
    )
    retention_list_due.apply_async(queue=celery_worker_process.queue)
    deadline = time.monotonic() + 300  # a bound: the worker's start-up alone took 60 s under load
    while time.monotonic() < deadline and not RetentionReview.objects.exists():
        time.sleep(0.3)
    review = RetentionReview.objects.get()
    assert (review.family_id, review.status) == (case.family_id, ReviewStatus.PENDING)
    assert district_manager.notifications.filter(subject__contains="past retention").exists()
