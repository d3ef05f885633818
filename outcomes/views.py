"""Family outcomes pages: the cohort dashboard, programme families, a family's outcomes
(needs, progress, claim, family network meetings), claims and audit, batches, the quarterly
return and the outcomes plan. Thin: parse input, call a selector or service, render."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp import pages
from earlyhelp.audit import audit, audit_many, audit_view
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from earlyhelp.wording import counted
from outcomes import access, presenters, returns, selectors, services
from outcomes.forms import (
    ClaimAuditForm,
    ClaimDeclineForm,
    ClaimWithdrawForm,
    HubForm,
    NeedForm,
    NetworkMeetingForm,
    PlanVersionForm,
    ProgressForm,
    ReturnColumnsForm,
    ReturnForm,
)
from outcomes.models import ClaimBatch, ClaimStatus, FamilyNeed, OutcomesPlanVersion
from partners.models import District, FamilyHub


def _case(request, pk):
    return access.get_outcome_case_for(request.user, pk)


def _recordable_case(request, pk):
    case = _case(request, pk)
    access.require_record_outcomes(request.user, case)
    return case


# --- Dashboard and lists -----------------------------------------------------------------


def _district_filter(request) -> District | None:
    district_id = request.GET.get("district") or ""
    if not district_id:
        return None
    return District.objects.filter(pk=district_id if district_id.isdigit() else 0).first()


@access.OUTCOME_FIGURES
def outcomes_dashboard(request):
    """The cohort dashboard. Figures for strategic viewers are suppressed below 5."""
    district = _district_filter(request)
    dashboard = selectors.cohort_dashboard(
        request.user, district_id=district.pk if district else None
    )
    return render(
        request,
        "outcomes/dashboard.html",
        presenters.cohort_dashboard(request.user, dashboard, district=district),
    )


@access.PROGRAMME_TEAM
def programme_families(request):
    state = request.GET.get("state", "")
    if state not in selectors.ProgrammeState.LABELS:
        state = ""
    episodes = selectors.programme_families_for(request.user, state=state)
    page = Paginator(episodes, 50).get_page(request.GET.get("page"))
    for episode in page:
        episode.state_label = selectors.ProgrammeState.LABELS[episode.state]
    return render(
        request,
        "outcomes/families.html",
        {
            "page": page,
            "title": selectors.ProgrammeState.LABELS[state] if state else "Programme families",
            "state": state,
            "states": list(selectors.ProgrammeState.LABELS.items()),
            "labels": selectors.ProgrammeState.LABELS,
            "query": f"state={state}" if state else "",
        },
    )


# --- A family's outcomes -----------------------------------------------------------------


@access.CASE_OUTCOMES
def case_outcomes(request, pk: int):
    case = _case(request, pk)
    audit_view(request, case)
    record = selectors.case_outcomes(case)
    judgement = services.judge(record.episode) if record.episode else None
    state = None
    if record.episode is not None:
        state = (
            selectors.with_state(
                type(record.episode).objects.filter(pk=record.episode.pk), timezone.localdate()
            )
            .values_list("state", flat=True)
            .first()
        )
    needs = [
        {"need": n, "sustained_on": services.sustained_on(n), "progress": list(n.progress.all())}
        for n in record.needs
    ]
    return render(
        request,
        "outcomes/case_outcomes.html",
        {
            "case": case,
            "record": record,
            "needs": needs,
            "judgement": judgement,
            "state": state,
            "state_label": selectors.ProgrammeState.LABELS.get(state, "Not in the programme"),
            "may_record": access.may_record_outcomes(request.user, case),
            "may_open_case": access.case_page_opens(request.user, case),
            "programme_team": access.is_programme_team(request.user),
            "today": timezone.localdate(),
        },
    )


def _plan_headlines(case):
    episode = getattr(case, "programme", None)
    plan = episode.plan if episode else services.plan_version_in_force(case.opened_on)
    return plan.headlines.all()


def _case_form_page(request, case, form, save, *, title: str, button: str, **extra):
    """The outcomes pages that record one thing on a case (see earlyhelp.pages): success
    goes back to the family's outcomes page. These pages answer 200 with their errors."""
    return pages.form_page(
        request,
        form,
        save,
        then=reverse("case_outcomes", args=[case.pk]),
        template="outcomes/form_page.html",
        context={
            "case": case,
            "title": title,
            "back": ("case_outcomes", case.pk),
            "button": button,
            **extra,
        },
        error_status=200,
    )


