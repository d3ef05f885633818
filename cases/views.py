"""Pages for cases: the list, the case page (other apps add their sections through
cases/case_page.py), case notes and corrections, consent, the Team Around the Family,
handover, step up and step down.

Views are thin: check input with a form, call a service, show DomainErrors in the GOV.UK
error summary with everything the user typed kept."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import access, case_page, forms, presenters, restriction, selectors, services
from cases.models import (
    CaseStatus,
    ChronologyEntry,
    ChronologyKind,
    ConsentRecord,
    LevelOfNeed,
    TeamAroundFamilyMember,
)
from earlyhelp import pages
from earlyhelp.audit import audit_view
from earlyhelp.errors import DomainError
from earlyhelp.wording import term
from earlyhelp.working_days import working_days_between
from partners import doors

PAGE_SIZE = 25
_CASE_LIST = selectors.CaseListRead()


@doors.CASE_WORKERS
def case_list(request):
    user = request.user
    districts = selectors.districts_of(user)
    # Open work first: with no filter chosen the list shows open cases.
    form = forms.CaseListFilterForm(
        request.GET or None, districts=districts, initial={"status": CaseStatus.OPEN}
    )
    filters = form.cleaned_data if form.is_valid() else {}
    cases = _CASE_LIST.items(
        user,
        PAGE_SIZE,
        status=(filters.get("status") or "") if form.is_bound else CaseStatus.OPEN,
        level=filters.get("level"),
        district=filters.get("district"),
        sort=request.GET.get("sort", "opened"),
    )
    page, query = pages.paged(request, cases, PAGE_SIZE)
    today = timezone.localdate()
    for case in page.object_list:
        paused = case.deadlines_paused
        case.due_countdown = (
            _countdown(case.next_due, today, paused=paused)
            if case.next_due and case.is_open
            else ""
        )
        case.due_overdue = bool(
            case.next_due and case.is_open and case.next_due < today and not paused
        )
    sort_query = request.GET.copy()
    sort_query.pop("page", None)
    sort_query.pop("sort", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "filter_form": form,
            "query": query,
            "heading": "My cases" if access.sees_own_cases_only(user) else "Cases",
            "sort": request.GET.get("sort", "opened"),
            "sort_query": sort_query.urlencode(),
        },
    )


def _countdown(due: datetime.date, today: datetime.date, *, paused: bool) -> str:
    if paused:
        return "Deadline paused"
    left = working_days_between(today, due)
    if due < today:
        late = max(1, -left)
        return f"Overdue by {late} working day{'s' if late != 1 else ''}"
    if due == today:
        return "Due today"
    return f"{left} working day{'s' if left != 1 else ''} left"


CHRONOLOGY_PAGE = 30


_CASE_PAGE_CASE = access.CaseRead(
    related=("lead_professional", "lead_agency"), annotations=selectors.case_page_annotations
)


@doors.CASE_DATA
def case_detail(request, pk: int):
    """The case page: the family, team, consent and chronology, with the sections other apps
    register (cases/case_page.py)."""
    case = _CASE_PAGE_CASE.get(request.user, pk)
    audit_view(request, case)
    kind = request.GET.get("kind", "")
    if kind not in ChronologyKind.values:
        kind = ""
    chronology = Paginator(selectors.chronology_for(case, kind=kind), CHRONOLOGY_PAGE)
    members = selectors.family_members(case)
    consents = selectors.consents_for(case)
    names = restriction.hidden_names(
        request.user, [m.person for m in members] + [c.given_by for c in consents]
    )
    page = chronology.get_page(request.GET.get("page"))
    can_work = access.can_work_on_case(request.user, case)
    page.object_list = presenters.chronology_rows(
        restriction.redact_entries(page.object_list, names), case=case, can_work=can_work
    )
    consented = selectors.consent_to_assessment_among(consents)
    step_ups = (
        list(selectors.step_up_requests_for_case(case)[:5]) if case.has_step_up_requests else []
    )
    context = {
        "case": case,
        "can_work": can_work,
        "members": members,
        "child_ids": set(case.child_ids),
        "taf_members": selectors.taf_members_for(case),
        "consents": consents,
        "no_consent_decisions": list(case.no_consent_decisions.all()[:3])
        if case.has_no_consent_decisions
        else [],
        "has_consent": consented,
        "consent_to_assessment": consented,
        "step_events": list(case.step_events.all()) if case.has_step_events else [],
        "page": page,
        "kind": kind,
        "kinds": ChronologyKind.choices,
        "query": f"kind={kind}" if kind else "",
        "level_label": LevelOfNeed.label_for(case.level_of_need),
        "closure": getattr(case, "closure", None) if not case.is_open else None,
        "may_allocate": case.awaiting_allocation and access.may_allocate(request.user, case),
        "may_authorise_closure": case.status == CaseStatus.CLOSURE_PENDING
        and access.may_authorise_closure(request.user, case),
        "last_closure_request": case.closure_requests.select_related(
            "decided_by", "requested_by"
        ).last()
        if case.has_closure_requests
        and case.status in (CaseStatus.OPEN, CaseStatus.CLOSURE_PENDING)
        else None,
        "step_ups": step_ups,
        # Only links the user may follow: a TAF member records work but does not hand over,
        # change the level or close (the services refuse them too).
        "may_hand_over": can_work and access.may_hand_over(request.user, case),
        "may_change_level": can_work and access.may_change_level(request.user, case),
        "may_close": can_work and access.may_close(request.user, case),
        # Instead of a "Close the case" link that would be refused (from the step ups read).
        "closure_held_back_by": can_work
        and access.may_close(request.user, case)
        and services.closure_held_back_by(case, request.user, step_ups=step_ups),
        **case_page.sections_context(case, request.user, timezone.localdate()),
    }
    return render(request, "cases/case_detail.html", context)


def _at(day: datetime.date | None) -> datetime.datetime | None:
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@doors.CASE_WORKERS
def add_case_note(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    form = forms.NoteForm(request.POST or None)

    def save(data):
        services.note_add(
            case=case,
            acting_user=request.user,
            kind=data["kind"],
            text=data["text"],
            occurred_at=_at(data.get("occurred_on")),
            request=request,
        )
        return "Note added to the chronology."

    return case_page.form_page(request, case=case, form=form, title="Add a case note", action=save)


@doors.CASE_WORKERS
def correct_case_note(request, case_id: int, entry_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    entry = get_object_or_404(ChronologyEntry, pk=entry_id, case=case)
    latest = entry.corrections.last()
    form = forms.NoteCorrectionForm(
        request.POST or None, initial={"text": latest.text if latest else entry.text}
    )

    def save(data):
        services.note_correct(entry=entry, acting_user=request.user, request=request, **data)
        return "Correction saved. The original note stays on the record, marked as corrected."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Correct a case note",
        action=save,
        template="cases/correct_note.html",
        extra={"entry": entry},
    )


@doors.CASE_WORKERS
def record_consent(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    from partners.models import Agency

    form = forms.ConsentForm(
        request.POST or None,
        people=selectors.adults_and_young_people(case),
        agencies=Agency.objects.filter(active=True).exclude(pk=case.lead_agency_id),
        initial={"given_on": timezone.localdate(), "to_assessment": True},
    )

    def save(data):
        person = case.family.memberships.get(person_id=data["given_by"]).person
        services.consent_record(
            case=case,
            given_by=person,
            given_on=data["given_on"],
            method=data["method"],
            shared_with=list(data["shared_with"]),
            to_assessment=data["to_assessment"],
            acting_user=request.user,
            request=request,
        )
        return f"Consent from {person.full_name} recorded."

    return case_page.form_page(request, case=case, form=form, title="Record consent", action=save)


@doors.CASE_WORKERS
def withdraw_consent(request, case_id: int, consent_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    consent = get_object_or_404(ConsentRecord, pk=consent_id, case=case)
    form = forms.ConsentWithdrawForm(
        request.POST or None, initial={"withdrawn_on": timezone.localdate()}
    )

    def save(data):
        services.consent_withdraw(
            consent=consent, acting_user=request.user, request=request, **data
        )
        return (
            f"Consent from {consent.given_by.full_name} withdrawn. Sharing with the named "
            "agencies has stopped."
        )

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title=f"Withdraw consent given by {consent.given_by.full_name}",
        action=save,
        button="Withdraw consent",
    )


@doors.CASE_WORKERS
def record_no_consent(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    form = forms.NoConsentForm(request.POST or None, initial={"decided_on": timezone.localdate()})

    def save(data):
        decision = services.no_consent_record(
            case=case, acting_user=request.user, request=request, **data
        )
        if decision.next_step == decision.NextStep.STEP_UP:
            return "Decision recorded. Now record the step up to children's social care."
        return "Decision recorded."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="The family has not given consent",
        action=save,
        extra={
            "lede": f"Without consent, {term('early help')} cannot go ahead. Record your "
            "judgement on whether the needs will escalate. If a child is at risk of significant "
            "harm, step up to children's social care now."
        },
    )


@doors.CASE_WORKERS
def add_taf_member(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    candidates = {u.pk: u for u in selectors.users_who_may_join(case)}
    form = forms.TafMemberForm(
        request.POST or None,
        users=[(pk, f"{u.full_name}, {u.agency}") for pk, u in candidates.items()],
    )

    def save(data):
        user = candidates.get(data.get("user"))
        member = services.taf_member_add(
            case=case,
            user=user,
            agency=user.agency if user else data["agency"],
            contact_name="" if user else data["contact_name"].strip(),
            contact_email="" if user else data.get("contact_email", ""),
            role_in_team=data.get("role_in_team", ""),
            acting_user=request.user,
            request=request,
        )
        access = " They can now see this case." if user else ""
        return f"{member.name} added to the Team Around the Family.{access}"

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Add a member to the Team Around the Family",
        action=save,
        button="Add member",
        extra={
            "lede": "Members from another agency need the family's consent to share "
            "information with that agency. Adding a member with an account gives them "
            "access to this case."
        },
    )


@doors.CASE_WORKERS
@require_POST
def remove_taf_member(request, case_id: int, member_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    member = get_object_or_404(TeamAroundFamilyMember, pk=member_id, case=case)
    try:
        services.taf_member_remove(member=member, acting_user=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{member.name} removed from the team. Their access to this case has ended."
        )
    return redirect("case_detail", pk=case.pk)


@doors.CASE_WORKERS
def handover_lead_professional(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    refused = services.handover_refused_for(request.user, case)
    if refused:  # before anything is typed; the service refuses it too
        messages.error(request, refused)
        return redirect("case_detail", pk=case.pk)
    members = [
        m
        for m in selectors.taf_members_for(case)
        if m.user_id and m.user_id != case.lead_professional_id
    ]
    users = {m.user_id: m.user for m in members}
    form = forms.HandoverForm(
        request.POST or None,
        users=[(m.user_id, f"{m.user.full_name}, {m.agency}") for m in members],
    )

    def save(data):
        services.lead_professional_handover(
            case=case,
            to_user=users[data["to_user"]],
            acting_user=request.user,
            note=data["note"],
            request=request,
        )
        return f"{users[data['to_user']].full_name} is now the {term('lead professional')}."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title=f"Hand over the {term('lead professional')} role",
        action=save,
        button="Hand over",
        extra={"empty": not members},
    )


@doors.CASE_WORKERS
def step_up_case(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    initial = {"occurred_on": timezone.localdate()}
    review = request.GET.get("review", "")
    decided = (
        selectors.chronology_for(case).filter(source_type="tafmeeting", source_id=review).first()
        if review.isdigit()
        else None
    )
    if decided is not None:  # pre-filled from the TAF review that decided to step up
        initial["reason"] = decided.text.split("\nNext review")[0]
    form = forms.StepUpForm(request.POST or None, initial=initial)

    def save(data):
        services.step_up(
            case=case,
            acting_user=request.user,
            occurred_on=data["occurred_on"],
            reason=data["reason"],
            other_service=data.get("other_service", ""),
            significant_harm=bool(data.get("significant_harm")),
            source="review" if decided is not None else "case",
            request=request,
        )
        return (
            "Step-up request sent to children's social care. You will be told when they "
            "accept or decline it."
        )

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Step up to children's social care",
        action=save,
        button="Send step-up request",
        extra={
            "lede": "This sends a request to children's social care for the district. They "
            "accept it or decline it with a reason. If a child is at immediate risk, phone the "
            "safeguarding line first."
        },
    )


@doors.CASE_WORKERS
def step_down_case(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    form = forms.StepDownForm(request.POST or None, initial={"occurred_on": timezone.localdate()})

    def save(data):
        services.step_down(
            case=case,
            acting_user=request.user,
            occurred_on=data["occurred_on"],
            reason=data["reason"],
            level_of_need=data["level_of_need"],
            other_service=data.get("other_service", ""),
            across=data.get("across") == "across",
            request=request,
        )
        if data.get("across") == "across":
            return "Step across from a statutory assessment recorded."
        return "Step down from children's social care recorded."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Step down from children's social care",
        action=save,
        button="Record step down",
    )


@doors.CASE_WORKERS
def change_level_of_need(request, case_id: int):
    case = selectors.get_case_for_work(request.user, case_id)
    refused = services.level_change_refused_for(request.user, case)
    if refused:  # before anything is typed; the service refuses it too
        messages.error(request, refused)
        return redirect("case_detail", pk=case.pk)
    form = forms.LevelChangeForm(request.POST or None)

    def save(data):
        services.case_level_change(case=case, acting_user=request.user, request=request, **data)
        return f"Level of need is now {LevelOfNeed.label_for(data['level_of_need'])}."

    return case_page.form_page(
        request,
        case=case,
        form=form,
        title="Change the level of need",
        action=save,
        button="Change level",
        extra={"lede": f"The case is at {LevelOfNeed.label_for(case.level_of_need)}."},
    )
