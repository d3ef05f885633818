from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from earlyhelp.audit import audit
from earlyhelp.models import AuditAction
from partners import doors
from reminders import forms, selectors, services
from reminders.models import DeadlineKind

PAGE_SIZE = 50


@doors.MANAGERS
def overdue(request):
    """The manager's view of drift and delay: everything overdue in their scope."""
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    if kind not in DeadlineKind.values:
        kind = ""
    items = selectors.overdue_for(request.user, today=today)
    counts = selectors.overdue_counts(items)
    if kind:
        items = [i for i in items if i.deadline.kind == kind]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, item.working_days_overdue(today)) for item in page.object_list]
    return render(
        request,
        "reminders/overdue.html",
        {
            "page": page,
            "rows": rows,
            "counts": counts,
            "kind": kind,
            "total": sum(n for _, _, n in counts),
            "today": today,
            "query": f"kind={kind}" if kind else "",
        },
    )


@doors.SIGNED_IN
def notification_preferences(request):
    user = request.user
    current = forms.DIGEST if user.digest_reminders else forms.SINGLE
    if request.method == "POST":
        form = forms.ReminderPreferencesForm(request.POST)
        if form.is_valid():
            digest = form.cleaned_data["delivery"] == forms.DIGEST
            if digest != user.digest_reminders:
                services.reminder_preferences_set(user=user, digest=digest)
                audit(
                    user=user,
                    action=AuditAction.CHANGE,
                    record=user,
                    request=request,
                    changes={"digest_reminders": [not digest, digest]},
                )
            messages.success(request, "Your reminder email choice has been saved.")
            return redirect("notification_preferences")
    else:
        form = forms.ReminderPreferencesForm(initial={"delivery": current})
    return render(request, "reminders/notification_preferences.html", {"form": form})


@doors.SIGNED_IN
def message_preferences(request):
    """Each person chooses, per kind of message, an email each time, the daily digest, or
    the notifications page only."""
    from reminders import preferences

    user = request.user
    if request.method == "POST":
        form = forms.MessagePreferencesForm(request.POST)
        if form.is_valid():
            preferences.preferences_set(user=user, choices=form.cleaned_data, request=request)
            messages.success(request, "Your choices have been saved.")
            return redirect("message_preferences")
    else:
        form = forms.MessagePreferencesForm(initial=preferences.preferences_for(user))
    return render(
        request,
        "reminders/message_preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
