"""The deployment pieces that let web and workers run on several hosts: the compose file is
valid and shares export storage between web and worker with exactly one beat; files go
through default_storage, local disk by default and an S3-compatible bucket by settings."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def compose_config(tmp_path):
    """`docker-compose config` (Debian's docker-compose: no Docker engine needed) on the
    project's compose file, with .env.example as the .env."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker-compose", "config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "POSTGRES_PASSWORD": "compose-test"},
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_with_web_worker_one_beat_and_the_data_services(compose_config):
    services = compose_config["services"]
    assert {"web", "worker", "beat", "migrate", "postgres", "redis"} <= set(services)
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "beat" not in " ".join(services["worker"]["command"])  # no `worker -B`


def test_web_and_worker_share_the_export_storage(compose_config):
    services = compose_config["services"]

    def media(service):
        env = services[service]["environment"]
        mounts = {
            v["target"]: v["source"] if isinstance(v, dict) else v
            for v in (
                {"target": m.split(":")[1], "source": m.split(":")[0]} if isinstance(m, str) else m
                for m in services[service]["volumes"]
            )
        }
        return env["MEDIA_ROOT"], mounts[env["MEDIA_ROOT"]]

    assert media("web") == media("worker") == ("/data/media", "media")
    assert "media" in compose_config["volumes"]


def test_files_go_to_local_disk_by_default(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert isinstance(default_storage, FileSystemStorage)
    name = default_storage.save("exports/check.csv", ContentFile(b"a,b\n"))
    assert (tmp_path / name).read_bytes() == b"a,b\n"


def test_an_s3_compatible_bucket_is_used_when_one_is_set():
    env = {
        **os.environ,
        "STORAGE_BUCKET": "earlyhelp-exports",
        "STORAGE_ENDPOINT_URL": "https://objects.example.gov.uk",
        "STORAGE_REGION": "eu-west-2",
        "STORAGE_ACCESS_KEY": "test-access",
        "STORAGE_SECRET_KEY": "test-secret",
    }
    code = (
        "import django, json; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, s.bucket_name,"
        " s.endpoint_url, s.default_acl, s.querystring_auth, s.file_overwrite]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend, bucket, endpoint, acl, signed, overwrite = json.loads(result.stdout.splitlines()[-1])
    assert backend == "storages.backends.s3.S3Storage"
    assert (bucket, endpoint) == ("earlyhelp-exports", "https://objects.example.gov.uk")
    assert acl == "private" and signed is True and overwrite is False
