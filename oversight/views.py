"""Pages for supervision (on the case) and the consultants' consultation log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import access, case_page
from earlyhelp import pages
from earlyhelp.audit import audit_view
from oversight import access as oversight_access
from oversight import forms, selectors, services
from oversight.access import keeps_consultation_log
from oversight.models import ConsultationOutcome
from partners import doors


@doors.MANAGERS
def record_supervision(request, case_id: int):
    case = access.get_case_for(request.user, case_id)
    if not oversight_access.may_supervise(request.user, case) or not case.is_open:
        raise PermissionDenied("Only a team manager responsible for this open case can do this.")
    form = forms.SupervisionForm(request.POST or None)

    def save(data):
        services.supervision_record(case=case, acting_user=request.user, request=request, **data)
        return "Supervision recorded."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Record supervision",
        action=save,
        button="Save supervision",
        extra={
            "lede": "Case supervision or management oversight: what was discussed, what was "
            "decided, and when the case will next be supervised."
        },
    )


@doors.CONSULTATION_READERS
def consultation_log(request):
    outcome = request.GET.get("outcome", "")
    log = selectors.consultation_log_for(request.user, outcome=outcome)
    page = Paginator(log, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/consultation_log.html",
        {
            "page": page,
            "outcome": outcome if outcome in ConsultationOutcome.values else "",
            "outcomes": ConsultationOutcome.choices,
            "may_record": keeps_consultation_log(request.user),
            "query": f"outcome={outcome}" if outcome in ConsultationOutcome.values else "",
        },
    )


@doors.CONSULTANTS
def record_consultation(request):
    form = forms.ConsultationForm(request.POST or None, initial={"asked_on": timezone.localdate()})
    submission = pages.submit(
        request,
        form,
        lambda data: services.consultation_record(
            acting_user=request.user, request=request, **data
        ),
    )
    if submission.repeated:  # the first went to its consultation, at the top of the log
        return pages.repeated(request, "consultation_log")
    if submission:
        consultation = submission.result
        messages.success(request, f"Consultation {consultation.reference} recorded.")
        return redirect("consultation_detail", pk=consultation.pk)
    return render(
        request,
        "oversight/consultation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@doors.CONSULTATION_READERS
def consultation_detail(request, pk: int):
    consultation = selectors.get_consultation_for(request.user, pk)
    if consultation.family_id:
        audit_view(request, consultation)
    form = forms.ConsultationOutcomeForm(
        request.POST or None, initial={"outcome": consultation.outcome}
    )
    may_change = consultation.consultant_id == request.user.pk
    if request.method == "POST" and not may_change:
        raise PermissionDenied("Only the consultant who gave the advice records its outcome.")

    def save(data):
        services.consultation_outcome_set(
            consultation=consultation,
            acting_user=request.user,
            outcome=data["outcome"],
            request=request,
        )
        return "Outcome saved."

    return pages.form_page(
        request,
        form,
        save,
        then=reverse("consultation_detail", args=[consultation.pk]),
        template="oversight/consultation_detail.html",
        context={"consultation": consultation, "may_change": may_change},
    )
