"""Logs never carry a person search: the request loggers write method and path, not the query
string, and a refusal is logged without a traceback (earlyhelp/logs.py)."""

import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from tests.conftest import BASE_DIR, signed_in


def production_json(record: logging.LogRecord) -> str:
    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    return JsonFormatter(**options).format(record)


def test_a_refused_person_search_is_logged_without_the_name_or_a_traceback(
    client, practitioner, caplog
):
    signed_in(client, practitioner)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("person_search"), {"name": "Zebedee Quartermaine"})
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    line = production_json(record)
    assert "Zebedee" not in line
    assert "Quartermaine" not in line
    assert "GET /front-door/people/" in line
    assert '"status_code": 403' in line


def test_runserver_lines_keep_the_path_and_drop_the_query_string(caplog):
    with caplog.at_level(logging.INFO, logger="django.server"):
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /front-door/people/?name=Zebedee+Quartermaine HTTP/1.1", "200", "512"
        )
    assert caplog.messages[-1] == '"GET /front-door/people/ HTTP/1.1" 200 512'


def test_the_production_access_log_writes_no_query_string_or_referrer():
    command = Path(BASE_DIR, "Dockerfile").read_text()
    assert "--access-logformat" in command
    # gunicorn: %(r)s is the request line with its query string, %(q)s the query string,
    # %(f)s the referrer (a previous page's query string); %(U)s is the path alone.
    for field in ("%(r)s", "%(q)s", "%(f)s"):
        assert field not in command
    assert "%(U)s" in command


def test_a_bad_host_header_is_logged_without_a_traceback(client, db, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security"):
        response = client.get("/sign-in/?name=Zebedee", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name.startswith("django.security")]
    [console] = [h for h in logging.getLogger().handlers if h.filters]
    assert console.filter(record)
    assert record.exc_info is None
    assert "Zebedee" not in production_json(record)
