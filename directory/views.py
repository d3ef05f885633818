"""Directory and family hub pages: thin, each with its access rule."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import restriction
from cases.models import Family
from directory import access, forms, importer, presenters, selectors, services
from directory.models import DirectoryImport, HubSession
from directory.selectors import DirectoryQuery
from earlyhelp import pages, searches
from earlyhelp.audit import audit_many, audit_view
from earlyhelp.models import AuditAction
from earlyhelp.wording import counted
from partners import doors
from partners.models import Organisation, Service

PAGE_SIZE = 20


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Searching ---


@doors.SIGNED_IN
def directory_search(request):
    """Search by need, the child's age, district, hub and words (issue 18.1)."""
    sf, vulnerability = selectors.need_options()
    form = forms.SearchForm(request.GET or None, need_options=sf + vulnerability)
    editor = access.is_directory_editor(request.user)
    query = DirectoryQuery(include_inactive=editor and request.GET.get("all") == "1")
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        query = DirectoryQuery(
            text=d["q"],
            need_ids=tuple(d["need"]),
            age=d["age"],
            district_id=d["district"].pk if d["district"] else None,
            hub_id=d["hub"].pk if d["hub"] else None,
            include_inactive=query.include_inactive,
        )
    results = selectors.service_search(query)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    services_on_page = list(
        selectors.with_list_details(
            Service.objects.filter(pk__in=[s.pk for s in page.object_list])
            .select_related("organisation", "family_hub")
            .order_by("name", "pk")
        )
    )
    chosen = set(form.cleaned_data.get("need", [])) if form.is_bound and form.is_valid() else set()
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "services": services_on_page,
            "query": _query_string(request),
            "sf_options": [(pk, label, pk in chosen) for pk, label in sf],
            "vulnerability_options": [(pk, label, pk in chosen) for pk, label in vulnerability],
            "is_editor": editor,
            "may_import": access.keeps_whole_directory(request.user),  # feeds update any entry
            "is_hub_staff": access.is_hub_staff(request.user),
            "searched": form.is_bound,
        },
    )


@doors.SIGNED_IN
def directory_service(request, pk: int):
    editor = access.is_directory_editor(request.user)
    service = selectors.service_detail(pk, include_inactive=editor)
    if service is None:
        raise Http404
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "is_editor": editor and access.services_kept_by(request.user).filter(pk=pk).exists(),
            "review_due_on": selectors.review_due_on(
                service.last_reviewed_on, timezone.localdate(service.updated_at)
            ),
            "today": timezone.localdate(),
        },
    )


# --- Editing ---


def _editors():
    return access.directory_editors().order_by("full_name")


def _service_initial(service: Service) -> dict:
    contact = service.contacts.first()
    needs = list(service.eligible_needs.select_related("need"))
    return {
        "name": service.name,
        "organisation": service.organisation_id,
        "description": service.description,
        "status": service.status,
        "family_hub": service.family_hub_id,
        "districts": list(service.districts.values_list("pk", flat=True)),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "needs_sf": [n.need_id for n in needs if n.need.framework == "supporting_families"],
        "needs_vulnerability": [n.need_id for n in needs if n.need.framework == "vulnerability"],
        "free": service.free,
        "cost": service.cost,
        "how_to_access": service.how_to_access,
        "opening_times": services.opening_times_text(service),
        "locations": list(service.service_at_locations.values_list("location_id", flat=True)),
        "phone": service.phone,
        "email": service.email,
        "url": service.url,
        "contact_name": contact.name if contact else "",
        "contact_title": contact.title if contact else "",
        "contact_phone": contact.phone if contact else "",
        "contact_email": contact.email if contact else "",
        "editor": service.editor_id,
    }


def _service_edit(request, service: Service | None):
    initial = _service_initial(service) if service else {"status": "active", "free": True}
    form = forms.ServiceForm(
        request.POST or None,
        initial=initial,
        need_options=selectors.need_options(),
        editors=_editors(),
        hubs=access.hubs_kept_by(request.user),
    )

    def save(data):
        return services.service_save(
            acting_user=request.user,
            data=services.service_input(form.cleaned_data, request.user),
            service=service,
            request=request,
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:  # the first went to its service, found from the directory
        then = reverse("directory_service", args=[service.pk]) if service else "directory_search"
        return pages.repeated(request, then)
    if submission:
        saved = submission.result
        messages.success(request, f"{saved.name} has been saved in the directory.")
        return redirect("directory_service", pk=saved.pk)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "service": service, "has_organisations": Organisation.objects.exists()},
    )


@access.DIRECTORY_EDITORS
def service_create(request):
    return _service_edit(request, None)


@access.DIRECTORY_EDITORS
def service_edit(request, pk: int):
    return _service_edit(request, access.get_service_to_keep(request.user, pk))


@access.DIRECTORY_EDITORS
def service_reviewed(request, pk: int):
    service = access.get_service_to_keep(request.user, pk)
    if request.method == "POST":
        services.service_mark_reviewed(service=service, acting_user=request.user, request=request)
        messages.success(request, f"{service.name} is marked as reviewed today.")
    return redirect("directory_service", pk=pk)


