"""Reporting pages: the caseload dashboard (managers), the strategy indicators (everyone who
sees figures), exports with progress, and quality assurance audits (consultants)."""

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access import cases_visible_to, get_case_for
from cases.models import LevelOfNeed
from earlyhelp import pages
from earlyhelp.audit import audit, audit_many
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from partners import doors
from reporting import education, exports, indicators, presenters, quality, signposting
from reporting.forms import (
    EducationImportForm,
    ExportRequestForm,
    QualityAuditForm,
    ReportFilterForm,
)
from reporting.models import ExportJob, ExportKind, QualityAudit
from reporting.selectors import filter_choices_for, filter_options_for, reporting_scope_for


def _filters(request, *, agency_filter: bool = True, drawn: bool = True):
    """The filter form and the viewer's scope narrowed by it. Signposting is counted wherever
    the family was sent from, so it has no lead agency filter. `drawn`: the page shows the
    form (a drill-down only applies it, and reads no drop-down options)."""
    districts, agencies = filter_choices_for(request.user)
    form = ReportFilterForm(
        request.GET or None,
        districts=districts,
        agencies=agencies,
        options=filter_options_for(request.user) if drawn else None,
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    agency = data.get("agency") if agency_filter else None
    scope = reporting_scope_for(request.user, district=data.get("district"), agency=agency)
    return form, scope


@doors.MANAGERS
def dashboard(request):
    """A manager's caseload over their scope, each figure linked to the cases behind it."""
    form, scope = _filters(request)
    period = form.period()
    as_at = indicators.summaries_as_at()
    load, figures_key, timely = indicators.dashboard_for(
        scope, period, timezone.localdate(), live=as_at is None
    )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "period": period,
            "summaries_as_at": as_at,
            "figures_key": figures_key,
            **presenters.caseload_dashboard(scope, load, timely),
        },
    )


def _drill_args(request) -> dict:
    def number(name):
        try:
            return int(request.GET.get(name)) if request.GET.get(name) else None
        except ValueError:
            return None

    level = number("level")
    if level is not None and level not in LevelOfNeed.values:
        raise Http404  # no such level of need (was a 500, issue 17 point 6)
    return {
        "level": level,
        "worker": number("worker"),
        "agency": number("lead_agency"),
        "district": number("in_district"),
    }


@doors.MANAGERS
def dashboard_cases(request):
    """The cases behind a dashboard figure, from the manager's own scoped queryset."""
    form, scope = _filters(request, drawn=False)
    figure = request.GET.get("figure", "open")
    if figure not in indicators.FIGURES:
        raise Http404
    args = _drill_args(request)
    cases = indicators.cases_behind(scope.cases, figure, timezone.localdate(), **args)
    cases = cases.select_related("family", "district", "lead_agency", "lead_professional")
    page, query = pages.paged(request, cases.order_by("opened_on", "pk"))
    shown = presenters.cases_behind(
        request.user,
        list(page.object_list),
        figure=figure,
        level=args["level"],
        params=request.GET,
    )
    return render(
        request,
        "reporting/dashboard_cases.html",
        {"figure": figure, "page": page, "query": query, "scope": scope, **shown},
    )


@doors.MANAGERS
def dashboard_referrals(request):
    """Requests waiting for triage in the manager's scope (from referrals/access.py)."""
    form, scope = _filters(request, drawn=False)
    waiting = scope.referrals.filter(status__in=["submitted", "in_triage"]).select_related(
        "district"
    )
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        waiting = waiting.filter(due_on__lt=timezone.localdate())
    page, query = pages.paged(request, waiting.order_by("due_on", "received_at", "pk"))
    return render(
        request,
        "reporting/dashboard_referrals.html",
        {"page": page, "query": query, "overdue": overdue, "today": timezone.localdate()},
    )


