"""Exports through a Redis outage, and old export files deleted (issue 17, point 13)."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from reporting import exports
from reporting.models import ExportJob, ExportKind, ExportStatus
from tests.conftest import signed_in
from tests.reporting import factories as build

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))  # the worker's storage: the same folder
    return tmp_path


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_export_asked_for_while_redis_is_down_waits_with_a_message_and_starts_when_it_is_back(
    client, media, district_manager, practitioner, celery_worker_process
):
    episode = build.case(lead=practitioner, opened_on=datetime.date(2026, 7, 1))
    build.assessment(episode, started_on=datetime.date(2026, 7, 2))
    signed_in(client, district_manager)
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_REDIS
    celery_app._after_fork()
    try:
        response = client.post(
            reverse("export_start"),
            {"kind": ExportKind.ANNEX_A_CSV, "start": "2026-04-01", "end": "2026-09-30"},
        )
        assert response.status_code == 302  # not a 500
        job = ExportJob.objects.get()
        assert (job.status, job.published_at) == (ExportStatus.QUEUED, None)
        page = client.get(response.url).content.decode()
        assert "will start by itself when it is back" in page
        assert exports.exports_start_waiting(queue=celery_worker_process.queue) == 0
    finally:
        celery_app.conf.broker_url = old
        celery_app._after_fork()

    # The broker is back: beat's starter publishes it once, the worker builds it.
    assert exports.exports_start_waiting(queue=celery_worker_process.queue) == 1
    assert exports.exports_start_waiting(queue=celery_worker_process.queue) == 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not job.is_finished:
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == ExportStatus.READY, job.error
    page = client.get(reverse("export_status", args=[job.pk])).content.decode()
    assert "will start by itself" not in page and "Your file is ready" in page


@pytest.mark.django_db
def test_export_files_are_deleted_after_the_keeping_time(
    client, media, settings, district_manager, practitioner
):
    settings.EXPORT_KEEP_HOURS = 12
    episode = build.case(lead=practitioner, opened_on=datetime.date(2026, 7, 1))
    build.assessment(episode, started_on=datetime.date(2026, 7, 2))
    jobs = []
    for _ in range(2):
        job = ExportJob.objects.create(
            requested_by=district_manager,
            kind=ExportKind.ANNEX_A_CSV,
            params={"start": "2026-04-01", "end": "2026-09-30"},
        )
        jobs.append(exports.export_build(job.pk))
    old, recent = jobs
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=13)
    )
    assert (media / old.file_path).exists()

    assert exports.exports_delete_old() == 1

    assert not (media / old.file_path).exists()
    assert (media / recent.file_path).exists()
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    signed_in(client, district_manager)
    assert client.get(reverse("export_download", args=[old.pk])).status_code == 404
    page = client.get(reverse("export_status", args=[old.pk])).content.decode()
    assert "deleted because exports are kept for 12 hours" in page
    assert client.get(reverse("export_download", args=[recent.pk])).status_code == 200
