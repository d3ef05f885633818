"""Front door pages: request for support (three doors and step down), my requests, the
triage queue, matching, the decision, closing, and the person search. Thin: parse input,
call a service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import access as case_access
from cases import restriction
from directory.selectors import services_for_signposting
from earlyhelp import pages, searches
from earlyhelp.audit import audit, audit_many, audit_view
from earlyhelp.errors import DomainError, EditConflict
from earlyhelp.models import AuditAction
from partners import doors
from referrals import access, selectors, services
from referrals.forms import (
    CloseForm,
    DecisionForm,
    MatchForm,
    PersonSearchForm,
    ReferralForm,
    people_formset,
)
from referrals.models import Channel, Referral, ReferralStatus

DEFAULT_ROWS = 3
PEOPLE_PREFIX = "people"


# ---------------------------------------------------------------- request for support


def _door(user, referral: Referral | None, step_down: bool = False) -> str:
    if step_down or (referral is not None and referral.channel == Channel.STEP_DOWN):
        return Channel.STEP_DOWN
    if access.records_on_behalf(user):
        return "front_door"
    return Channel.WEB


def _flatten(post: QueryDict) -> dict:
    """The form as typed, for the draft: every key, lists only where a field repeats."""
    data = {}
    for key in post:
        if key in ("csrfmiddlewaretoken", "action", pages.ONCE_FIELD, f"{pages.ONCE_FIELD}_kept"):
            continue
        values = post.getlist(key)
        data[key] = values if key == "needs" or len(values) > 1 else values[0]
    return data


def _as_querydict(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, [str(v) for v in value])
        else:
            q[key] = str(value)
    return q


def _rows(data: dict) -> int:
    try:
        total = int(data.get(f"{PEOPLE_PREFIX}-TOTAL_FORMS", DEFAULT_ROWS))
    except (TypeError, ValueError):
        total = DEFAULT_ROWS
    return min(max(total, 1), 30)


def _initial_from_draft(data: dict):
    """Unbound forms showing the draft as typed (no error messages on a saved draft)."""
    main = {k: v for k, v in data.items() if not k.startswith(f"{PEOPLE_PREFIX}-")}
    rows = _rows(data)
    people = [{} for _ in range(rows)]
    for key, value in data.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == PEOPLE_PREFIX and parts[1].isdigit():
            index = int(parts[1])
            if index < rows:
                people[index][parts[2]] = value
    return main, people


def _professional_initial(user) -> dict:
    if access.records_on_behalf(user):
        return {}
    return {
        "referrer_name": user.full_name,
        "referrer_role": user.job_title,
        "referrer_agency": user.agency_id,
        "referrer_email": user.email,
        "referrer_phone": user.phone,
        "district": user.districts.values_list("pk", flat=True).first(),
    }


def _render_form(request, *, form, formset, referral, door, status=200):
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "formset": formset,
            "referral": referral,
            "door": door,
            "action_url": reverse("referral_edit", args=[referral.pk])
            if referral
            else request.path,
        },
        status=status,
    )


def _request_form(request, referral: Referral | None, *, step_down: bool = False):
    door = _door(request.user, referral, step_down)
    if request.method != "POST":
        if referral is not None:
            main, people = _initial_from_draft(referral.draft_data)
            form = ReferralForm(initial=main, door=door)
            formset = people_formset(rows=0)(initial=people, prefix=PEOPLE_PREFIX)
        else:
            form = ReferralForm(initial=_professional_initial(request.user), door=door)
            formset = people_formset(rows=DEFAULT_ROWS)(prefix=PEOPLE_PREFIX)
        return _render_form(request, form=form, formset=formset, referral=referral, door=door)

    action = request.POST.get("action", "submit")
    data = _flatten(request.POST)
    channel = Channel.STEP_DOWN if door == Channel.STEP_DOWN else Channel.WEB
    if action not in ("autosave", "save_draft", "add_person"):
        return _send(request, referral, door=door, channel=channel, data=data)
    if action == "add_person":
        data[f"{PEOPLE_PREFIX}-TOTAL_FORMS"] = str(_rows(data) + 1)
    referral = services.referral_draft_save(
        acting_user=request.user, data=data, referral=referral, channel=channel, request=request
    )
    if action == "autosave":
        # The form's script saves every few seconds; later saves go to this draft.
        return JsonResponse(
            {
                "saved": True,
                "saved_at": timezone.localtime().strftime("%H:%M:%S"),
                "action_url": reverse("referral_edit", args=[referral.pk]),
            }
        )
    if action == "save_draft":
        messages.success(request, "Draft saved. You can come back to it from 'My requests'.")
    url = reverse("referral_edit", args=[referral.pk])
    return redirect(f"{url}#people" if action == "add_person" else url)


def _send(request, referral: Referral | None, *, door, channel, data):
    """Save the draft and send it, once per form (earlyhelp.pages): the same form sent
    again sends nothing and is told so; a refused one is kept as a draft."""

    def send() -> pages.Submission:
        draft = services.referral_draft_save(
            acting_user=request.user, data=data, referral=referral, channel=channel, request=request
        )
        form = ReferralForm(request.POST, door=door)
        formset = people_formset(rows=0)(request.POST, prefix=PEOPLE_PREFIX)
        if form.is_valid() and formset.is_valid():
            entry = services.RequestEntry(
                fields=form.referral_fields(),
                people=[
                    services.PersonEntry(**{k: f.cleaned_data.get(k) or "" for k in _PERSON_KEYS})
                    for f in formset.forms
                    if not f.is_blank()
                ],
                needs=list(form.cleaned_data["needs"]),
            )
            for person in entry.people:
                person.date_of_birth = person.date_of_birth or None
                person.expected_date = person.expected_date or None
            submit_channel = channel
            if door == "front_door":
                submit_channel = form.cleaned_data["channel"]
            try:
                draft.channel = submit_channel
                sent = services.referral_submit(
                    acting_user=request.user,
                    entry=entry,
                    referral=draft,
                    channel=submit_channel,
                    request=request,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return pages.Submission(saved=True, result=sent)
        return pages.Submission(result=(form, formset, draft))

    submission = pages.once(request, send)
    if submission.repeated:  # the first went to its "sent" page; it is on My requests
        return pages.repeated(request, "referral_list")
    if submission:
        return redirect("referral_sent", pk=submission.result.pk)
    # Refused: the refusal took this POST's draft save back with the token; what was typed
    # is kept as the draft all the same (nothing is lost), as a draft save, not a request.
    form, formset, draft = submission.result
    kept = draft if Referral.objects.filter(pk=draft.pk).exists() else referral
    draft = services.referral_draft_save(
        acting_user=request.user, data=data, referral=kept, channel=channel, request=request
    )
    return _render_form(request, form=form, formset=formset, referral=draft, door=door)


_PERSON_KEYS = (
    "first_name",
    "last_name",
    "relationship",
    "date_of_birth",
    "expected_date",
    "gender",
    "nhs_number",
    "upn",
)


@doors.REFERRERS
def referral_start(request):
    """The request for support form: any professional (web), or a front door officer
    entering a phone or email request."""
    return _request_form(request, None)


@doors.SOCIAL_CARE
def step_down_start(request):
    """Children's social care hands a family down to early help, with a summary."""
    return _request_form(request, None, step_down=True)


