"""Administrators' and managers' views of the audit trail, and the break-glass page."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from cases.access import activity_subjects_for, break_glass_open
from cases.forms import GovukForm
from cases.models import Family
from earlyhelp import pages
from earlyhelp.errors import DomainError
from earlyhelp.forms import LimitsInWords
from earlyhelp.models import AuditAction, AuditEvent
from partners import doors


class AuditFilterForm(LimitsInWords, forms.Form):
    user = forms.EmailField(label="User's email address", required=False)
    action = forms.ChoiceField(
        label="What", required=False, choices=[("", "Anything"), *AuditAction.choices]
    )
    record_type = forms.CharField(
        label="Record type",
        required=False,
        max_length=40,
        help_text="For example: person, family, earlyhelpcase",
    )
    record_id = forms.IntegerField(label="Record number", required=False, min_value=1)


@doors.ADMINISTRATORS
def audit_search(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("user", "user__agency")
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            events = events.filter(user__email__iexact=data["user"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["record_type"]:
            events = events.filter(record_type=data["record_type"])
        if data["record_id"]:
            events = events.filter(record_id=data["record_id"])
    page, query = pages.paged(request, events)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query})


@doors.AUDIT_READERS
def user_activity(request, pk: int):
    """A per-user activity page: administrators for anyone, team managers for their agency."""
    subject = activity_subjects_for(request.user).filter(pk=pk).first()
    if subject is None:
        raise Http404
    events = AuditEvent.objects.filter(user=subject)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/user_activity.html", {"subject": subject, "page": page})


class BreakGlassForm(GovukForm):
    family = forms.IntegerField(
        label="Family record number",
        min_value=1,
        error_messages={
            "required": "Enter the family record number",
            "invalid": "The family record number must be a whole number",
        },
    )
    reason = forms.CharField(
        label="Why do you need to open this record?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a data protection request or a safeguarding review. "
        "This is recorded and reviewed.",
        error_messages={"required": "Enter the reason for opening this record"},
    )


@doors.ADMINISTRATORS
def break_glass(request):
    """An explicit, audited, four-hour grant to one family's records for an administrator."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = Family.objects.filter(pk=form.cleaned_data["family"]).first()
        if family is None:
            form.add_error("family", "There is no family with that record number")
        else:
            try:
                break_glass_open(
                    user=request.user,
                    family=family,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DomainError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(request, "Access opened for 4 hours. This has been recorded.")
                return redirect("family_detail", pk=family.pk)
    return render(request, "audit/break_glass.html", {"form": form})
