"""What the request loggers may write. A query string can hold a person search (names, dates
of birth, postcodes), so a logged request is its method and path only; a refusal (4xx) is an
answer the product chose, so it is logged without a traceback."""

import logging
from urllib.parse import urlsplit


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
        if request is not None:
            # JSON logs write every extra; a Django request's repr carries its query string.
            path = getattr(request, "path", None)
            record.request = f"{request.method} {path}" if path is not None else None
        if record.name == "django.server" and record.args:
            record.args = (without_query(str(record.args[0])), *record.args[1:])
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
