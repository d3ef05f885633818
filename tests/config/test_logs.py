"""Logs never carry a person search: the request loggers write method and path, not the query
string, and a refusal is logged without a traceback (earlyhelp/logs.py)."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from tests.conftest import BASE_DIR, signed_in
from tests.factories import PersonFactory


def production_json(record: logging.LogRecord) -> str:
    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    return JsonFormatter(**options).format(record)


def test_a_refused_person_search_is_logged_without_the_name_or_a_traceback(
    client, practitioner, caplog
):
    signed_in(client, practitioner)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("person_search"), {"name": "Zebedee Quartermaine"})
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    line = production_json(record)
    assert "Zebedee" not in line
    assert "Quartermaine" not in line
    assert "POST /front-door/people/" in line
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


def _console_lines(record: logging.LogRecord) -> tuple[str, str]:
    [console] = [h for h in logging.getLogger().handlers if h.filters]
    assert console.filter(record)
    return production_json(record), logging.Formatter("%(message)s").format(record)


def test_a_broken_constraint_is_logged_by_its_name_without_the_values(db, caplog):
    held = {"nhs_number": "9434765919"}
    PersonFactory(**held)
    logger = logging.getLogger("earlyhelp.tests")
    with caplog.at_level(logging.ERROR, logger="earlyhelp.tests"):
        try:
            with transaction.atomic():  # (the traceback prints this line: no values on it)
                PersonFactory(**held, first_name="Zebedee")
        except IntegrityError as error:
            logger.exception("could not save: %r", error)
    [record] = caplog.records
    for line in _console_lines(record):
        assert "9434765919" not in line
        assert "nhs_number" in line  # the constraint's name still says what went wrong
        assert "values withheld" in line
        assert "IntegrityError" in line  # the traceback is kept
