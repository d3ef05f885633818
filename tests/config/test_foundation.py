import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from partners import tasks
from partners.models import District
from tests.conftest import BASE_DIR, signed_in

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7#kq!v2$Lr9@pZ4^mW8&nB3*cF6(hJ1)tY5-gD0=sA2+eR7~uI9%oP4<qX8>",
    "ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
    "SITE_URL": "https://earlyhelp.example.gov.uk",
}


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.pop("EARLYHELP_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_extra={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", env_extra={**PRODUCTION_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name" in result.stderr


def test_production_refuses_to_start_without_the_address_for_links_in_emails():
    result = _manage("check", env_extra={**PRODUCTION_ENV, "SITE_URL": ""})
    assert result.returncode != 0
    assert "SITE_URL must be the service's https:// address" in result.stderr


def test_production_logs_are_one_json_object_a_line():
    result = _manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('earlyhelp').warning('sweep took %s ms', 12)",
        env_extra=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "sweep took 12 ms"
    assert line["level"] == "WARNING"
    assert line["logger"] == "earlyhelp"


def test_deploy_check_prints_no_warnings_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_sign_in_page_is_served_to_anyone(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Early help" in response.content


def test_home_redirects_a_signed_out_visitor_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_who_i_am_my_agency_districts_and_role(client, practitioner):
    response = signed_in(client, practitioner).get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Priya Shah" in text
    assert "Amberford Early Help Team" in text
    assert "Amberford" in text
    assert "Practitioner" in text


def test_error_pages_use_the_service_layout(client, practitioner):
    response = signed_in(client, practitioner).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-header" in response.content


def test_content_security_policy_forbids_inline_scripts_without_a_nonce(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy


def test_api_schema_is_served_to_signed_in_users(client, practitioner):
    response = signed_in(client, practitioner).get(reverse("api_schema"))
    assert response.status_code == 200
    assert b"/api/v1/people/" in response.content


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_through_the_redis_broker(celery_worker_process):
    District.objects.create(code="x", name="X")
    result = tasks.health_check.apply_async(queue=celery_worker_process.queue)
    assert result.get(timeout=60) == {"districts": 1}
