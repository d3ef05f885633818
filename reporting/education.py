"""Education events from the education system: requests for an EHC needs assessment and
exclusions, each for a child matched by unique pupil number (UPN). They feed the indicators
'early help plan in place before a request for an EHC needs assessment / before exclusion'
(reporting/indicators.py).

One service records them, from a CSV file (the administrators' import page) or the API (the
education system's service account). A load is all or nothing: one bad row and nothing is
stored, with every bad row's problem listed by row and column, never by a child's name (an
administrator sees no children's records). Sending an event again records nothing new: it
is counted as already held."""

import csv
import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from cases.models import Person
from cases.validators import validate_upn
from earlyhelp.audit import audit
from earlyhelp.dates import within_the_calendar
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from reporting.models import EducationEvent, EducationEventKind

COLUMNS = ("upn", "kind", "occurred_on")
OPTIONAL_COLUMNS = ("source",)
MAX_EVENTS = 5000
MAX_FILE_BYTES = 2_000_000
SOURCE_LENGTH = EducationEvent._meta.get_field("source").max_length
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

KIND_CODES = ", ".join(f"{kind.value} ({kind.label})" for kind in EducationEventKind)
MESSAGES = {
    "upn": "Enter the child's unique pupil number (UPN)",
    "kind": f"Enter the kind of event: {KIND_CODES}",
    "occurred_on": "Enter the date it happened, like 03/03/2026 or 2026-03-03",
}
NOT_A_KIND = "“{input}” is not a kind of event: use " + KIND_CODES
NOT_MATCHED = "No child in the system has this unique pupil number"
_check_date = within_the_calendar(
    "The date it happened", not_future="The date it happened must be today or in the past"
)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


class EducationEventsRefused(DomainError):
    """Some rows could not be recorded, so none were. `errors` puts the headline on the file
    field of the import page and each row's problem in its error summary."""

    def __init__(self, problems: list[RowProblem], *, file_name: str = ""):
        self.problems = problems
        rows = len({p.row for p in problems})
        what = f"{file_name} was not imported" if file_name else "Nothing was recorded"
        super().__init__(
            f"{what}: {rows} row{'s' if rows != 1 else ''} "
            f"{'have' if rows != 1 else 'has'} problems, so nothing was stored. "
            "Correct them and send the whole file again."
        )

    @property
    def errors(self) -> dict:
        return {"file": str(self), **{f"row {p.row} {p.column}": str(p) for p in self.problems}}


class EducationFileRefused(DomainError):
    """A file that cannot be read as rows of education events at all."""


@dataclass(frozen=True)
class Loaded:
    received: int
    recorded: int
    already_held: int

    def __str__(self) -> str:
        return (
            f"{self.received} event{'s' if self.received != 1 else ''} read: "
            f"{self.recorded} recorded, {self.already_held} already held"
        )


# --- reading one row ---------------------------------------------------------------------


def _upn(value: str) -> str:
    upn = value.replace(" ", "").upper()
    if not upn:
        raise ValidationError(MESSAGES["upn"])
    validate_upn(upn)
    return upn


def _kind(value: str) -> str:
    kind = value.strip().lower()
    if not kind:
        raise ValidationError(MESSAGES["kind"])
    if kind not in EducationEventKind.values:
        raise ValidationError(NOT_A_KIND.format(input=value.strip()[:40]))
    return kind


def _date(value: str) -> datetime.date:
    text = value.strip()
    if not text:
        raise ValidationError(MESSAGES["occurred_on"])
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        _check_date(day)
        return day
    raise ValidationError(
        f"“{text[:20]}” is not a real date: use dd/mm/yyyy or yyyy-mm-dd, like 03/03/2026"
    )


def _source(value: str) -> str:
    source = value.strip()
    if len(source) > SOURCE_LENGTH:
        raise ValidationError(f"The source must be {SOURCE_LENGTH} characters or fewer")
    return source


_READERS = {"upn": _upn, "kind": _kind, "occurred_on": _date, "source": _source}


def _read_row(number: int, row: Mapping) -> tuple[dict, list[RowProblem]]:
    values, problems = {}, []
    if row.get(None):  # csv keeps cells beyond the column names under None
        problems.append(RowProblem(number, "row", "It has more cells than there are columns"))
    for column, read in _READERS.items():
        try:
            # A NUL (a stray byte from an export) is dropped, as everywhere text is typed.
            values[column] = read(str(row.get(column) or "").replace("\x00", ""))
        except ValidationError as error:
            problems.append(RowProblem(number, column, error.messages[0]))
    return values, problems