@access.DIRECTORY_EDITORS
def directory_reviews(request):
    """The editor's list: entries due for review in the next 30 days, or overdue."""
    today = timezone.localdate()
    kept = None
    if not access.keeps_whole_directory(request.user):
        kept = access.services_kept_by(request.user).values_list("pk", flat=True)
    due = sorted(
        selectors.services_due_for_review(today + datetime.timedelta(days=30), service_ids=kept),
        key=lambda r: r.due_on,
    )
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = Service.objects.select_related("organisation", "editor").in_bulk(
        [r.service_id for r in page.object_list]
    )
    rows = [(by_id[r.service_id], r.due_on) for r in page.object_list if r.service_id in by_id]
    return render(request, "directory/reviews.html", {"rows": rows, "page": page, "today": today})


@access.DIRECTORY_EDITORS
def organisation_list(request):
    organisations = access.organisations_kept_by(request.user).order_by("name", "pk")
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "directory/organisations.html", {"page": page})


def _simple_edit(request, *, form_class, instance, save, template_title, back, fields):
    initial = {f: getattr(instance, f) for f in fields} if instance else {}
    if instance is not None and "family_hub" in fields:
        initial["family_hub"] = instance.family_hub_id
    form = form_class(request.POST or None, initial=initial or None)
    return pages.form_page(
        request,
        form,
        lambda data: f"{save(data)} has been saved.",
        then=back,
        template="directory/simple_form.html",
        context={"title": template_title, "back": reverse(back)},
        error_status=200,
    )


@access.DIRECTORY_EDITORS
def organisation_edit(request, pk: int | None = None):
    organisation = access.get_organisation_to_keep(request.user, pk) if pk else None
    fields = ["name", "description", "email", "website", "phone"]
    return _simple_edit(
        request,
        form_class=forms.OrganisationForm,
        instance=organisation,
        save=lambda d: services.organisation_save(
            acting_user=request.user,
            organisation=organisation,
            request=request,
            **{f: d.get(f) or "" for f in fields},
        ),
        template_title="Edit organisation" if organisation else "Add an organisation",
        back="directory_organisations",
        fields=fields,
    )


@access.DIRECTORY_EDITORS
def location_list(request):
    page = Paginator(
        access.locations_kept_by(request.user).select_related("family_hub").order_by("name", "pk"),
        50,
    ).get_page(request.GET.get("page"))
    return render(request, "directory/locations.html", {"page": page})


@access.DIRECTORY_EDITORS
def location_edit(request, pk: int | None = None):
    location = access.get_location_to_keep(request.user, pk) if pk else None
    fields = ["name", "location_type", "address_1", "city", "postcode", "description"]

    def save(d):
        return services.location_save(
            acting_user=request.user,
            location=location,
            request=request,
            family_hub=d.get("family_hub"),
            **{f: d.get(f) or "" for f in fields},
        )

    return _simple_edit(
        request,
        form_class=forms.LocationForm,
        instance=location,
        save=save,
        template_title="Edit place" if location else "Add a place",
        back="directory_locations",
        fields=fields + ["family_hub"],
    )


@access.WHOLE_DIRECTORY_EDITORS
def directory_import(request):
    bound = request.method == "POST"
    form = forms.ImportForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        run = importer.directory_import(
            acting_user=request.user,
            url=d.get("url") or "",
            upload=d.get("file"),
            request=request,
        )
        return redirect("directory_import_result", pk=run.pk)
    recent = DirectoryImport.objects.all()[:10]
    return render(request, "directory/import.html", {"form": form, "recent": recent})


@access.WHOLE_DIRECTORY_EDITORS
def directory_import_result(request, pk: int):
    run = get_object_or_404(DirectoryImport, pk=pk)
    return render(request, "directory/import_result.html", {"run": run})


# --- Family hubs ---


@access.HUB_STAFF
def hub_list(request):
    hubs = access.hubs_run_by(request.user).select_related("district").order_by("name")
    return render(request, "directory/hubs.html", {"hubs": hubs})


@access.HUB_STAFF
def hub_detail(request, pk: int):
    hub = access.get_hub_for(request.user, pk)
    sessions = Paginator(selectors.sessions_of(hub), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/hub_detail.html",
        {
            "hub": hub,
            "page": sessions,
            "registered": hub.registrations.count(),
            "today": timezone.localdate(),
        },
    )


