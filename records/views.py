"""Merging duplicates, subject access exports and retention decisions (team managers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases import access, restriction, upkeep_access
from earlyhelp import pages
from earlyhelp.errors import DomainError
from partners import doors
from records import forms, merge, retention
from records import subject_access as sar
from records.models import PersonMerge


def _person_for_manager(user, pk):
    person = access.get_person_for(user, pk)
    if not upkeep_access.may_merge(user):
        raise PermissionDenied("Only team managers merge records.")
    return person


@doors.MANAGERS
def person_merge(request, pk: int):
    """Merge a duplicate into this record: choose it (likely duplicates are suggested),
    check both side by side, then confirm."""
    person = _person_for_manager(request.user, pk)
    people = access.people_visible_to(request.user)
    suggestions = merge.likely_duplicates_of(person, people)
    form = forms.MergeForm(request.POST or None, initial={"other": request.GET.get("other")})
    other = None
    if request.method == "POST" and form.is_valid():
        other_pk = form.cleaned_data["other"]
        other = people.filter(pk=other_pk).first() if other_pk != person.pk else person
        if other is None:
            form.add_error("other", "There is no record with that number that you can see")
        elif request.POST.get("confirm") == "yes":
            try:
                merge.person_merge(
                    kept=person,
                    retired=other,
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DomainError as error:
                pages.show_refusal(form, error)
            else:
                messages.success(
                    request, f"Record {other.pk} is merged into this one. You can undo it below."
                )
                return redirect("person_merges", pk=person.pk)
        elif other.pk == person.pk:
            form.add_error(
                "other", "You cannot merge a record with itself. Choose the duplicate record"
            )
    return render(
        request,
        "records/merge.html",
        {"person": person, "form": form, "other": other, "suggestions": suggestions},
        status=400 if form.errors else 200,
    )


@doors.MANAGERS
def person_merges(request, pk: int):
    person = _person_for_manager(request.user, pk)
    merges = PersonMerge.objects.filter(kept=person).select_related("merged_by", "undone_by")
    return render(request, "records/merges.html", {"person": person, "merges": merges})


@doors.MANAGERS
def merge_undo(request, pk: int, merge_id: int):
    person = _person_for_manager(request.user, pk)
    item = get_object_or_404(PersonMerge, pk=merge_id, kept=person)
    form = forms.UndoForm(request.POST or None)

    def save(data):
        merge.merge_undo(
            merge=item, acting_user=request.user, reason=data["reason"], request=request
        )
        return f"The merge is undone: record {item.retired_id} is separate again."

    return pages.form_page(
        request,
        form,
        save,
        then=person,
        template="records/undo.html",
        context={"person": person, "merge": item},
        error_status=200,
    )


@doors.MANAGERS
def subject_access(request, pk: int):
    person = access.get_person_for(request.user, pk)
    if not upkeep_access.may_export_subject_access(request.user):
        raise PermissionDenied
    return render(request, "records/subject_access.html", {"person": person})


@doors.MANAGERS
def subject_access_download(request, pk: int, fmt: str):
    person = access.get_person_for(request.user, pk)
    if not upkeep_access.may_export_subject_access(request.user):
        raise PermissionDenied
    if fmt not in ("pdf", "json"):
        raise Http404
    body = sar.subject_access_export(
        person=person, acting_user=request.user, fmt=fmt, request=request
    )
    response = HttpResponse(
        body, content_type="application/pdf" if fmt == "pdf" else "application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.{fmt}"'
    return response


@doors.MANAGERS
def retention_list(request):
    reviews = list(retention.reviews_for(request.user))
    restriction.mask_families(request.user, [r.family for r in reviews])
    return render(request, "records/retention.html", {"reviews": reviews})


@doors.MANAGERS
def retention_decide(request, review_id: int):
    review = get_object_or_404(retention.reviews_for(request.user), pk=review_id)
    form = forms.DecisionForm(request.POST or None)

    def save(data):
        retention.retention_decide(
            review=review,
            acting_user=request.user,
            approve=data["decision"] == "dispose",
            note=data["note"],
            request=request,
        )
        return "Decision recorded."

    restriction.mask_families(request.user, [review.family])
    return pages.form_page(
        request,
        form,
        save,
        then="retention_list",
        template="records/retention_decide.html",
        context={"review": review},
    )