def _in_order(problem: RowProblem) -> tuple[int, int]:
    return problem.row, ["row", *_READERS].index(problem.column)


# --- the service -------------------------------------------------------------------------


@transaction.atomic
def education_events_record(
    *,
    acting_user,
    rows: Sequence[Mapping],
    source: str = "",
    first_row: int = 1,
    file_name: str = "",
    request=None,
) -> Loaded:
    """Record the events of `rows` (each with upn, kind, occurred_on and an optional source,
    as text), all or none: EducationEventsRefused lists every problem, rows numbered from
    `first_row`. A row without its own source takes `source` (the file or the system)."""
    read, problems = [], []
    for number, row in enumerate(rows, start=first_row):
        values, row_problems = _read_row(number, row)
        problems += row_problems
        read.append((number, values))
    upns = {v["upn"] for _, v in read if "upn" in v}
    people = dict(Person.objects.filter(upn__in=upns).values_list("upn", "pk"))
    problems += [
        RowProblem(n, "upn", NOT_MATCHED) for n, v in read if "upn" in v and v["upn"] not in people
    ]
    if problems:
        raise EducationEventsRefused(sorted(problems, key=_in_order), file_name=file_name)
    events = {}
    for _number, v in read:
        key = (people[v["upn"]], v["kind"], v["occurred_on"])
        events.setdefault(key, v["source"] or source[:SOURCE_LENGTH])
    held = set(
        EducationEvent.objects.filter(person_id__in={k[0] for k in events}).values_list(
            "person_id", "kind", "occurred_on"
        )
    )
    new = [
        EducationEvent(person_id=person, kind=kind, occurred_on=day, source=from_where)
        for (person, kind, day), from_where in events.items()
        if (person, kind, day) not in held
    ]
    # ignore_conflicts: a load sent twice at once records each event once.
    EducationEvent.objects.bulk_create(new, ignore_conflicts=True)
    loaded = Loaded(received=len(rows), recorded=len(new), already_held=len(rows) - len(new))
    audit(
        user=acting_user,
        action=AuditAction.CREATE,
        record_type=EducationEvent._meta.model_name,
        request=request,
        changes={"recorded": [0, loaded.recorded], "already_held": [0, loaded.already_held]},
        reason=f"education events from {source}"[:200] if source else "education events",
    )
    return loaded


# --- reading a CSV file ------------------------------------------------------------------


def read_csv(upload) -> list[dict]:
    """The rows of an uploaded CSV file, keyed by its headers; EducationFileRefused says
    plainly why a file cannot be read at all."""
    name = upload.name
    if not name.lower().endswith(".csv"):
        raise EducationFileRefused(f"{name} is not a CSV file: choose a file ending .csv")
    if upload.size > MAX_FILE_BYTES:
        raise EducationFileRefused(
            f"{name} is larger than {MAX_FILE_BYTES // 1_000_000} MB: split it into smaller files"
        )
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EducationFileRefused(
            f"{name} is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8” "
            "and choose it again"
        ) from error
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = [h.strip().lower() for h in reader.fieldnames or []]
        _check_headers(name, headers)
        reader.fieldnames = headers
        rows = [row for row in reader if any((v or "").strip() for v in row.values())]
    except csv.Error as error:
        raise EducationFileRefused(f"{name} could not be read as CSV ({error})") from error
    if not rows:
        raise EducationFileRefused(f"{name} has no events under its column names")
    if len(rows) > MAX_EVENTS:
        raise EducationFileRefused(
            f"{name} has {len(rows)} events: send at most {MAX_EVENTS} in one file"
        )
    return rows


def _check_headers(name: str, headers: list[str]) -> None:
    wanted = ",".join(COLUMNS) + "[,source]"
    missing = [c for c in COLUMNS if c not in headers]
    unknown = [h for h in headers if h not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or len(set(headers)) != len(headers):
        found = ",".join(headers) or "nothing"
        raise EducationFileRefused(
            f"The first row of {name} must be the column names {wanted}; it is {found[:120]}"
        )


def held_by_kind() -> list[tuple[str, int]]:
    """How many events are held of each kind (counts only: the import page names no one)."""
    counts = dict(
        EducationEvent.objects.values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return [(kind.label, counts.get(kind.value, 0)) for kind in EducationEventKind]