@access.HUB_STAFF
def hub_register_family(request, pk: int):
    """Find a family in the hub's district by name or postcode and register it at the hub."""
    hub = access.get_hub_for(request.user, pk)
    if request.method == "POST" and "family" in request.POST:  # a family's Register button
        family = Family.objects.filter(
            pk=request.POST.get("family"), district=hub.district, restricted=False
        ).first()
        if family is None:
            raise Http404
        try:
            services.hub_family_register(
                hub=hub, family=family, acting_user=request.user, request=request
            )
        except services.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{family.name} is registered at {hub.name}.")
        return redirect("hub_detail", pk=hub.pk)
    search = searches.search(request, forms.RegisterFamilyForm)
    if search.redirect:
        return search.redirect
    results = []
    text = (search.criteria or {}).get("q", "").strip()
    if text:
        results = list(
            Family.objects.filter(district=hub.district, restricted=False)
            .filter(Q(name__icontains=text) | Q(postcode__iexact=text.upper()))
            .exclude(hub_registrations__hub=hub)
            .order_by("name", "pk")[:20]
        )
        audit_many(request, AuditAction.SEARCH, "family", reason="family hub registration search")
    return render(
        request,
        "directory/hub_register_family.html",
        {"hub": hub, "form": search.form, "results": results, "searched": bool(text)},
    )


@access.HUB_STAFF
def hub_session_create(request, pk: int):
    hub = access.get_hub_for(request.user, pk)
    hub_services = Service.objects.filter(family_hub=hub).order_by("name")
    form = forms.SessionForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        services=hub_services,
    )

    def save(data):
        return services.hub_session_create(
            hub=hub, acting_user=request.user, request=request, **data
        )

    submission = pages.submit(request, form, save)
    if submission.repeated:  # the first went to its register, listed on the hub's page
        return pages.repeated(request, reverse("hub_detail", args=[hub.pk]))
    if submission:
        return redirect("hub_session_register", pk=submission.result.pk)
    return render(request, "directory/session_form.html", {"hub": hub, "form": form})


def _session_for(user, pk: int) -> HubSession:
    session = (
        HubSession.objects.select_related("hub", "hub__district")
        .filter(pk=pk, hub__in=access.hubs_run_by(user))
        .first()
    )
    if session is None:
        raise Http404
    return session


@access.HUB_STAFF
def hub_session_register(request, pk: int):
    """The register: big tick boxes, the regulars first, a name search to add others."""
    session = _session_for(request.user, pk)
    finding = "find" in request.POST  # the search's Find button, not the register's Save
    search = searches.search(request, forms.RegisterNameForm, sent=finding)
    if search.redirect:
        return search.redirect
    text = (search.criteria or {}).get("q", "")
    error = None
    if request.method == "POST" and not finding:
        raw = request.POST.getlist("people")
        extra = request.POST.get("add_person", "").strip().upper().removeprefix("P-")
        try:
            ids = [int(x) for x in raw] + ([int(extra)] if extra else [])
        except ValueError:
            ids = None
            error = "Enter the person's number as it appears on their record, like P-000123"
        if ids is not None:
            try:
                services.session_register_take(
                    session=session, acting_user=request.user, person_ids=ids, request=request
                )
            except services.InvalidEntry as problem:
                error = problem.errors.get("people")
            else:
                messages.success(
                    request,
                    f"Register saved: {counted(len(set(ids)), 'person', 'people')} attended.",
                )
                return redirect("hub_detail", pk=session.hub_id)
        rows = selectors.register_rows(session, text=text)
        chosen = set(raw)
        for person in rows:
            person.ticked = str(person.pk) in chosen
        extra_value = request.POST.get("add_person", "")
    else:
        rows = selectors.register_rows(session, text=text)
        extra_value = ""
    # A restricted person is on the register as whom to contact; a name search never finds
    # them (that would say who is registered here).
    restriction.mask_people(request.user, rows)
    rows = [p for p in rows if not (p.restriction.hidden and p.found_by_search)]
    audit_view(request, session)
    return render(
        request,
        "directory/register.html",
        {
            "session": session,
            "rows": rows,
            "form": search.form,
            "error": error,
            "extra_value": extra_value,
            "today": session.held_on,
            "not_yet": (
                services.register_not_open(session)
                if session.held_on > timezone.localdate()
                else ""
            ),
        },
    )


# --- Figures ---


@access.HUB_FIGURES
def hub_dashboard(request):
    """Reach by hub (issue 18.3), the last 12 months unless dates are given."""
    today = timezone.localdate()
    form = forms.HubDashboardForm(request.GET or None)
    end, start = today, today - datetime.timedelta(days=364)
    if form.is_valid():
        end = form.cleaned_data.get("end") or end
        start = form.cleaned_data.get("start") or (end - datetime.timedelta(days=364))
    if start > end:
        start, end = end, start
    suppressed = access.suppresses_small_numbers(request.user)
    hubs = (
        access.hubs_with_figures_for(request.user)
        .select_related("district")
        .order_by("district__name", "name")
    )
    reach = selectors.hub_reach(hubs, start=start, end=end)
    return render(
        request,
        "directory/hub_dashboard.html",
        {
            **presenters.hub_reach_table(reach, suppressed=suppressed),
            "form": form,
            "start": start,
            "end": end,
            "suppressed": suppressed,
            "deprived_deciles": selectors.conf.deprived_deciles(),
        },
    )