@access.CASE_OUTCOMES
def add_need(request, pk: int):
    case = _recordable_case(request, pk)
    form = NeedForm(request.POST or None, headlines=_plan_headlines(case))

    def save(data):
        services.need_add(
            case=case,
            acting_user=request.user,
            headline_code=data["headline"],
            evidence=data["evidence"],
            source=data["source"],
            identified_on=data["identified_on"],
            request=request,
        )
        return "Need recorded."

    return _case_form_page(
        request, case, form, save, title="Record a need", button="Record the need"
    )


@access.CASE_OUTCOMES
@require_POST
def needs_from_assessment(request, pk: int):
    case = _recordable_case(request, pk)
    try:
        created = services.needs_from_assessment(
            case=case, acting_user=request.user, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{counted(len(created), 'need')} carried over from the assessment."
        )
    return redirect("case_outcomes", pk=case.pk)


@access.CASE_OUTCOMES
def record_progress(request, pk: int, need_id: int):
    case = _recordable_case(request, pk)
    need = get_object_or_404(
        FamilyNeed.objects.select_related("headline", "episode"), pk=need_id, episode__case=case
    )
    record = selectors.case_outcomes(case)
    meetings = record.held_meetings
    form = ProgressForm(request.POST or None, meetings=meetings, closed=not case.is_open)

    def save(data):
        meeting, at_closure = form.place(meetings)
        services.progress_record(
            need=need,
            acting_user=request.user,
            status=data["status"],
            evidence=data["evidence"],
            meeting=meeting,
            at_closure=at_closure,
            significant_since=data["significant_since"],
            request=request,
        )
        return f"Progress recorded: {need.headline.label}."

    return _case_form_page(
        request,
        case,
        form,
        save,
        title=f"Record progress: {need.headline.label}",
        button="Record progress",
        no_meetings=not meetings and case.is_open,
        may_open_case=access.case_page_opens(request.user, case),
    )


@access.CASE_OUTCOMES
def set_family_hub(request, pk: int):
    case = _recordable_case(request, pk)
    episode = getattr(case, "programme", None)
    form = HubForm(
        request.POST or None,
        hubs=FamilyHub.objects.filter(district_id=case.district_id),
        initial={"family_hub": episode.family_hub_id if episode else None},
    )

    def save(data):
        services.episode_hub_set(
            case=case, acting_user=request.user, family_hub=data["family_hub"], request=request
        )
        return "Family hub saved."

    return _case_form_page(request, case, form, save, title="Family hub", button="Save")


@access.CASE_OUTCOMES
def add_network_meeting(request, pk: int):
    case = _recordable_case(request, pk)
    form = NetworkMeetingForm(request.POST or None)

    def save(data):
        services.network_meeting_record(
            case=case, acting_user=request.user, request=request, **data
        )
        return "Family network meeting recorded."

    return _case_form_page(
        request,
        case,
        form,
        save,
        title="Record a family network meeting",
        button="Record the meeting",
    )


# --- Claims ------------------------------------------------------------------------------


@access.PROGRAMME_TEAM
def prepare_claim(request, pk: int):
    """Prepare the claim, or record why the family is not being claimed for."""
    case = _case(request, pk)
    record = selectors.case_outcomes(case)
    if record.episode is None:
        raise Http404
    judgement = services.judge(record.episode)
    decline = ClaimDeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    problem = None

    def save_decline(data):
        services.claim_decline(
            case=case, acting_user=request.user, reason=data["reason"], request=request
        )

    if decline.is_bound:
        submission = pages.submit(request, decline, save_decline)
        if submission.repeated:
            return pages.repeated(request, reverse("case_outcomes", args=[case.pk]))
        if submission:
            messages.success(request, "Recorded why the family is not being claimed for.")
            return redirect("case_outcomes", pk=case.pk)
    elif request.method == "POST":
        try:
            claim = services.claim_prepare(case=case, acting_user=request.user, request=request)
        except DomainError as error:
            problem = str(error)
        else:
            messages.success(request, f"Claim {claim.reference} prepared.")
            return redirect("claim_detail", pk=claim.pk)
    return render(
        request,
        "outcomes/prepare_claim.html",
        {
            "case": case,
            "record": record,
            "judgement": judgement,
            "form": decline,
            "problem": problem,
        },
    )


