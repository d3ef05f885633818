"""The casework pages: the Early Help Assessment (and its section of the case page, see
presenters.case_page_section) with
autosave and conflict handling, sign-off and versions, the family plan, TAF meetings,
closure, and the PDFs. Thin views: forms check input, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import forms, presenters, selectors, services
from assessments.access import may_sign_off
from assessments.models import (
    AssessmentStatus,
    MeetingDecision,
    MeetingStatus,
    PlanAction,
    TafMeeting,
)
from assessments.pdf import render_pdf
from assessments.sections import text_field_labels
from cases import access, restriction
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import CaseStatus, ClosureReason, ClosureRequest, FamilyView, Need
from directory.selectors import services_for_signposting
from earlyhelp import pages
from earlyhelp.audit import audit, audit_view
from earlyhelp.errors import DomainError, EditConflict
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from earlyhelp.working_days import working_days_between
from partners import doors

# get_case_for, compiled once per process for each kind of scope: every assessment, plan
# and meeting page reads its case first (ADR 0005).
_CASE = access.CaseRead()


def _case(request, case_id):
    return _CASE.get(request.user, case_id)


def _work_case(request, case_id):
    return case_selectors.get_case_for_work(request.user, case_id)


# --- Early Help Assessment ------------------------------------------------------------------


def _assessment(case, read=selectors.assessment_for):
    """The case's assessment (as `read` reads it). A case with none yet has nothing here to
    show or act on: a 404, never a 500."""
    assessment = read(case)
    if assessment is None:
        raise Http404
    return assessment


def _labels(user, case):
    """The assessment's field labels as `user` may read them (restricted voices masked)."""
    voices = services.voices(case)
    labels = text_field_labels([(person.pk, label) for person, label in voices])
    return presenters.shown_labels(user, labels, people=[person for person, _ in voices])


@doors.CASE_DATA
def assessment_detail(request, case_id: int):
    case = _case(request, case_id)
    assessment = _assessment(case)
    audit_view(request, assessment)
    labels = _labels(request.user, case)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "case": case,
            "assessment": assessment,
            "sections": presenters.sections(labels, assessment.content),
            "countdown": presenters.assessment_countdown(
                assessment, timezone.localdate(), case=case
            ),
            "can_work": access.can_work_on_case(request.user, case),
            "may_contribute": services.may_contribute(request.user, assessment),
            "contributors": list(assessment.contributors.select_related("user", "invited_by")),
            "may_sign_off": may_sign_off(request.user, assessment),
            "versions": list(assessment.versions.all()),
        },
    )


