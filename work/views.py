"""The work tray: the home page of every role."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from oversight.selectors import supervision_indicator
from partners import doors
from work import access
from work.kinds import TrayKind
from work.presenters import tray_rows
from work.tray import work_tray_for

PAGE_SIZE = 50


@doors.SIGNED_IN
def work_tray(request):
    today = timezone.localdate()
    user = request.user
    tray = work_tray_for(user, today=today)
    kind = request.GET.get("kind", "")
    items = tray.items
    if kind in TrayKind.values:
        items = [i for i in items if i.kind == kind]
    else:
        kind = ""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    show_case_column = access.tray_names_cases(user)
    return render(
        request,
        "work/tray.html",
        {
            "tray": tray,
            "page": page,
            "kind": kind,
            "counts": tray.counts(),
            "query": f"kind={kind}" if kind else "",
            # The open cases the manager's items were read from (not read a second time).
            "supervision": supervision_indicator(user, today, tray.reads.open_cases)
            if access.sees_supervision_indicator(user)
            else None,
            "show_case_column": show_case_column,
            "rows": tray_rows(page.object_list, show_case_column=show_case_column),
        },
    )