@doors.REFERRERS
def referral_edit(request, pk: int):
    referral = access.get_referral_for(request.user, pk)
    if not access.can_edit_draft(request.user, referral):
        return redirect("referral_detail", pk=referral.pk)
    return _request_form(request, referral)


@doors.REFERRAL_READERS
def referral_sent(request, pk: int):
    referral = access.get_referral_for(request.user, pk)
    if referral.status == ReferralStatus.DRAFT:
        return redirect("referral_edit", pk=referral.pk)
    return render(request, "referrals/sent.html", {"referral": referral})


@doors.REFERRAL_READERS
def referral_list(request):
    """My requests: drafts to finish and what happened to the ones I sent."""
    page = Paginator(selectors.referrals_made_by(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/list.html", {"page": page})


@doors.REFERRAL_READERS
def referral_detail(request, pk: int):
    referral = access.get_referral_for(request.user, pk)
    if referral.status == ReferralStatus.DRAFT:
        return redirect("referral_edit", pk=referral.pk)
    audit_view(request, referral)
    decision = getattr(referral, "decision", None) if hasattr(referral, "decision") else None
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "people": referral.people.select_related("person"),
            "needs": referral.needs.all(),
            "history": referral.history.select_related("by"),
            "decision": decision,
            "can_triage": access.can_triage(request.user, referral) and referral.is_open,
            "can_withdraw": access.can_withdraw(request.user, referral),
            "timeliness": selectors.timeliness(referral) if referral.is_open else None,
        },
    )


