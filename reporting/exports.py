"""CSV and Excel files for every list and indicator, and the export jobs that build long ones.

Spreadsheet formula injection (OWASP "CSV Injection"): in CSV, a cell that starts with
= + - @, a tab or a carriage return is prefixed with a single quote, so a name typed as
'=HYPERLINK(...)' is shown as text and never run by Excel or LibreOffice. Excel files need
no prefix: their cells are typed, and text is written as text cells (xlsx_bytes).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from earlyhelp.audit import audit
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from earlyhelp.wording import term_lazy
from reporting.access import may_export
from reporting.models import ExportJob, ExportKind, ExportStatus

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe to open in a spreadsheet. Numbers and dates pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_text(neutralise(v)) for v in row])
    # A BOM so Excel opens UTF-8 names (é, ł) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet: str = "Sheet1",
    title: str | None = None,
) -> bytes:
    """An Excel workbook whose text is always text: every string is written as a string cell
    (never a formula), and one that starts like a formula also gets Excel's "quote prefix"
    style, so editing it does not turn it into one. Nothing is shown that was not typed.
    Its properties name the export and the authority (a validator or a screen reader reads
    them, not "openpyxl"); the bold header row stays in view and each column fits its text."""
    workbook = Workbook(write_only=False)
    _describe(workbook, title or sheet)
    worksheet = workbook.active
    worksheet.title = sheet
    widths = _ColumnWidths()
    worksheet.append([_xlsx_cell(worksheet, h) for h in widths.measure(header)])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, v) for v in widths.measure(row)])
    worksheet.freeze_panes = "A2"
    widths.apply(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _describe(workbook, title: str) -> None:
    properties = workbook.properties
    properties.title = str(title)
    properties.creator = properties.lastModifiedBy = settings.AUTHORITY_NAME
    # openpyxl wants naive UTC for the W3CDTF dates it writes.
    properties.created = properties.modified = timezone.now().replace(tzinfo=None)


class _ColumnWidths:
    """The widest value of each column, in characters, as the rows go by (they may be a
    stream), within limits so one long note does not push the rest off screen."""

    NARROWEST, WIDEST, DATE = 8, 60, 10

    def __init__(self):
        self.widths: list[int] = []

    def measure(self, row: Sequence) -> Sequence:
        for at, value in enumerate(row):
            if at == len(self.widths):
                self.widths.append(self.NARROWEST)
            self.widths[at] = max(self.widths[at], min(self._length(value), self.WIDEST))
        return row

    def _length(self, value) -> int:
        if value is None:
            return 0
        if isinstance(value, datetime.date):
            return self.DATE
        return max((len(line) for line in str(value).splitlines()), default=0)

    def apply(self, worksheet) -> None:
        for at, width in enumerate(self.widths, 1):
            worksheet.column_dimensions[get_column_letter(at)].width = width + 2


def workbook_title(name: str, scope, period=None) -> str:
    """What a workbook is called: the export and where it counts, e.g. "Cases — Amberford"
    or "Indicators — Amberford, Q2 2026-27"; the authority when no place was chosen."""
    places = [place.name for place in (scope.district, scope.agency) if place is not None]
    where = ", ".join(places or [settings.AUTHORITY_NAME])
    when = f", {period.report_label}" if period is not None else ""
    return f"{name} — {where}{when}"


def _xlsx_cell(worksheet, value):
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)  # a header in the authority's words (term_lazy)
    if isinstance(value, datetime.date):
        # A real date, shown the way the CSV and the national returns write it (openpyxl's
        # default is yyyy-mm-dd).
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(worksheet)
    cell.value = value
    cell.data_type = "s"  # openpyxl would read a leading '=' as a formula
    if value.startswith(DANGEROUS_PREFIXES):
        cell.quotePrefix = True
    return cell


# --- Rows for each kind of export ------------------------------------------------------

INDICATOR_HEADER = ["Section", "Indicator", "Number", "Out of", "Percentage", "Note"]


def indicator_rows(sections, *, suppressed: bool) -> list[list]:
    from reporting.indicators import present_figures

    rows = []
    for section in sections:
        for shown in present_figures(section.figures, suppressed=suppressed):
            rows.append(
                [
                    section.title,
                    shown["label"],
                    shown["value"],
                    shown["denominator"],
                    shown["percentage"],
                    shown["note"],
                ]
            )
    return rows


CASE_HEADER = [
    "Case reference",
    "Family",
    "District",
    "Lead agency",
    term_lazy("Lead professional"),
    "Level of need",
    "Status",
    "Opened on",
]


def case_rows(cases, user) -> Iterable[list]:
    """One row per case; a family restricted from `user` is 'Restricted record: contact X'
    and its name to the people named on it (cases/restriction.py)."""
    from cases import restriction
    from cases.models import LevelOfNeed

    cases = list(cases.select_related("family", "district", "lead_agency", "lead_professional"))
    restriction.mask_families(user, [case.family for case in cases])
    for case in cases:
        yield [
            case.reference,
            case.family.restriction.label if case.family.restriction.hidden else case.family.name,
            case.district.name,
            case.lead_agency.name,
            case.lead_professional.full_name if case.lead_professional_id else "",
            LevelOfNeed.label_for(case.level_of_need),
            case.get_status_display(),
            case.opened_on,
        ]


REQUEST_HEADER = [
    "Reference",
    "Received",
    "District",
    "Door",
    "Urgency",
    "Referral source",
    "Status",
    "Outcome",
    "Level of need",
    "Decided",
    "Re-referral",
]


def request_rows(referrals) -> Iterable[list]:
    """One row per request for support: codes and dates, no names. Streams from one query."""
    from cases.models import LevelOfNeed
    from referrals.models import Channel, Outcome, Referral, ReferralStatus, Urgency

    rows = referrals.values_list(
        "pk",
        "received_at",
        "district__name",
        "channel",
        "urgency",
        "source",
        "status",
        "decision__outcome",
        "decision__level_of_need",
        "decision__decided_at",
        "is_re_referral",
    ).order_by("received_at", "pk")
    for (
        pk,
        received,
        district,
        channel,
        urgency,
        source,
        status,
        outcome,
        level,
        decided,
        rr,
    ) in rows.iterator(chunk_size=5000):
        yield [
            Referral.reference_for(pk),
            timezone.localtime(received).date() if received else None,
            district or "",
            Channel(channel).label if channel else "",
            Urgency(urgency).label if urgency else "",
            source,
            ReferralStatus(status).label,
            Outcome(outcome).label if outcome else "",
            LevelOfNeed.label_for(level) if level else "",
            timezone.localtime(decided).date() if decided else None,
            "Yes" if rr else "No",
        ]


def requests_in(scope, start: datetime.date, end: datetime.date):
    return scope.referrals.filter(received_at__date__gte=start, received_at__date__lte=end)


def referrals_csv(user, *, start: datetime.date, end: datetime.date, request=None) -> bytes:
    """The requests for support received in a period, in the user's scope, as CSV."""
    from reporting.selectors import reporting_scope_for

    if not may_export(user, ExportKind.REQUESTS_CSV):
        raise DomainError("You cannot export this.")
    scope = reporting_scope_for(user)
    data = csv_bytes(REQUEST_HEADER, request_rows(requests_in(scope, start, end)))
    audit(
        user=user,
        action=AuditAction.EXPORT,
        record_type="referral",
        request=request,
        reason=f"requests {start:%d/%m/%Y}-{end:%d/%m/%Y}",
    )
    return data


