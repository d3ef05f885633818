"""Form pages: the one way a page records something through a service.

A page that records one thing does the same every time. On a valid POST it calls the
service. A refusal (a DomainError) is shown on the form, next to the field it names or in
the error summary, and everything typed is kept. On success it says what was done and goes
on; otherwise it shows the form again (a 400 when the form has errors, unless the page
has always answered 200). `form_page` does all of that; `submit` is its middle, for a page
that shows itself or goes on its own way.

A stale edit (EditConflict) is a refusal like any other, except that the form then carries
the record's current lock_version, so that saving again from the page is a knowing
overwrite, never a silent one.

A form sent twice records once. Every recording form carries a one-time token (`{% once %}`,
rendered fresh with the form). The save and the claim of the token are one transaction: a
refusal rolls the claim back, so the corrected form may be sent again; a second POST with
the same token (a resend after a slow network, back and resubmit, two tabs) saves nothing,
says so, and goes where the first went; a second POST while the first is still saving waits
on the unique index, then finds the token used. A POST without a token (the API, a test
posting directly) records as before. See ADR 0018.

Views keep what is theirs: the form, a `save(cleaned_data)` function that calls the
service, and the words. Generic on purpose: the kernel knows no domain app."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Window
from django.shortcuts import redirect, render
from django.utils import timezone

from earlyhelp.errors import DomainError, EditConflict, by_field
from earlyhelp.models import UsedFormToken

# The hidden field that carries a form's one-time token, and how long a used one is kept:
# long enough for any resend of the same form, short enough that the table stays small.
ONCE_FIELD = "once"
TOKEN_KEPT = datetime.timedelta(days=2)
ALREADY_SAVED = "That was already saved. It has not been saved again."


@dataclass
class Submission:
    """What came of a form's POST: `saved` (also its truth), what `save` returned, whether
    the service refused it as a stale edit, and whether it was `repeated`: its token was
    used by a save that went through, so nothing was saved again (see `once`)."""

    saved: bool = False
    result: Any = None
    conflict: bool = False
    repeated: bool = False

    def __bool__(self) -> bool:
        return self.saved


def show_refusal(form, error: DomainError) -> None:
    """A service's refusal on the form: each message of `error.errors` ({field: message})
    or the one message, next to `error.field`, where the form has that field; else in the
    error summary."""
    for field, message in by_field(error).items():
        form.add_error(field if field in form.fields else None, message)


def carry_lock_version(form, lock_version: int) -> None:
    """After a stale edit: the form keeps what was typed but carries the record's current
    lock_version, so that the next save overwrites knowingly."""
    if "lock_version" in form.fields:
        form.data = form.data.copy()
        form.data["lock_version"] = lock_version


def new_token() -> str:
    """A fresh one-time token for a form being shown."""
    return str(uuid.uuid4())


def _token(request) -> uuid.UUID | None:
    """The POST's one-time token, if it carries a well-formed one from a signed-in user."""
    value = request.POST.get(ONCE_FIELD, "")
    if not value or not getattr(request.user, "is_authenticated", False):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def once(request, attempt: Callable[[], Submission]) -> Submission:
    """Run `attempt` (which validates and saves) at most once per one-time token: claim the
    token and run it in one transaction, kept only when it saved. Without a token, just run
    it. For a recording page that does not go through `submit`."""
    token = _token(request)
    if token is None:
        return attempt()
    with transaction.atomic():
        try:
            with transaction.atomic():  # waits while another POST with the token is saving
                UsedFormToken.objects.create(user=request.user, token=token)
        except IntegrityError:
            return Submission(repeated=True)
        submission = attempt()
        if not submission:  # refused or invalid: the token stays free, nothing half saved
            transaction.set_rollback(True)
    return submission


def repeated(request, then):
    """The answer to a form sent again: say plainly it was already saved, go where the first
    went."""
    messages.info(request, ALREADY_SAVED)
    return redirect(then)


def used_tokens_remove(now: datetime.datetime | None = None) -> int:
    """Forget one-time tokens used more than TOKEN_KEPT ago (beat)."""
    cut_off = (now or timezone.now()) - TOKEN_KEPT
    removed, _ = UsedFormToken.objects.filter(created_at__lt=cut_off).delete()
    return removed


def submit(request, form, save: Callable[[dict], Any], *, record=None) -> Submission:
    """On a valid POST run `save(form.cleaned_data)`; a refusal goes on the form. With
    `record`, a stale edit of it also carries its current lock_version. Once per one-time
    token: a form sent again comes back `repeated`, its form unchecked and nothing saved."""
    if request.method != "POST":
        return Submission()
    return once(request, lambda: _submit(form, save, record))


def _submit(form, save, record) -> Submission:
    if not form.is_valid():
        return Submission()
    try:
        result = save(form.cleaned_data)
    except EditConflict as error:
        show_refusal(form, error)
        if record is not None:
            carry_lock_version(form, type(record).objects.get(pk=record.pk).lock_version)
        return Submission(conflict=True)
    except DomainError as error:
        show_refusal(form, error)
        return Submission()
    return Submission(saved=True, result=result)


def form_page(
    request,
    form,
    save: Callable[[dict], str | None],
    *,
    then,
    template: str,
    context: dict | None = None,
    record=None,
    error_status: int = 400,
):
    """The page that records one thing: `save(cleaned_data)` calls the service and returns
    what to tell the user (or nothing), then the page goes to `then` (anything `redirect`
    takes). Until then `form` is shown on `template` with `context`, answering
    `error_status` when it has errors."""
    submission = submit(request, form, save, record=record)
    if submission.repeated:
        return repeated(request, then)
    if submission:
        if submission.result:
            messages.success(request, submission.result)
        return redirect(then)
    status = error_status if form.errors else 200
    return render(request, template, {**(context or {}), "form": form}, status=status)


class OnePassPaginator(Paginator):
    """A paginator that counts in the page's own query (COUNT(*) OVER ()), so a page of a
    search costs one pass over the matches instead of two (Django's count, then the page).
    For a queryset whose filter is the expensive part (a trigram name search); a page past
    the end, a list, or a DISTINCT or grouped queryset takes Django's usual two queries."""

    def get_page(self, number):
        items = self.object_list
        try:
            number = int(number or 1)
        except (TypeError, ValueError):
            number = 1
        one_pass = (
            isinstance(items, QuerySet)
            and number >= 1
            and not items.query.distinct
            and items.query.group_by is None
        )
        if not one_pass:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(items.annotate(_matches=Window(Count("*")))[bottom : bottom + self.per_page])
        if not rows and number > 1:
            return super().get_page(number)  # past the end: Django's last page
        self.__dict__["count"] = rows[0]._matches if rows else 0  # Paginator.count, cached
        return self._get_page(rows, number, self)


def paged(request, items, per_page: int = 50):
    """A page of `items` and the query string that keeps the page's filters on the others
    (for includes/pagination.html)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
