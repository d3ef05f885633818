"""Hand-over pages: a team manager's allocation queue (allocate a lead professional or send
the case to another team) and closures awaiting their authorisation, and children's social
care's step-up queue (accept or decline).

Thin views: a form checks input, a service (cases/services.py) makes the move; a DomainError
appears in the error summary (next to its field when it names one) with the input kept."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import access, forms, selectors, services
from cases.models import CaseStatus
from earlyhelp import pages
from earlyhelp.audit import audit_view
from earlyhelp.working_days import working_days_between
from partners import doors


@doors.MANAGERS
def allocation_queue(request):
    """Cases waiting for a lead professional in the manager's team(s), oldest first with
    significant harm at the top; one query for the page, whatever its length."""
    today = timezone.localdate()
    cases = list(selectors.cases_awaiting_allocation_for(request.user)[:200])
    for case in cases:
        case.days_waiting = working_days_between(case.queued_on or case.opened_on, today)
    return render(request, "cases/allocation_queue.html", {"cases": cases})


@doors.MANAGERS
def allocate_case(request, case_id: int):
    case = access.get_case_to_decide(request.user, case_id, access.may_allocate)
    audit_view(request, case)
    if not case.awaiting_allocation:
        messages.info(request, f"{case.reference} is {case.get_status_display().lower()}.")
        return redirect("case_detail", pk=case.pk)
    form = forms.AllocateForm(request.POST or None, leads=selectors.eligible_leads_for(case))

    def save(data):
        services.case_allocate(case=case, acting_user=request.user, request=request, **data)
        return f"{case.reference} is allocated to {case.lead_professional.full_name}."

    return pages.form_page(
        request,
        form,
        save,
        then="allocation_queue",
        template="cases/allocate.html",
        context={"case": case, "teams": selectors.teams_for_queue(case)},
    )


@doors.MANAGERS
def send_case_to_team(request, case_id: int):
    case = access.get_case_to_decide(request.user, case_id, access.may_allocate)
    if not case.awaiting_allocation:
        return redirect("case_detail", pk=case.pk)
    form = forms.SendToTeamForm(request.POST or None, teams=selectors.teams_for_queue(case))

    def save(data):
        services.case_send_to_team(case=case, acting_user=request.user, request=request, **data)
        return f"{case.reference} has gone to {case.lead_agency}'s queue."

    return pages.form_page(
        request,
        form,
        save,
        then="allocation_queue",
        template="cases/form_page.html",
        context={"case": case, "title": "Send to another team", "button": "Send"},
    )


@doors.SOCIAL_CARE
def stepup_queue(request):
    requests = list(selectors.step_up_queue_for(request.user)[:200])
    today = timezone.localdate()
    for step in requests:
        step.days_waiting = working_days_between(timezone.localdate(step.requested_at), today)
    return render(request, "cases/stepup_queue.html", {"requests": requests})


@doors.SOCIAL_CARE
def stepup_decide(request, pk: int):
    step = access.get_step_up_for(request.user, pk)
    audit_view(request, step.family)
    form = forms.StepUpDecisionForm(request.POST or None)
    if request.method == "POST" and step.status != "pending":
        form.is_valid()
        form.add_error(None, f"This request has already been {step.get_status_display().lower()}.")

    def save(data):
        if data["decision"] == "accept":
            services.step_up_accept(
                step=step,
                acting_user=request.user,
                social_care_team=data.get("social_care_team", ""),
                note=data.get("reason", ""),
                request=request,
            )
        else:
            services.step_up_decline(
                step=step, acting_user=request.user, reason=data["reason"], request=request
            )
        return f"{step.reference}: {step.get_status_display().lower()}."

    children = [m for m in step.family.memberships.select_related("person") if m.is_child]
    return pages.form_page(
        request,
        form,
        save,
        then="stepup_queue",
        template="cases/stepup_decide.html",
        context={"step": step, "children": children},
    )


@doors.MANAGERS
def closure_queue(request):
    """Lead professionals' closures waiting for this manager's authorisation, the longest
    waiting first; one query for the page, whatever its length."""
    today = timezone.localdate()
    closures = list(access.closures_awaiting_authorisation_for(request.user)[:200])
    for closure in closures:
        closure.days_waiting = working_days_between(timezone.localdate(closure.requested_at), today)
    return render(request, "cases/closure_queue.html", {"closures": closures})


@doors.MANAGERS
def authorise_closure(request, case_id: int):
    """The lead's closure as they confirmed it: authorise it (the case closes) or return it
    with a reason (the lead is told)."""
    case = access.get_case_to_decide(request.user, case_id, access.may_authorise_closure)
    audit_view(request, case)
    pending = case.closure_requests.filter(decision="").select_related("requested_by").first()
    if pending is None or case.status != CaseStatus.CLOSURE_PENDING:
        messages.info(request, f"{case.reference} is {case.get_status_display().lower()}.")
        return redirect("case_detail", pk=case.pk)
    form = forms.ClosureDecisionForm(request.POST or None)

    def save(data):
        if data["decision"] == "authorise":
            services.closure_authorise(case=case, acting_user=request.user, request=request)
            return f"Closure authorised: {case.reference} is closed."
        services.closure_return(
            case=case, acting_user=request.user, reason=data["reason"], request=request
        )
        return f"Closure returned: {case.reference} is open and the lead is told."

    return pages.form_page(
        request,
        form,
        save,
        then="closure_queue",
        template="cases/authorise_closure.html",
        context={
            "case": case,
            "pending": pending,
            "signposted": list(pending.signposted_services.all()),
        },
    )
