"""What the logs may hold: ids and counts, never personal data.

- A query string can hold a person search (names, dates of birth, postcodes), so a logged
  request is its method and path only.
- A refusal (4xx) is an answer the product chose, so it is logged without a traceback.
- PostgreSQL words a broken constraint with the values that broke it ("DETAIL: Key
  (nhs_number)=(…) already exists", "Failing row contains (…)"), so those lines are withheld
  from any message or traceback; the constraint's name, which says what went wrong, stays."""

import logging
import re
from urllib.parse import urlsplit

from django.http import HttpRequest

# PostgreSQL's DETAIL line, however the exception was printed (its own line, or a repr's \n).
_DETAIL = re.compile(r"DETAIL:[^\n]*?(?=\\n|\n|'\)|\"\)|$)")
_WITHHELD = "DETAIL: (values withheld from the log)"


def without_query(request_line: str) -> str:
    """'GET /people/?q=Smith HTTP/1.1' -> 'GET /people/ HTTP/1.1'."""
    method, _, rest = request_line.partition(" ")
    target, _, protocol = rest.partition(" ")
    path = urlsplit(target).path
    return " ".join(part for part in (method, path, protocol) if part)


def without_values(text: str) -> str:
    return _DETAIL.sub(_WITHHELD, text)


class RequestsWithoutPersonalData(logging.Filter):
    """On the console handler (and on django.request and django.server, so that tests see it)."""

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
        self._withhold_values(record)
        return True

    @staticmethod
    def _withhold_values(record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "DETAIL:" in message:
            record.msg, record.args = without_values(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "DETAIL:" in record.exc_text:
            # Formatters (the JSON one too) print exc_text when there is no exc_info.
            record.exc_info, record.exc_text = None, without_values(record.exc_text)