@access.CLAIMS_READERS
def claim_list(request):
    period = request.GET.get("period", "") or services.programme_period(timezone.localdate())
    status = request.GET.get("status", "")
    if status not in ClaimStatus.values:
        status = ""
    claims = selectors.claims_for(request.user, period=period, status=status)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    periods = sorted(set(selectors.claim_periods()) | {period}, reverse=True)
    return render(
        request,
        "outcomes/claims.html",
        {
            "page": page,
            "period": period,
            "status": status,
            "periods": periods,
            "statuses": ClaimStatus.choices,
            "batches": ClaimBatch.objects.filter(period=period),
            "programme_team": access.is_programme_team(request.user),
            "internal_auditor": access.is_internal_auditor(request.user),
            "query": f"period={period}&status={status}",
        },
    )


@access.CLAIMS_READERS
def claim_detail(request, pk: int):
    claim = selectors.get_claim_for(request.user, pk)
    audit_view(request, claim)
    audit_form = withdraw_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "audit":
            form = audit_form = ClaimAuditForm(request.POST)

            def save(data):
                services.claim_audit(
                    claim=claim,
                    acting_user=request.user,
                    passed=data["result"] == "pass",
                    notes=data["notes"],
                    request=request,
                )
                return "Audit result recorded."

        elif action == "withdraw":
            form = withdraw_form = ClaimWithdrawForm(request.POST)

            def save(data):
                services.claim_withdraw(
                    claim=claim, acting_user=request.user, reason=data["reason"], request=request
                )
                return "Claim withdrawn."

        else:
            raise PermissionDenied
        submission = pages.submit(request, form, save)
        if submission.repeated:
            return pages.repeated(request, reverse("claim_detail", args=[claim.pk]))
        if submission:
            messages.success(request, submission.result)
            return redirect("claim_detail", pk=claim.pk)
    user = request.user
    may_audit = (
        access.is_internal_auditor(user)
        and claim.status == ClaimStatus.IN_SAMPLE
        and claim.prepared_by_id != user.pk
    )
    may_withdraw = access.is_programme_team(user) and claim.status in services.MOVES["withdraw"][0]
    return render(
        request,
        "outcomes/claim_detail.html",
        {
            "claim": claim,
            "case": claim.episode.case,
            "events": claim.events.select_related("by"),
            "audit_form": audit_form or (ClaimAuditForm() if may_audit else None),
            "withdraw_form": withdraw_form or (ClaimWithdrawForm() if may_withdraw else None),
            "may_audit": may_audit,
            "may_withdraw": may_withdraw,
            "may_open_outcomes": access.may_open_outcomes(user, claim.episode.case),
        },
    )


@access.INTERNAL_AUDIT
@require_POST
def sample_claims(request):
    period = request.POST.get("period", "")
    try:
        sampled, unsampled = services.claims_sample(
            period=period, acting_user=request.user, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{len(sampled)} claims sampled for audit; {len(unsampled)} go forward."
        )
    return redirect(f"{reverse('claim_list')}?{urlencode({'period': period})}")


@access.PROGRAMME_TEAM
@require_POST
def create_batch(request):
    period = request.POST.get("period", "")
    try:
        batch = services.claim_batch_create(
            period=period, acting_user=request.user, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('claim_list')}?{urlencode({'period': period})}")
    messages.success(request, f"{batch} made with {batch.claims.count()} claims.")
    return redirect("claim_batch", pk=batch.pk)


@access.CLAIMS_READERS
def claim_batch(request, pk: int):
    batch = get_object_or_404(ClaimBatch, pk=pk)
    claims = selectors.claims_for(request.user).filter(batch=batch)
    if request.GET.get("format") == "csv":
        rows = [
            [
                c.reference,
                c.episode.case.reference,
                c.family_id,
                c.episode.case.district.name,
                c.period,
                c.get_status_display(),
                f"{c.prepared_on:%d/%m/%Y}",
            ]
            for c in claims
        ]
        audit(user=request.user, action=AuditAction.EXPORT, record=batch, request=request)
        body = returns.write_csv(
            ["Claim", "Case reference", "Family ID", "District", "Period", "Status", "Prepared"],
            rows,
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="claim-batch-{batch.period}-{batch.number}.csv"'
        )
        return response
    audit_view(request, batch)
    return render(request, "outcomes/batch.html", {"batch": batch, "claims": claims})