@doors.FIGURES
def indicator_list(request):
    """The strategies' indicators for any period and scope. Aggregate-only viewers see small
    numbers suppressed; nobody sees names here."""
    form, scope = _filters(request)
    period = form.period()
    as_at = indicators.summaries_as_at()
    sections = indicators.indicators_for(scope, period, live=as_at is None)
    breakdowns = indicators.breakdowns_for(scope, period, live=as_at is None)
    return render(
        request,
        "reporting/indicators.html",
        {
            "form": form,
            "scope": scope,
            "period": period,
            **presenters.indicators_page(scope, sections, breakdowns),
            "summaries_as_at": as_at,
            "params": form.params(),
            "may_export_annex_a": exports.may_export(request.user, ExportKind.ANNEX_A_XLSX),
            "export_kinds": ExportKind,
        },
    )


def _download(request, fmt: str, figures, *, agency_filter: bool = True):
    """Figures on screen as a CSV or Excel file, straight away (a few queries), audited as an
    export. `figures(scope, period)` gives (kind, header, rows, sheet)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, scope = _filters(request, agency_filter=agency_filter)
    period = form.period()
    kind, header, rows, sheet = figures(scope, period)
    audit_many(
        request,
        AuditAction.EXPORT,
        kind,
        changes={"format": [None, fmt], "params": [None, str(form.params())]},
    )
    if fmt == "csv":
        data, content_type = exports.csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        title = exports.workbook_title(sheet, scope, period)
        data = exports.xlsx_bytes(header, rows, sheet=sheet, title=title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=content_type)
    name = f"{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _indicator_figures(scope, period):
    rows = exports.indicator_rows(
        indicators.indicators_for(scope, period), suppressed=scope.suppress
    )
    return "indicators", exports.INDICATOR_HEADER, rows, "Indicators"


@doors.FIGURES
def indicators_download(request, fmt: str):
    """The indicators on screen as CSV or Excel."""
    return _download(request, fmt, _indicator_figures)


# --- Signposting (issue 18) -----------------------------------------------------------


def _signposting_report(scope, period):
    """The report as this viewer may see it, small numbers suppressed where they must be."""
    return signposting.signposting_for(scope, period).shown(suppressed=scope.suppress)


def _signposting_figures(scope, period):
    rows = _signposting_report(scope, period).rows()
    return "signposting", signposting.HEADER, rows, "Signposting"


@doors.FIGURES
def signposting_report(request):
    """Services families were signposted to, by service, headline need, district and hub."""
    form, scope = _filters(request, agency_filter=False)
    period = form.period()
    report = _signposting_report(scope, period)
    return render(
        request,
        "reporting/signposting.html",
        {"form": form, "scope": scope, "period": period, "report": report},
    )


@doors.FIGURES
def signposting_download(request, fmt: str):
    """The signposting report on screen as CSV or Excel."""
    return _download(request, fmt, _signposting_figures, agency_filter=False)


@require_POST
@doors.FIGURES
def export_start(request):
    """Queue a long export and show its progress page."""
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to export.")
        return redirect("indicators")
    params = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "kind")}
    try:
        job = exports.export_request(
            acting_user=request.user, kind=form.cleaned_data["kind"], params=params, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("indicators")
    return redirect("export_status", pk=job.pk)


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@doors.FIGURES
def export_status(request, pk: int):
    """Progress of an export: htmx polls the progress fragment; without JavaScript the person
    refreshes the page."""
    job = _own_job(request, pk)
    template = (
        "reporting/includes/export_progress.html"
        if request.headers.get("HX-Request")
        else "reporting/export_status.html"
    )
    return render(request, template, {"job": job, "keep_hours": exports.export_keep_hours()})


@doors.FIGURES
def export_list(request):
    jobs = ExportJob.objects.filter(requested_by=request.user)[:50]
    return render(request, "reporting/export_list.html", {"jobs": jobs})


@doors.FIGURES
def export_download(request, pk: int):
    """The file, to the person who asked for it only, if they may still export it."""
    job = exports.job_for_download(request.user, pk)
    if job.status != "ready":
        raise Http404
    storage = exports.export_storage()
    try:
        if not storage.exists(job.file_path):
            raise Http404
        handle = storage.open(job.file_path, "rb")
    except SuspiciousFileOperation as error:
        raise Http404 from error
    audit(
        user=request.user,
        action=AuditAction.EXPORT,
        record=job,
        request=request,
        changes={"kind": [None, job.kind]},
        reason="export downloaded",
    )
    response = FileResponse(handle, as_attachment=True, filename=job.file_name)
    if job.file_name.endswith(".csv"):
        # RFC 4180 reads a CSV without a charset as US-ASCII; ours are UTF-8, as the
        # straight-away downloads say.
        response["Content-Type"] = "text/csv; charset=utf-8"
    return response


# --- Quality assurance ----------------------------------------------------------------


@doors.CONSULTANTS
def qa_sample(request):
    """This month's sample of cases to audit, per district."""
    today = timezone.localdate()
    month = quality.sample_month(today)
    sample = list(quality.qa_sample_for(request.user, month))
    done = set(
        QualityAudit.objects.filter(
            case__in=[c.pk for c in sample], sample_month=month
        ).values_list("case_id", flat=True)
    )
    recent = QualityAudit.objects.filter(auditor=request.user).select_related("case", "district")[
        :20
    ]
    return render(
        request,
        "reporting/qa_sample.html",
        {"sample": sample, "done": done, "month": month, "recent": recent},
    )