@doors.CASE_WORKERS
@require_POST
def start_assessment(request, case_id: int):
    case = _work_case(request, case_id)
    try:
        services.assessment_start(case=case, acting_user=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("case_detail", pk=case.pk)
    return redirect("edit_assessment", case_id=case.pk)


@doors.CASE_WORKERS
def edit_assessment(request, case_id: int):
    """The EHA form. Plain POSTs save the draft ("save") or submit it ("submit"); the
    autosave script posts the same form with X-Autosave and gets JSON back. Every save
    carries the lock_version the editor loaded: a stale one is a conflict, never a silent
    overwrite. Invited contributors edit the draft too (services.may_contribute)."""
    case = _case(request, case_id)
    assessment = _assessment(case, read=selectors.assessment_to_edit)
    if not services.may_contribute(request.user, assessment):
        raise PermissionDenied("You can read this case but not record work on it.")
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, "This assessment is locked. Start a new version to change it.")
        return redirect("assessment_detail", case_id=case.pk)
    labels = _labels(request.user, case)
    # A save sent as the page closes may come as a beacon, which cannot set headers.
    autosave = request.headers.get("X-Autosave") == "1" or request.POST.get("_autosave") == "1"
    if request.method == "POST":
        form = forms.AssessmentForm(request.POST, labels=labels)
        if form.is_valid():
            try:
                saved = services.assessment_save(
                    assessment=assessment,
                    acting_user=request.user,
                    lock_version=form.cleaned_data["lock_version"],
                    content=form.content(),
                    need_ids=form.need_ids(),
                    request=request,
                )
                if not autosave and "submit" in request.POST:
                    services.assessment_submit(
                        assessment=saved,
                        acting_user=request.user,
                        lock_version=saved.lock_version,
                        request=request,
                    )
                    messages.success(request, "Assessment submitted for sign-off.")
                    return redirect("assessment_detail", case_id=case.pk)
            except EditConflict as conflict:
                if autosave:
                    return JsonResponse(
                        {"saved": False, "conflict": True, "message": str(conflict)}, status=409
                    )
                return _conflict_page(request, case, labels, form, str(conflict))
            except DomainError as error:
                if autosave:
                    return JsonResponse({"saved": False, "message": str(error)}, status=400)
                pages.show_refusal(form, error)  # a child's unheard voice: next to its field
                # the draft was saved before submission failed: carry the new version
                assessment.refresh_from_db()
                pages.carry_lock_version(form, assessment.lock_version)
            else:
                if autosave:
                    return JsonResponse(
                        {
                            "saved": True,
                            "lock_version": saved.lock_version,
                            "saved_at": timezone.localtime(saved.last_saved_at).strftime(
                                "%H:%M:%S"
                            ),
                        }
                    )
                messages.success(request, "Draft saved.")
                return redirect("edit_assessment", case_id=case.pk)
        elif autosave:
            errors = "; ".join(e for errs in form.errors.values() for e in errs)
            return JsonResponse({"saved": False, "message": errors}, status=400)
    else:
        initial = dict(assessment.content)
        needs = list(assessment.needs.all())
        initial["needs_sf"] = [n.pk for n in needs if n.framework == "supporting_families"]
        initial["needs_vulnerability"] = [n.pk for n in needs if n.framework == "vulnerability"]
        initial["lock_version"] = assessment.lock_version
        form = forms.AssessmentForm(initial=initial, labels=labels)
    return render(
        request,
        "assessments/assessment_edit.html",
        {
            "case": case,
            "assessment": assessment,
            "form": form,
            "groups": presenters.form_groups(form, labels),
            "countdown": presenters.assessment_countdown(
                assessment, timezone.localdate(), case=case
            ),
        },
        status=400 if form.errors else 200,
    )


def _conflict_page(request, case, labels, form, message):
    """Both texts side by side: what is saved now (theirs) and what this editor typed
    (mine, kept in the form). Saving from here uses the current lock_version."""
    current = selectors.assessment_for(case)
    mine = form.content()
    rows = []
    for key, label in labels:
        theirs_value = str(current.content.get(key, "") or "")
        mine_value = str(mine.get(key, "") or "")
        rows.append(
            {
                "key": key,
                "label": label,
                "theirs": theirs_value,
                "mine": mine_value,
                "differs": theirs_value != mine_value,
            }
        )
    data = request.POST.copy()
    data["lock_version"] = current.lock_version
    keep = forms.AssessmentForm(data, labels=labels)
    keep.is_valid()
    return render(
        request,
        "assessments/assessment_conflict.html",
        {
            "case": case,
            "assessment": current,
            "rows": rows,
            "message": message,
            "form": keep,
            "lock_version": current.lock_version,
        },
        status=409,
    )


@doors.CASE_WORKERS
def sign_off_assessment(request, case_id: int):
    case = _case(request, case_id)
    assessment = _assessment(case)
    if not may_sign_off(request.user, assessment):
        raise PermissionDenied
    form = forms.SignOffForm(request.POST or None)

    def save(data):
        if data["decision"] == "sign_off":
            version = services.assessment_sign_off(
                assessment=assessment,
                acting_user=request.user,
                comment=data.get("comment", ""),
                request=request,
            )
            return f"Version {version.number} signed off."
        services.assessment_return(
            assessment=assessment,
            acting_user=request.user,
            comment=data["comment"],
            request=request,
        )
        return "Assessment returned for changes."

    labels = _labels(request.user, case)
    return pages.form_page(
        request,
        form,
        save,
        then=reverse("assessment_detail", args=[case.pk]),
        template="assessments/sign_off.html",
        context={
            "case": case,
            "assessment": assessment,
            "sections": presenters.sections(labels, assessment.content),
        },
    )