# --- The quarterly return ----------------------------------------------------------------


# A county's first check can list thousands of rows to fix.
RETURN_PROBLEMS_PAGE = 100


@access.PROGRAMME_TEAM
def quarterly_return(request):
    """Check the return for a quarter; download it only when every row passes."""
    form = ReturnForm(request.GET or None)
    context = {
        "form": form,
        "columns": returns.layout_columns(),
        "column_labels": dict(returns.column_choices()),
    }
    if form.is_bound and form.is_valid():
        start, end = returns.quarter_bounds(
            datetime.date.fromisoformat(form.cleaned_data["quarter"])
        )
        label = dict(form.fields["quarter"].choices)[form.cleaned_data["quarter"]]
        if request.GET.get("download"):
            header, rows, problems = returns.build_return(start, end)
            row_count = len(rows)
        else:
            row_count, problems = returns.check_return(start, end)
        if not problems and request.GET.get("download"):
            audit_many(
                request, AuditAction.EXPORT, "outcomes_return", reason=f"{label}: {len(rows)} rows"
            )
            response = HttpResponse(
                returns.write_csv(header, rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="family-outcomes-return-{start:%Y-%m}.csv"'
            )
            return response
        page, query = pages.paged(request, problems, RETURN_PROBLEMS_PAGE)
        context.update(
            {
                "checked": True,
                "label": label,
                "row_count": row_count,
                "problems": problems,
                "page": page,
                "query": query,
                "quarter": form.cleaned_data["quarter"],
            }
        )
    return render(request, "outcomes/return.html", context)


@access.PROGRAMME_TEAM
def return_columns(request):
    form = ReturnColumnsForm(request.POST or None, initial={"columns": returns.layout_columns()})

    def save(data):
        services.return_layout_set(
            acting_user=request.user, columns=data["columns"], request=request
        )
        return "Return columns saved."

    return _simple_form_page(
        request,
        form,
        save,
        then="outcomes_return",
        title="Columns in the quarterly return",
        button="Save columns",
    )


def _simple_form_page(request, form, save, *, then: str, **context):
    """The programme's own settings pages: back to `then` (a view name) when saved."""
    return pages.form_page(
        request,
        form,
        save,
        then=then,
        template="outcomes/simple_form.html",
        context={**context, "back": (then, None)},
        error_status=200,
    )


# --- The outcomes plan -------------------------------------------------------------------


@access.PLAN_READERS
def outcomes_plan(request):
    versions = OutcomesPlanVersion.objects.prefetch_related("headlines")
    return render(
        request,
        "outcomes/plan.html",
        {
            "versions": versions,
            "in_force": services.plan_version_in_force(timezone.localdate()),
            "may_edit": access.PLAN_EDITORS.allows(request.user),
        },
    )


@access.PLAN_EDITORS
def new_plan_version(request):
    latest = OutcomesPlanVersion.objects.order_by("-number").first()
    headlines = latest.headlines.all() if latest else []
    initial = {
        "title": latest.title if latest else "",
        "min_needs": latest.min_needs if latest else 3,
        "audit_sample_percent": latest.audit_sample_percent if latest else 10,
        "effective_from": timezone.localdate() + datetime.timedelta(days=1),
    }
    form = PlanVersionForm(request.POST or None, headlines=headlines, initial=initial)

    def save(data):
        plan = services.plan_version_create(
            acting_user=request.user,
            title=data["title"],
            effective_from=data["effective_from"],
            min_needs=data["min_needs"],
            audit_sample_percent=data["audit_sample_percent"],
            headlines=form.headline_rows(),
            note=data["note"],
            request=request,
        )
        return f"Version {plan.number} saved."

    return _simple_form_page(
        request,
        form,
        save,
        then="outcomes_plan",
        title="New version of the outcomes plan",
        button="Save as a new version",
        intro="Families already in the programme keep the version they were judged "
        "against. This version applies to episodes that start on or after its date.",
    )