@doors.CONSULTANTS
def qa_audit_new(request, case_id: int):
    case = get_case_for(request.user, case_id)
    form = QualityAuditForm(request.POST or None)

    def save(data):
        return quality.quality_audit_record(
            case=case,
            acting_user=request.user,
            audited_on=timezone.localdate(),
            request=request,
            **data,
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:  # the first went to the audit; the sample lists the recent ones
        return pages.repeated(request, "qa_sample")
    if submission:
        messages.success(
            request,
            f"Audit of {case.reference} saved. The {term('lead professional')} has been told.",
        )
        return redirect("qa_feedback_detail", pk=submission.result.pk)
    audit(user=request.user, action=AuditAction.VIEW, record=case, request=request)
    return render(request, "reporting/qa_audit_form.html", {"case": case, "form": form})


@doors.CASE_WORKERS
def qa_feedback(request):
    """Audits of the cases I lead, with the consultant's feedback."""
    audits = quality.audits_for_lead_professional(request.user)
    return render(request, "reporting/qa_feedback.html", {"audits": audits})


@doors.CASE_WORKERS
def qa_feedback_detail(request, pk: int):
    """One audit: for its lead professional, its auditor, and anyone who may read the case."""
    record = get_object_or_404(QualityAudit.objects.select_related("case", "auditor"), pk=pk)
    user = request.user
    involved = user.pk in (record.lead_professional_id, record.auditor_id)
    if not involved and not cases_visible_to(user).filter(pk=record.case_id).exists():
        raise Http404
    audit(user=user, action=AuditAction.VIEW, record=record, request=request)
    return render(
        request,
        "reporting/qa_feedback_detail.html",
        {"record": record, "case_url": presenters.case_url(record.case)},
    )


@doors.EDUCATION_LOADERS
def education_import(request):
    """Administrators load requests for EHC needs assessments and exclusions from a CSV file
    of the education system's, all or nothing; problems by row and column, never a name."""
    bound = request.method == "POST"
    form = EducationImportForm(request.POST if bound else None, request.FILES if bound else None)

    def save(data) -> str:
        name = data["file"].name
        loaded = education.education_events_record(
            acting_user=request.user,
            rows=data["rows"],
            source=name,
            first_row=2,  # the spreadsheet's row: the column names are row 1
            file_name=name,
            request=request,
        )
        # The indicators read the summary tables, rebuilt every 10 minutes by beat.
        return f"{name}: {loaded}. The indicators count them within 10 minutes."

    return pages.form_page(
        request,
        form,
        save,
        then="education_import",
        template="reporting/education_import.html",
        context={"held": education.held_by_kind()},
    )