# ---------------------------------------------------------------- triage


def _url_by_pk(name: str):
    """reverse(name, args=[pk]) for a URL whose one argument is an <int:pk>, at the cost of
    one reverse for a whole page of rows: reversing is most of a {% url %} tag's time, and
    the queue has two a row. The marker is a pk no row has."""
    marker = "918273640"
    head, tail = reverse(name, args=[int(marker)]).split(marker)
    return lambda pk: f"{head}{int(pk)}{tail}"


@doors.FRONT_DOOR
def triage_queue(request):
    user = request.user
    districts = selectors.user_districts(user)
    try:
        district_id = int(request.GET.get("district") or 0)
    except ValueError:
        district_id = 0
    filters = {
        "district_id": district_id,
        "urgency": request.GET.get("urgency", ""),
        "state": request.GET.get("state", ""),
        "step_down": request.GET.get("step_down") == "1",
        "overdue": request.GET.get("overdue") == "1",
    }
    page = selectors.TRIAGE_QUEUE_FIRST_PAGE.page(user, request.GET.get("page"), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()
    today = timezone.localdate()
    detail_url, pick_up_url = _url_by_pk("referral_detail"), _url_by_pk("referral_pick_up")
    rows = [
        (r, selectors.timeliness(r, today), detail_url(r.pk), pick_up_url(r.pk))
        for r in page.object_list
    ]
    return render(
        request,
        "referrals/queue.html",
        {
            "page": page,
            "rows": rows,
            "districts": districts,
            "filters": filters,
            "query": query,
        },
    )


@doors.FRONT_DOOR
@require_POST
def referral_pick_up(request, pk: int):
    referral = access.get_referral_for(request.user, pk)
    try:
        services.referral_pick_up(
            referral=referral,
            acting_user=request.user,
            take_over=request.POST.get("take_over") == "1",
            request=request,
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("referral_detail", pk=pk)
    messages.success(request, f"You have picked up {referral.reference}.")
    return redirect("referral_match", pk=pk)


@doors.FRONT_DOOR
@require_POST
def referral_release(request, pk: int):
    referral = access.get_referral_for(request.user, pk)
    try:
        services.referral_release(referral=referral, acting_user=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("referral_detail", pk=pk)
    messages.success(request, f"{referral.reference} is back in the queue.")
    return redirect("triage_queue")


def _triage_or_404(request, pk) -> Referral:
    referral = access.get_referral_for(request.user, pk)
    if not access.can_triage(request.user, referral):
        raise Http404
    return referral


@doors.FRONT_DOOR
def referral_match(request, pk: int):
    """Check the people against existing records: link, merge into a family, or new."""
    referral = _triage_or_404(request, pk)
    if not referral.is_open:
        return redirect("referral_detail", pk=pk)
    audit_view(request, referral)
    entries = list(referral.people.all())
    people = [(e, selectors.candidates_for(e, referral.postcode)) for e in entries]
    families = [f for _, cands in people for c in cands for f in c.families]
    if referral.family_id:
        families.append(referral.family)
    known = selectors.families_known(families)
    candidates = [c for _, cands in people for c in cands]
    restriction.mask_candidates(
        request.user,
        candidates,
        known_families=[k.family for k in known],
        keep_family_id=referral.family_id,
    )
    audit(
        user=request.user,
        action=AuditAction.SEARCH,
        record=referral,
        request=request,
        reason=f"matching: {len(candidates)} possible matches shown",
    )
    initial = {f"person_{e.pk}": str(e.person_id) if e.person_id else None for e in entries}
    initial["family"] = str(referral.family_id) if referral.family_id else None
    form = MatchForm(
        request.POST or None,
        initial=initial,
        people=people,
        family_choices=[k.family for k in known],
    )

    def save(data):
        allowed_people = {str(c.person.pk): c.person for c in candidates}
        links = {}
        for entry in entries:
            choice = data[f"person_{entry.pk}"]
            links[entry.pk] = None if choice == "new" else allowed_people[choice]
        family_choice = data["family"]
        family = (
            None
            if family_choice == "new"
            else {str(k.family.pk): k.family for k in known}[family_choice]
        )
        services.referral_match_record(
            referral=referral,
            acting_user=request.user,
            links=links,
            family=family,
            request=request,
        )
        return "Matching recorded."

    return pages.form_page(
        request,
        form,
        save,
        then=reverse("referral_decide", args=[pk]),
        template="referrals/match.html",
        context={
            "referral": referral,
            "people": [(e, cands, form[f"person_{e.pk}"]) for e, cands in people],
            "known": known,
        },
        error_status=200,
    )


def _decision_form(request, referral: Referral):
    initial = {"version": referral.version, "partner_agency": referral.referrer_agency_id}
    return DecisionForm(
        request.POST or None,
        initial=initial,
        partner_agencies=services.partner_agencies_for(referral),
        teams=services.district_teams(referral.district),
        leads=services.leads_for(referral)
        .select_related("agency")
        .order_by("agency__name", "full_name"),
        cases=selectors.open_cases_of(referral.family),
        services=services_for_signposting(district_id=referral.district_id),
    )


@doors.FRONT_DOOR
def referral_decide(request, pk: int):
    referral = _triage_or_404(request, pk)
    if not referral.is_open:
        return redirect("referral_detail", pk=pk)
    if referral.matched_at is None:
        messages.error(request, "Check the people against existing records before deciding.")
        return redirect("referral_match", pk=pk)
    form = _decision_form(request, referral)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome = d["outcome"]
        agency = form.allocated_agency(d)
        try:
            decision = services.referral_decide(
                referral=referral,
                acting_user=request.user,
                expected_version=d["version"],
                level_of_need=d["level_of_need"],
                outcome=outcome,
                rationale=d["rationale"],
                allocated_agency=agency,
                lead_professional=d["lead_professional"],
                case=d["case"],
                signposted_to=d.get("signposted_to", ""),
                signposted_services=d.get("signposted_services") or (),
                request=request,
            )
        except EditConflict as error:
            return render(
                request,
                "referrals/conflict.html",
                {"referral": referral, "message": str(error)},
                status=409,
            )
        except DomainError as error:
            form.show_refusal(error)
        else:
            messages.success(
                request,
                f"Decision recorded: {decision.get_outcome_display()}. The referrer has been told.",
            )
            return redirect("referral_detail", pk=pk)
    return render(
        request,
        "referrals/decide.html",
        {
            "referral": referral,
            "form": form,
            "people": referral.people.select_related("person"),
            "needs": referral.needs.all(),
            "picked_by_other": referral.picked_up_by_id not in (None, request.user.pk),
        },
    )


@doors.REFERRAL_READERS
def referral_close(request, pk: int):
    """Withdraw, or close as a duplicate: with a reason, never deleted."""
    referral = access.get_referral_for(request.user, pk)
    if not access.can_withdraw(request.user, referral):
        raise Http404
    form = CloseForm(request.POST or None)

    def save(data):
        services.referral_close(
            referral=referral,
            acting_user=request.user,
            reason=data["reason"],
            note=data["note"],
            duplicate_of=access.duplicated_request(request.user, data.get("duplicate_of")),
            request=request,
        )
        return f"{referral.reference} has been closed."

    return pages.form_page(
        request,
        form,
        save,
        then="referral_list",
        template="referrals/close.html",
        context={"referral": referral},
        error_status=200,
    )


# ---------------------------------------------------------------- person search

PERSON_SEARCH_PAGE = 25


@doors.PERSON_SEARCH
def person_search(request):
    """Identity search within the user's reach (cases.access.people_searchable_by): names
    and households, with whether the family is known, never case detail."""
    search = searches.search(request, PersonSearchForm)
    if search.redirect:
        return search.redirect
    results = None
    page = None
    if search.criteria is not None:
        d = search.criteria
        found = selectors.person_search(
            name=d.get("name", ""),
            date_of_birth=d.get("date_of_birth"),
            identifier=d.get("identifier", ""),
            postcode=d.get("postcode", ""),
            district_id=d["district"].pk if d.get("district") else None,
            age_from=d.get("age_from"),
            age_to=d.get("age_to"),
            people=case_access.people_searchable_by(request.user),
        )
        page = pages.OnePassPaginator(found, PERSON_SEARCH_PAGE).get_page(request.GET.get("page"))
        results = list(page.object_list)
        restriction.mask_people(request.user, results)
        audit_many(
            request,
            AuditAction.SEARCH,
            "person",
            reason=f"person search: {page.paginator.count} results",
        )
    return render(
        request,
        "referrals/person_search.html",
        {"form": search.form, "results": results, "page": page, "query": search.query},
    )