@doors.CASE_WORKERS
@require_POST
def revise_assessment(request, case_id: int):
    case = _work_case(request, case_id)
    assessment = _assessment(case)
    try:
        services.assessment_revise(assessment=assessment, acting_user=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("assessment_detail", case_id=case.pk)
    messages.success(request, "New version started from the signed-off assessment.")
    return redirect("edit_assessment", case_id=case.pk)


@doors.CASE_DATA
def assessment_version(request, case_id: int, number: int):
    case = _case(request, case_id)
    assessment = _assessment(case)
    version = get_object_or_404(assessment.versions, number=number)
    audit_view(request, version)
    return render(
        request,
        "assessments/assessment_version.html",
        {
            "case": case,
            "assessment": assessment,
            "version": version,
            "sections": presenters.sections(
                presenters.shown_labels(request.user, version.field_labels), version.content
            ),
            "needs": Need.objects.filter(code__in=version.need_codes).order_by(
                "framework", "order"
            ),
        },
    )


@doors.CASE_DATA
def compare_assessment_versions(request, case_id: int):
    case = _case(request, case_id)
    assessment = _assessment(case)
    versions = {v.number: v for v in assessment.versions.all()}
    choices = [(str(n), f"Version {n} (signed off)") for n in versions] + [
        ("current", f"Current working copy (version {assessment.version_number})")
    ]

    def side(value):
        if value == "current":
            return (
                f"Current working copy (version {assessment.version_number})",
                assessment.content,
                _labels(request.user, case),
            )
        try:
            v = versions[int(value)]
        except (KeyError, TypeError, ValueError):
            return None
        return (
            f"Version {v.number}",
            v.content,
            presenters.shown_labels(request.user, v.field_labels),
        )

    default_a = str(min(versions)) if versions else "current"
    a = side(request.GET.get("a", default_a))
    b = side(request.GET.get("b", "current"))
    rows = presenters.diff(a, b) if a and b else []
    audit_view(request, assessment)
    return render(
        request,
        "assessments/compare.html",
        {
            "case": case,
            "assessment": assessment,
            "choices": choices,
            "a": request.GET.get("a", default_a),
            "b": request.GET.get("b", "current"),
            "a_label": a[0] if a else "",
            "b_label": b[0] if b else "",
            "rows": rows,
            "changed": sum(1 for r in rows if r["changed"]),
        },
    )


@doors.CASE_DATA
def assessment_pdf(request, case_id: int):
    case = _case(request, case_id)
    assessment = _assessment(case)
    number = request.GET.get("version")
    if number:
        version = get_object_or_404(assessment.versions, number=number if number.isdigit() else 0)
        labels = presenters.shown_labels(request.user, version.field_labels)
        content = version.content
        needs = Need.objects.filter(code__in=version.need_codes)
        version_label = f"Version {version.number}, signed off"
        signed = {"signed_off_at": version.signed_off_at, "signed_off_by": version.signed_off_by}
        record = version
    else:
        labels, content = _labels(request.user, case), assessment.content
        needs = assessment.needs.all()
        version_label = (
            f"Version {assessment.version_number}, {assessment.get_status_display().lower()}"
        )
        # Signed off and not changed since: the document says when and by whom, as the
        # version it matches does, never "Not yet signed off" under "signed off".
        current = (
            assessment.versions.filter(number=assessment.version_number).first()
            if assessment.status == AssessmentStatus.SIGNED_OFF
            else None
        )
        signed = (
            {"signed_off_at": current.signed_off_at, "signed_off_by": current.signed_off_by}
            if current
            else {}
        )
        record = assessment
    pdf = render_pdf(
        "assessments/pdf/assessment.html",
        {
            "title": term("Early Help Assessment"),
            "case": case,
            "version_label": version_label,
            "sections": presenters.sections(labels, content),
            "needs": [n.label for n in needs],
            "started_on": assessment.started_on,
            **signed,
        },
    )
    audit(user=request.user, action=AuditAction.PRINT, record=record, request=request)
    return _pdf_response(pdf, f"early-help-assessment-{case.reference}.pdf")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Family plan --------------------------------------------------------------------------


@doors.CASE_DATA
def family_plan(request, case_id: int):
    case = _case(request, case_id)
    plan = selectors.plan_for(case)
    can_work = access.can_work_on_case(request.user, case)
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        try:
            services.plan_create(case=case, acting_user=request.user, request=request)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Family plan started. Add the outcomes the family sets.")
        return redirect("family_plan", case_id=case.pk)
    if plan is not None:
        audit_view(request, plan)
    return render(
        request,
        "assessments/plan.html",
        {
            "case": case,
            "plan": plan,
            "can_work": can_work,
            "status_choices": PlanAction._meta.get_field("status").choices,
            "first_taf_countdown": presenters.plan_countdown(plan, timezone.localdate(), case=case),
        },
    )


def _plan_or_404(case):
    plan = selectors.plan_for(case)
    if plan is None:
        raise Http404
    return plan


@doors.CASE_WORKERS
def add_plan_outcome(request, case_id: int):
    case = _work_case(request, case_id)
    plan = _plan_or_404(case)
    assessment = selectors.assessment_for(case)
    assessed = list(assessment.needs.all()) if assessment else []
    options = [(n.pk, n.label) for n in (assessed or Need.objects.filter(active=True))]
    form = forms.OutcomeForm(request.POST or None, need_options=options)

    def save(data):
        services.outcome_add(
            plan=plan,
            acting_user=request.user,
            text=data["text"],
            need_ids=data["needs"],
            priority=data["priority"],
            baseline_scaling=data.get("baseline_scaling"),
            request=request,
        )
        return "Outcome added to the plan."

    return _plan_form_page(
        request, case, form, save, title="Add an outcome the family has set", button="Add outcome"
    )


def _plan_form_page(request, case, form, save, *, title, button, lede="", then=None):
    """The casework pages that add one thing (see earlyhelp.pages): success goes to `then`,
    the family plan unless given."""
    return pages.form_page(
        request,
        form,
        save,
        then=then or reverse("family_plan", args=[case.pk]),
        template="assessments/plan_form.html",
        context={"case": case, "title": title, "button": button, "lede": lede},
    )


def _plan_form(request, case, form, title, button, lede=""):
    """The same page, for a view that goes on its own way once saved (pages.submit)."""
    return render(
        request,
        "assessments/plan_form.html",
        {"case": case, "form": form, "title": title, "button": button, "lede": lede},
        status=400 if form.errors else 200,
    )


@doors.CASE_WORKERS
def add_plan_action(request, case_id: int, outcome_id: int):
    case = _work_case(request, case_id)
    plan = _plan_or_404(case)
    outcome = get_object_or_404(plan.outcomes.all(), pk=outcome_id)
    members = case_selectors.taf_members_for(case)
    form = forms.ActionForm(
        request.POST or None,
        members=members,
        lead=case.lead_professional,
        services=services_for_signposting(district_id=case.district_id),
    )

    def save(data):
        services.action_add(
            outcome=outcome,
            acting_user=request.user,
            what=data["what"],
            due_on=data["due_on"],
            owner_member=next((m for m in members if str(m.pk) == data["owner"]), None),
            owner_is_family=data["owner"] == "family",
            owner_is_lead=data["owner"] == "lead",
            services=data.get("services") or (),
            request=request,
        )
        return "Action added to the plan."

    return _plan_form_page(
        request,
        case,
        form,
        save,
        title="Add an action",
        button="Add action",
        lede=f"For the outcome: {outcome.text}",
    )


@doors.CASE_WORKERS
@require_POST
def set_action_status(request, case_id: int, action_id: int):
    case = _work_case(request, case_id)
    action = get_object_or_404(PlanAction, pk=action_id, outcome__plan__case=case)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_status_set(
            action=action,
            acting_user=request.user,
            status=form.cleaned_data["status"],
            request=request,
        )
        messages.success(request, "Action updated.")
    else:
        messages.error(request, "Choose the action's status.")
    return redirect("family_plan", case_id=case.pk)


@doors.CASE_DATA
def family_plan_pdf(request, case_id: int):
    case = _case(request, case_id)
    plan = _plan_or_404(case)
    pdf = render_pdf(
        "assessments/pdf/plan.html",
        {
            "title": "Family plan",
            "case": case,
            "plan": plan,
            "version_label": f"Version {plan.version_number}",
        },
    )
    audit(user=request.user, action=AuditAction.PRINT, record=plan, request=request)
    return _pdf_response(pdf, f"family-plan-{case.reference}.pdf")


# --- TAF meetings and reviews -----------------------------------------------------------


@doors.CASE_WORKERS
def schedule_taf_meeting(request, case_id: int):
    case = _work_case(request, case_id)
    plan = selectors.plan_for(case)
    initial = {"scheduled_for": plan.first_taf_due_on if plan and not plan.agreed_on else None}
    form = forms.ScheduleMeetingForm(request.POST or None, initial=initial)

    def save(data):
        services.meeting_schedule(case=case, acting_user=request.user, request=request, **data)

    submission = pages.submit(request, form, save)
    if submission.repeated:
        return pages.repeated(request, reverse("case_detail", args=[case.pk]))
    if submission:
        messages.success(request, "Meeting scheduled. Every member is sent an invitation.")
        _warn_no_email(request, case)
        return redirect("case_detail", pk=case.pk)
    lede = ""
    if plan and not plan.agreed_on:
        lede = (
            f"The first TAF meeting agrees the plan. It is due by "
            f"{plan.first_taf_due_on:%-d %B %Y} (10 working days after the plan)."
        )
    return _plan_form(request, case, form, "Schedule a TAF meeting", "Schedule meeting", lede)


def _meeting_url(case, meeting) -> str:
    return reverse("taf_meeting_detail", args=[case.pk, meeting.pk])


def _warn_no_email(request, case) -> None:
    """The meeting is recorded either way; the lead is told whom the email cannot reach."""
    for name in case_selectors.taf_members_without_email(case):
        messages.warning(
            request,
            f"{name} has no email address, so was not sent the invitation. Tell them another "
            "way, or add their email address to the Team Around the Family.",
        )


def _scheduled_meeting(case, meeting_id):
    return get_object_or_404(TafMeeting, pk=meeting_id, case=case)


@doors.CASE_WORKERS
def reschedule_taf_meeting(request, case_id: int, meeting_id: int):
    case = _work_case(request, case_id)
    meeting = _scheduled_meeting(case, meeting_id)
    form = forms.RescheduleMeetingForm(
        request.POST or None,
        initial={
            "scheduled_for": meeting.scheduled_for,
            "starts_at": meeting.starts_at,
            "location": meeting.location,
        },
    )

    def save(data):
        services.meeting_reschedule(
            meeting=meeting, acting_user=request.user, request=request, **data
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:
        return pages.repeated(request, _meeting_url(case, meeting))
    if submission:
        messages.success(request, "Meeting moved. Every member is told of the change.")
        _warn_no_email(request, case)
        return redirect("taf_meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return _plan_form(request, case, form, "Move the meeting", "Move the meeting")


@doors.CASE_WORKERS
def cancel_taf_meeting(request, case_id: int, meeting_id: int):
    case = _work_case(request, case_id)
    meeting = _scheduled_meeting(case, meeting_id)
    form = forms.CancelMeetingForm(request.POST or None)

    def save(data):
        services.meeting_cancel(
            meeting=meeting, acting_user=request.user, reason=data["reason"], request=request
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:
        return pages.repeated(request, _meeting_url(case, meeting))
    if submission:
        messages.success(request, "Meeting cancelled. Every member is told.")
        _warn_no_email(request, case)
        return redirect("taf_meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return _plan_form(
        request,
        case,
        form,
        "Cancel the meeting",
        "Cancel the meeting",
        f"{meeting.get_kind_display()} on {meeting.scheduled_for:%-d %B %Y}.",
    )


@doors.CASE_WORKERS
def invite_contributor(request, case_id: int):
    """The lead invites someone who can already read the case (a consultant for the
    district, usually) to help complete the assessment."""
    case = _work_case(request, case_id)
    assessment = _assessment(case)
    people = selectors.possible_contributors(case)
    form = forms.InviteContributorForm(request.POST or None, people=people)

    def save(data):
        services.contributor_invite(
            assessment=assessment, acting_user=request.user, request=request, **data
        )
        return f"{data['user']} is invited to help."

    return _plan_form_page(
        request,
        case,
        form,
        save,
        title="Invite someone to help with the assessment",
        button="Send the invitation",
        lede="They can edit the draft with you until it is submitted, and are recorded as a "
        "contributor. You still submit it.",
        then=reverse("assessment_detail", args=[case.pk]),
    )


def _attendees(user, case):
    """(key, name, row) for the register: TAF members, then the family. A person restricted
    from `user` is asked about as "the restricted person" (their placeholder, "Restricted
    record: contact X", is no name for a question) with whom to contact as the hint
    (cases/restriction.py); the record keeps their name."""
    people = [(f"m{m.pk}", m.name, {"member": m}) for m in case_selectors.taf_members_for(case)]
    family = case_selectors.family_members(case)
    restriction.mask_people(user, [m.person for m in family])
    hidden = [m.person for m in family if m.person.restriction.hidden]
    for m in family:
        said = m.person.full_name
        if m.person.restriction.hidden:
            number = hidden.index(m.person) + 1
            said = "the restricted person" if len(hidden) == 1 else f"restricted person {number}"
        people.append((f"p{m.person_id}", said, {"person": m.person, "name": m.person.full_name}))
    return people


@doors.CASE_WORKERS
def record_taf_meeting(request, case_id: int, meeting_id: int):
    case = _work_case(request, case_id)
    meeting = get_object_or_404(TafMeeting, pk=meeting_id, case=case)
    if meeting.status != MeetingStatus.SCHEDULED:
        return redirect("taf_meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    plan = selectors.plan_for(case)
    outcomes = list(plan.outcomes.all()) if plan else []
    attendees = _attendees(request.user, case)
    form = forms.MeetingRecordForm(
        request.POST or None,
        attendees=[
            (k, n, ref["person"].restriction.label if "person" in ref else "")
            for k, n, ref in attendees
        ],
        outcomes=outcomes,
        initial={"held_on": min(meeting.scheduled_for, timezone.localdate())},
    )

    def save(data):
        services.meeting_record(
            meeting=meeting,
            acting_user=request.user,
            held_on=data["held_on"],
            decision=data["decision"],
            decision_reason=data.get("decision_reason", ""),
            discussion=data.get("discussion", ""),
            child_voice=data.get("child_voice", ""),
            next_review_on=data.get("next_review_on"),
            attendance=[
                {"name": name, **ref, "attendance": data.get(f"attend_{key}")}
                for key, name, ref in attendees
                if data.get(f"attend_{key}")
            ],
            progress=[
                {
                    "outcome": o,
                    "scaling": data.get(f"scaling_{o.pk}"),
                    "comment": data.get(f"comment_{o.pk}", ""),
                }
                for o in outcomes
            ],
            request=request,
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:
        return pages.repeated(request, _meeting_url(case, meeting))
    if submission:
        messages.success(request, "Meeting recorded.")
        # A decision that acts: start the step up or the closure, pre-filled from it.
        follow_on = DECISION_FOLLOW_ON.get(form.cleaned_data["decision"])
        if follow_on:
            return redirect(f"{reverse(follow_on, args=[case.pk])}?review={meeting.pk}")
        return redirect("taf_meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return render(
        request,
        "assessments/meeting_record.html",
        {
            "case": case,
            "meeting": meeting,
            "form": form,
            "attendance_fields": [form[f"attend_{k}"] for k, _, _ in attendees],
            "progress_fields": [
                (form[f"scaling_{o.pk}"], form[f"comment_{o.pk}"]) for o in outcomes
            ],
        },
        status=400 if form.errors else 200,
    )


@doors.CASE_DATA
def taf_meeting_detail(request, case_id: int, meeting_id: int):
    case = _case(request, case_id)
    meeting = get_object_or_404(TafMeeting, pk=meeting_id, case=case)
    audit_view(request, meeting)
    return render(
        request,
        "assessments/meeting_detail.html",
        {
            "case": case,
            "meeting": meeting,
            "attendance": presenters.attendance_rows(request.user, meeting),
            "progress": presenters.progress_rows(meeting),
            "can_work": access.can_work_on_case(request.user, case),
        },
    )


@doors.CASE_DATA
def review_pdf(request, case_id: int, meeting_id: int):
    case = _case(request, case_id)
    meeting = get_object_or_404(TafMeeting, pk=meeting_id, case=case, status=MeetingStatus.HELD)
    pdf = render_pdf(
        "assessments/pdf/review.html",
        {
            "title": "Team Around the Family meeting record",
            "case": case,
            "meeting": meeting,
            "attendance": presenters.attendance_rows(request.user, meeting),
            "progress": presenters.progress_rows(meeting),
            "version_label": f"Record of {meeting.held_on:%-d %B %Y}",
        },
    )
    audit(user=request.user, action=AuditAction.PRINT, record=meeting, request=request)
    return _pdf_response(pdf, f"taf-meeting-{case.reference}-{meeting.held_on}.pdf")


# --- Closure --------------------------------------------------------------------------------


@doors.CASE_WORKERS
def close_case(request, case_id: int):
    """Close the case in two steps: the answers, then a check-your-answers page that closes
    it on confirmation (or sends it to a manager to authorise, when its level needs that)."""
    case = _case(request, case_id)
    if not case.is_open or case.status == CaseStatus.CLOSURE_PENDING:
        messages.error(
            request,
            "This case's closure is waiting for a team manager's authorisation."
            if case.is_open
            else "This case is closed. To work with the family again, make a new request for "
            "support; the history is kept.",
        )
        return redirect("case_detail", pk=case.pk)
    case = _work_case(request, case_id)
    refused = case_services.closure_refused_for(request.user, case)
    if refused:  # before anything is typed; the service refuses it too
        messages.error(request, refused)
        return redirect("case_detail", pk=case.pk)
    plan = selectors.plan_for(case)
    outcomes = list(plan.outcomes.all()) if plan else []
    initial = {"closed_on": timezone.localdate()}
    review = _review_decision(case, request.GET.get("review"))
    if review is not None:  # pre-filled from the TAF review that decided to close
        reason = "stepped_down" if review.decision == MeetingDecision.STEP_DOWN else "needs_met"
        initial.update(reason=reason, summary=review.decision_reason)
    form = forms.ClosureForm(
        request.POST or None,
        case=case,
        acting_user=request.user,
        outcomes=outcomes,
        initial=initial,
        services=services_for_signposting(district_id=case.district_id),
    )
    needs_authorisation = access.closure_needs_authorisation(request.user, case)
    held_back_by = case_services.closure_held_back_by(
        case, request.user, needs_authorisation=needs_authorisation
    )
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        data = form.cleaned_data
        answers = form.answers()
        try:
            if request.POST.get("confirm") != "yes":
                checked = services.closure_prepare(case=case, acting_user=request.user, **answers)
                return _confirm_closure(request, case, form, checked, needs_authorisation)
            closed = services.case_close_with_plan(
                case=case,
                acting_user=request.user,
                signposted_services=data.get("signposted_services") or (),
                request=request,
                **answers,
            )
        except DomainError as error:
            pages.show_refusal(form, error)
        else:
            if isinstance(closed, ClosureRequest):
                messages.success(
                    request,
                    "The closure is waiting for a team manager's authorisation. You will be "
                    "told when they authorise it or return it.",
                )
            else:
                messages.success(request, "Case closed.")
            return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "assessments/close.html",
        {
            "case": case,
            "form": form,
            "outcome_fields": [form[f"result_{o.pk}"] for o in outcomes],
            "needs_authorisation": needs_authorisation,
            "held_back": held_back_by and case_services.closure_held_back_message(held_back_by),
        },
        status=400 if form.errors else 200,
    )


def _confirm_closure(request, case, form, answers, needs_authorisation):
    """Check your answers: what was entered, shown back, posted again on confirmation."""
    posted = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirm", "change")
        for value in values
    ]
    return render(
        request,
        "assessments/close_confirm.html",
        {
            "case": case,
            "answers": answers,
            "reason": ClosureReason(answers["reason"]).label,
            "family_view": FamilyView(answers["family_view"]).label,
            "signposted": form.cleaned_data.get("signposted_services") or (),
            "posted": posted,
            "needs_authorisation": needs_authorisation,
        },
    )


def _review_decision(case, meeting_id):
    if not meeting_id or not str(meeting_id).isdigit():
        return None
    return TafMeeting.objects.filter(case=case, pk=meeting_id, status=MeetingStatus.HELD).first()


DECISION_FOLLOW_ON = {
    MeetingDecision.STEP_UP: "step_up_case",
    MeetingDecision.STEP_DOWN: "close_case",
    MeetingDecision.CLOSE: "close_case",
}


@doors.MANAGERS
def signoff_queue(request):
    """Assessments waiting for this manager's sign-off, the longest waiting first."""
    today = timezone.localdate()
    assessments = list(selectors.assessments_awaiting_signoff_for(request.user)[:200])
    for assessment in assessments:
        submitted = (
            timezone.localdate(assessment.submitted_at) if assessment.submitted_at else today
        )
        assessment.days_waiting = working_days_between(submitted, today)
    return render(request, "assessments/signoff_queue.html", {"assessments": assessments})