# --- Export jobs (services) ------------------------------------------------------------

LONG_KINDS = {
    ExportKind.CASES_CSV,
    ExportKind.CASES_XLSX,
    ExportKind.REQUESTS_CSV,
    ExportKind.REQUESTS_XLSX,
    ExportKind.ANNEX_A_CSV,
    ExportKind.ANNEX_A_XLSX,
    ExportKind.BOARD_REPORT,
}


@transaction.atomic
def export_request(*, acting_user, kind: str, params: dict, request=None, queue: str | None = None):
    """Queue an export. The job is in the database first; the build task is published after
    commit, and if the broker is down the job waits and beat's starter publishes it later
    (exports_start_waiting). The task re-checks access when it runs."""

    if kind not in ExportKind.values:
        raise DomainError("Choose what to export.")
    if not may_export(acting_user, kind):
        raise DomainError("You cannot export this.")
    job = ExportJob.objects.create(requested_by=acting_user, kind=kind, params=params)
    transaction.on_commit(lambda: export_publish(job.pk, queue=queue))
    audit(
        user=acting_user,
        action=AuditAction.EXPORT,
        record=job,
        request=request,
        changes={"kind": [None, kind], "params": [None, str(params)]},
        reason="export requested",
    )
    return job


def export_publish(job_id: int, *, queue: str | None = None) -> bool:
    """Publish the build task; never raises. Records that it reached the broker."""
    from earlyhelp.notifications import publish
    from reporting.tasks import export_run

    if not publish(export_run, job_id, queue=queue):
        return False
    ExportJob.objects.filter(pk=job_id, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    return True


def exports_start_waiting(*, queue: str | None = None, lost_after_minutes: int = 30) -> int:
    """Beat, every minute: publish the jobs whose task never reached the broker (Redis was
    down), and those published long ago but never started (the message was lost). Building
    twice is harmless: export_build claims the job with a conditional UPDATE."""
    lost = timezone.now() - datetime.timedelta(minutes=lost_after_minutes)
    waiting = ExportJob.objects.filter(status=ExportStatus.QUEUED).filter(
        Q(published_at__isnull=True) | Q(published_at__lt=lost)
    )
    started = 0
    for job_id in waiting.order_by("created_at").values_list("pk", flat=True)[:500]:
        ExportJob.objects.filter(pk=job_id, published_at__lt=lost).update(published_at=None)
        if not export_publish(job_id, queue=queue):
            break  # the broker is still down: try again next minute
        started += 1
    return started


def export_storage():
    """Where export files live: the `exports` storage if one is configured (shared by web and
    worker, e.g. an object store through django-storages), else the default storage."""
    from django.core.files.storage import default_storage, storages

    if "exports" in settings.STORAGES:
        return storages["exports"]
    return default_storage


def export_keep_hours() -> float:
    return float(getattr(settings, "EXPORT_KEEP_HOURS", 24))


def exports_delete_old(*, now: datetime.datetime | None = None) -> int:
    """Delete export files older than EXPORT_KEEP_HOURS (the job stays, as `expired`, so
    the person sees what happened to their file)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=export_keep_hours())
    storage = export_storage()
    deleted = 0
    old = ExportJob.objects.filter(status=ExportStatus.READY, finished_at__lt=cutoff)
    for job in old.only("pk", "file_path").iterator():
        if job.file_path and storage.exists(job.file_path):
            storage.delete(job.file_path)
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED
        )
        deleted += 1
    return deleted


def export_path(job: ExportJob, extension: str) -> Path:
    return Path("exports") / str(job.requested_by_id) / f"{job.pk}-{job.kind}.{extension}"


XLSX_KINDS = {
    ExportKind.INDICATORS_XLSX,
    ExportKind.CASES_XLSX,
    ExportKind.REQUESTS_XLSX,
    ExportKind.ANNEX_A_XLSX,
}


def table_file(
    kind: str, header: Sequence[str], rows: list, sheet: str, *, title: str
) -> tuple[bytes, str]:
    """The rows as the file an export of `kind` gives: an Excel workbook called `title` for
    the Excel kinds, otherwise CSV; and the file's extension."""
    if kind in XLSX_KINDS:
        return xlsx_bytes(header, rows, sheet=sheet, title=title), "xlsx"
    return csv_bytes(header, rows), "csv"


def job_progress(job_id: int, progress: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=min(100, max(0, progress)))


def export_build(job_id: int) -> ExportJob:
    """Build the file for a queued job (called by the Celery task). Idempotent: a job that
    already finished is left alone, so a redelivered task does nothing."""
    from reporting import annex_a, board_report

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=5
    )
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed and job.status != ExportStatus.RUNNING:
        return job
    user = job.requested_by
    try:
        if not user.is_active or not may_export(user, job.kind):
            raise DomainError("The person who asked for this export can no longer export it.")
        params = job.params
        scope, period = scope_and_period_from_params(user, params)
        job_progress(job.pk, 15)
        kind = job.kind
        if kind in (ExportKind.ANNEX_A_CSV, ExportKind.ANNEX_A_XLSX):
            cases = annex_a.cases_counted(user, scope)
            rows = list(annex_a.rows(cases, period))
            title = workbook_title("Ofsted Annex A List 2", scope, period)
            data, extension = table_file(
                kind, annex_a.HEADER, rows, annex_a.SHEET_NAME, title=title
            )
            name = f"annex-a-list-2-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
        elif kind in (ExportKind.CASES_CSV, ExportKind.CASES_XLSX):
            from reporting.indicators import cases_behind

            cases = cases_behind(
                scope.cases,
                params.get("figure", "open"),
                _date(params.get("today")) or timezone.localdate(),
                **_drill_filters(params),
            )
            rows = list(case_rows(cases, user))
            title = workbook_title("Cases", scope)
            data, extension = table_file(kind, CASE_HEADER, rows, "Cases", title=title)
            name = f"cases-{timezone.localdate():%Y%m%d}.{extension}"
        elif kind in (ExportKind.REQUESTS_CSV, ExportKind.REQUESTS_XLSX):
            rows = list(request_rows(requests_in(scope, period.start, period.end)))
            title = workbook_title("Requests for support", scope, period)
            data, extension = table_file(kind, REQUEST_HEADER, rows, "Requests", title=title)
            name = f"requests-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
        elif kind in (ExportKind.INDICATORS_CSV, ExportKind.INDICATORS_XLSX):
            from reporting.indicators import indicators_for

            rows = indicator_rows(indicators_for(scope, period), suppressed=scope.suppress)
            title = workbook_title("Indicators", scope, period)
            data, extension = table_file(kind, INDICATOR_HEADER, rows, "Indicators", title=title)
            name = f"indicators-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
        else:
            data = board_report.render_pdf(
                scope, period, progress=lambda p: job_progress(job.pk, 15 + int(p * 0.8))
            )
            rows = []
            extension = "pdf"
            name = f"partnership-board-report-{slugify(period.report_label)}.pdf"
        job_progress(job.pk, 95)
        storage = export_storage()
        relative = str(export_path(job, extension))
        if storage.exists(relative):
            storage.delete(relative)  # a re-run replaces its own half-written file
        saved = storage.save(relative, ContentFile(data))
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.READY,
            progress=100,
            file_path=saved,
            file_name=name,
            row_count=len(rows),
            finished_at=timezone.now(),
        )
    except DomainError as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error="The export could not be built. Try again, or ask for help.",
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    return job


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _drill_filters(params: dict) -> dict:
    return {
        "level": _int(params.get("level")),
        "worker": _int(params.get("worker")),
        "agency": _int(params.get("lead_agency")),
        "district": _int(params.get("in_district")),
    }


def scope_and_period_from_params(user, params: dict):
    """Rebuild the scope from the stored filters for the requester as they are now."""
    from partners.models import Agency, District
    from reporting.selectors import Period, reporting_scope_for

    district = District.objects.filter(pk=_int(params.get("district"))).first()
    agency = Agency.objects.filter(pk=_int(params.get("agency"))).first()
    scope = reporting_scope_for(user, district=district, agency=agency)
    today = timezone.localdate()
    start = _date(params.get("start")) or Period.quarter_of(today).start
    end = _date(params.get("end")) or today
    if end < start:
        start, end = end, start
    return scope, Period(start, end)


def job_for_download(user, pk) -> ExportJob:
    """The requester's own finished job; anyone else gets Http404. Access is checked again,
    so a person who has since lost the right to export cannot fetch an old file."""
    from django.http import Http404

    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None or not may_export(user, job.kind):
        raise Http404
    return job
