"""Starting early help as a partner who knows the family (issue 12, point 2): the page.

The same front door matching as a request's people (cases.matching): when someone typed may
already be known, the page shows the possible matches (restricted records masked) and the
practitioner chooses, keeping everything they typed. The service records consent first,
makes them the lead professional and tells the district's front door and team managers."""

from django.contrib import messages
from django.shortcuts import redirect, render

from cases import restriction, services
from cases.matching import Described, candidates_for
from cases.start_forms import PEOPLE, StartEarlyHelpForm
from earlyhelp import pages
from earlyhelp.audit import audit_many
from earlyhelp.errors import DomainError
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from partners import doors


def _possible_matches(request, form) -> dict:
    """{slot: [Candidate]} for each person typed who may already be known."""
    data = form.cleaned_data
    found = {}
    for slot, _, _, _ in PEOPLE:
        if not data.get(f"{slot}_first_name"):
            continue
        described = Described(
            first_name=data[f"{slot}_first_name"],
            last_name=data[f"{slot}_last_name"],
            date_of_birth=data.get(f"{slot}_date_of_birth"),
        )
        candidates = candidates_for(described, data.get("postcode", ""))
        if candidates:
            found[slot] = candidates
    everyone = [c for cands in found.values() for c in cands]
    if everyone:
        restriction.mask_candidates(request.user, everyone)
        audit_many(
            request,
            AuditAction.SEARCH,
            "person",
            reason=f"starting {term('early help')}: {len(everyone)} possible matches shown",
        )
    return found


def _start(request, form, districts):
    """Call the service with what the form holds; a refusal goes on the form."""
    data = form.cleaned_data
    people = form.people()
    slots = [p.pop("slot") for p in people]
    try:
        return services.case_start_by_partner(
            acting_user=request.user,
            district=next(d for d in districts if d.pk == data["district"]),
            address_line_1=data["address_line_1"],
            town=data["town"],
            postcode=data["postcode"],
            people=people,
            consent={
                "given_by": slots.index(data["consent_given_by"]),
                "given_on": data["consent_given_on"],
                "method": data["consent_method"],
            },
            level_of_need=data["level_of_need"],
            reason=data["reason"],
            request=request,
        )
    except DomainError as error:
        pages.show_refusal(form, error)
    return None


def _started(request, form, districts) -> pages.Submission:
    case = _start(request, form, districts)
    return pages.Submission(saved=case is not None, result=case)


@doors.EARLY_HELP_STARTERS
def start_early_help(request):
    districts = list(request.user.districts.order_by("name"))
    initial = {"district": districts[0].pk} if len(districts) == 1 else {}
    form = StartEarlyHelpForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        candidates = _possible_matches(request, form)
        form = StartEarlyHelpForm(request.POST, districts=districts, candidates=candidates)
        form.is_valid()
        if candidates and request.POST.get("matches_shown") != "1":
            # First sight of the possible matches: a question, not an error.
            for slot in candidates:
                form.errors.pop(f"match_{slot}", None)
        elif not form.errors:
            submission = pages.once(request, lambda: _started(request, form, districts))
            if submission.repeated:  # the first went to its new case: they are on the list
                return pages.repeated(request, "case_list")
            if case := submission.result:
                messages.success(
                    request,
                    f"{term('Early help')} started ({case.reference}). You are the "
                    f"{term('lead professional')}; "
                    "the front door and the team manager have been told.",
                )
                return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "cases/start_early_help.html",
        {"form": form, "title": f"Start {term('early help')} with a family you know"},
        status=400 if form.errors else 200,
    )
