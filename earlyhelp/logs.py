"""What the request loggers may write. A query string can hold a person search (names, dates
of birth, postcodes), so a logged request is its method and path only; a refusal (4xx) is an
answer the product chose, so it is logged without a traceback."""

import logging
from urllib.parse import urlsplit

from django.http import HttpRequest


def without_query(request_line: str) -> str:
    """'GET /people/?q=Smith HTTP/1.1' -> 'GET /people/ HTTP/1.1'."""
    method, _, rest = request_line.partition(" ")
    target, _, protocol = rest.partition(" ")
    path = urlsplit(target).path
    return " ".join(part for part in (method, path, protocol) if part)


class RequestsWithoutPersonalData(logging.Filter):
    """On django.request and django.server: never the query string; no traceback below 500."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            # JSON logs write every extra; a Django request's repr carries its query string.
            record.request = f"{request.method} {request.path}"
        elif request is not None and not isinstance(request, str):
            record.request = None  # runserver's socket: nothing a reader needs
        if record.name == "django.server" and record.args:
            record.args = (without_query(str(record.args[0])), *record.args[1:])
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
