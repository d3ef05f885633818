"""The public, read-only Open Referral UK API (issue 18.4). Open to anyone, CORS open, no
personal data, only the authority's active services; paged as the profile says (page,
per_page; total_items, total_pages, page_number, size, first_page, last_page, empty)."""

import uuid
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from cases.models import Need, NeedFramework
from directory import openreferral as oruk
from directory.models import ServiceAtLocation
from directory.selectors import DirectoryQuery, service_search, with_full_details
from partners import doors


def _public(view):
    """Anyone may read; any origin may fetch (no cookies are needed or honoured)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response["Cache-Control"] = "public, max-age=300"
        return response

    wrapped = require_http_methods(["GET", "HEAD", "OPTIONS"])(wrapped)
    return doors.PUBLIC(wrapped)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def _age(value):
    """An age in years for a filter; nonsense (or an age no one reaches) is no filter."""
    try:
        age = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return age if 0 <= age <= 150 else None


def _filtered_services(request):
    """search, taxonomy_term_id, taxonomy_id, minimum_age, maximum_age from the profile."""
    qs = oruk.published_services()
    params = request.GET
    text = params.get("search", "")[:100]
    if text:
        qs = qs.filter(pk__in=service_search(DirectoryQuery(text=text)).values("pk"))
    needs = list(Need.objects.all())
    if params.get("taxonomy_term_id"):
        ids = [n.pk for n in needs if oruk.term_id(n) == params["taxonomy_term_id"]]
        qs = qs.filter(eligible_needs__need_id__in=ids or [0])
    if params.get("taxonomy_id"):
        frameworks = [
            f for f in NeedFramework.values if oruk.taxonomy_id(f) == params["taxonomy_id"]
        ]
        qs = qs.filter(eligible_needs__need__framework__in=frameworks or ["none"])
    low, high = _age(params.get("minimum_age")), _age(params.get("maximum_age"))
    if low is not None:
        qs = qs.exclude(maximum_age__lt=low)
    if high is not None:
        qs = qs.exclude(minimum_age__gt=high)
    return qs.distinct().order_by("name", "pk")


def _page(request, qs, present):
    page, per_page = oruk.page_params(request.GET)
    total = qs.count()
    start = (page - 1) * per_page
    items = [present(x) for x in qs[start : start + per_page]]
    return JsonResponse(oruk.paged(items, total=total, page=page, per_page=per_page))


@_public
def api_index(request):
    return JsonResponse(oruk.api_meta())


@_public
def services_list(request):
    return _page(request, _filtered_services(request), oruk.service_list_json)


@_public
def service_detail(request, id):
    service = with_full_details(oruk.published_services()).filter(uuid=_uuid(id)).first()
    if service is None:
        raise Http404
    return JsonResponse(oruk.service_full_json(service))


def _service_at_locations():
    return (
        ServiceAtLocation.objects.filter(service__in=oruk.published_services())
        .select_related("service", "service__organisation", "location")
        .order_by("service__name", "pk")
    )


@_public
def service_at_locations_list(request):
    qs = _service_at_locations()
    text = request.GET.get("search", "")[:100]
    if text:
        qs = qs.filter(service__in=service_search(DirectoryQuery(text=text)))
    return _page(request, qs, oruk.service_at_location_list_json)


@_public
def service_at_location_detail(request, id):
    sal = _service_at_locations().filter(uuid=_uuid(id)).first()
    if sal is None:
        raise Http404
    return JsonResponse(oruk.service_at_location_list_json(sal))


@_public
def taxonomies_list(request):
    page, per_page = oruk.page_params(request.GET)
    frameworks = list(NeedFramework.values)
    items = [oruk.taxonomy_json(f) for f in frameworks][(page - 1) * per_page : page * per_page]
    return JsonResponse(oruk.paged(items, total=len(frameworks), page=page, per_page=per_page))


@_public
def taxonomy_detail(request, id):
    for framework in NeedFramework.values:
        if oruk.taxonomy_id(framework) == str(_uuid(id)):
            terms = list(Need.objects.filter(framework=framework, active=True).order_by("order"))
            return JsonResponse(oruk.taxonomy_json(framework, terms))
    raise Http404


def _terms():
    return Need.objects.filter(active=True).order_by("framework", "order", "pk")


@_public
def taxonomy_terms_list(request):
    qs = _terms()
    if request.GET.get("taxonomy_id"):
        frameworks = [
            f for f in NeedFramework.values if oruk.taxonomy_id(f) == request.GET["taxonomy_id"]
        ]
        qs = qs.filter(framework__in=frameworks or ["none"])
    return _page(request, qs, oruk.term_json)


@_public
def taxonomy_term_detail(request, id):
    wanted = str(_uuid(id))
    for need in _terms():
        if oruk.term_id(need) == wanted:
            return JsonResponse(oruk.term_json(need))
    raise Http404
