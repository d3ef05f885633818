"""Searches for people that keep their criteria out of the URL.

GOV.UK's guidance: never put personal data in a URL. A URL reaches the browser's history,
proxies, server logs and other sites (the Referer header), so a search by a name, a date of
birth or a postcode must not be a GET with those in its query string.

A search form is sent by POST (with its CSRF token). A valid search is kept in the user's
session under a random key and the page redirects to itself at `?search=<key>`
(post/redirect/get), so Refresh, Back and the pages of the results still work: a GET with a
key the session holds runs that search again. The key says nothing about the criteria and is
no use to anyone else: another user's session does not hold it, nor does this one once the
search is among the oldest of more than KEPT. Then the page shows the empty form and asks
for the search again. An invalid search is shown again with its errors and what was typed,
never redirected. A GET carrying criteria (an old bookmark) searches nothing and shows none
of them back."""

import datetime
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponseRedirect

PARAM = "search"  # the query parameter that carries a search's key
SESSION_KEY = "searches"  # in the session: {key: {"path": ..., "criteria": {...}}}
KEPT = 20  # searches kept per session, the oldest dropped first
EXPIRED = "That search has expired. Search again."


@dataclass
class Search:
    """What a search page shows: the form, the cleaned `criteria` to search by (None: no
    search to run), the `query` that keeps the search in pagination links, and `redirect`
    when a valid search was just sent (return it)."""

    form: forms.Form
    criteria: dict | None = None
    query: str = ""
    redirect: HttpResponseRedirect | None = None


def search(request, form_class, *, sent: bool | None = None, **form_kwargs) -> Search:
    """The page's search: a sent search (by default any POST; `sent` for a page that POSTs
    other things too) is checked and kept, else the one the URL's key names is recalled."""
    if sent is None:
        sent = request.method == "POST"
    if sent:
        return _sent(request, form_class(request.POST, **form_kwargs))
    return recalled(request, form_class, **form_kwargs)


def recalled(request, form_class, **form_kwargs) -> Search:
    """The search the URL's key names, its form filled in as it was sent; an unknown key
    says the search has expired; no key, no search."""
    key = request.GET.get(PARAM, "")
    if not key:
        return Search(form=form_class(**form_kwargs))
    kept = request.session.get(SESSION_KEY, {}).get(key)
    if kept is not None and kept["path"] == request.path:
        form = form_class(_as_data(form_class, kept["criteria"]), **form_kwargs)
        if form.is_valid():
            return Search(form=form, criteria=form.cleaned_data, query=urlencode({PARAM: key}))
    messages.warning(request, EXPIRED)
    return Search(form=form_class(**form_kwargs))


def _sent(request, form) -> Search:
    if not form.is_valid():
        return Search(form=form)
    key = secrets.token_urlsafe(16)
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[key] = {"path": request.path, "criteria": _as_json(form.cleaned_data)}
    while len(kept) > KEPT:  # dicts keep their order, in the session's JSON too
        kept.pop(next(iter(kept)))
    request.session[SESSION_KEY] = kept
    url = f"{request.path}?{urlencode({PARAM: key})}"
    return Search(form=form, redirect=HttpResponseRedirect(url))


def _as_json(cleaned: dict) -> dict:
    """The cleaned criteria as the session can hold them: dates as ISO strings, a chosen
    record as its key, nothing for what was left empty."""
    kept = {}
    for name, value in cleaned.items():
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        if value not in (None, ""):
            kept[name] = value
    return kept


def _as_data(form_class, criteria: dict) -> dict:
    """Kept criteria as the form's data again: a date as the form's first way of writing
    one (27/03/2019, as it was most likely typed), not the ISO string it was kept as."""
    data = dict(criteria)
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField) and name in data:
            day = datetime.date.fromisoformat(data[name])
            data[name] = day.strftime(field.input_formats[0]) if field.input_formats else day
    return data
