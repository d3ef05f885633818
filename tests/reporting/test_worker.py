"""An export built end to end by a real Celery worker on the real broker."""

import time
from pathlib import Path

import pytest
from django.test.utils import override_settings

from reporting import exports
from reporting.models import ExportJob, ExportKind
from tests.reporting import factories as build


@pytest.fixture
def worker_media(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


@pytest.fixture
def export_worker(worker_media, celery_worker_process):
    return celery_worker_process


def test_a_real_worker_builds_an_annex_a_export_with_progress(
    export_worker, worker_media, district_manager, practitioner
):
    import datetime

    episode = build.case(lead=practitioner, opened_on=datetime.date(2026, 7, 1))
    build.assessment(episode, started_on=datetime.date(2026, 7, 2))
    job = exports.export_request(
        acting_user=district_manager,
        kind=ExportKind.ANNEX_A_CSV,
        params={"start": "2026-04-01", "end": "2026-09-30"},
        queue=export_worker.queue,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = ExportJob.objects.get(pk=job.pk)
        if job.is_finished:
            break
        time.sleep(0.3)
    assert job.status == "ready", job.error
    text = (Path(worker_media) / job.file_path).read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("Child Unique ID,Gender,Ethnicity,Date of Birth")
    assert str(build.child_of(episode).pk) in text
