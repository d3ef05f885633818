"""A hub's searches keep family names, postcodes and people's names out of the URL (GOV.UK:
no personal data in URLs): "register a family" and the session register's name search are
sent by POST and shown at a key that says nothing (earlyhelp/searches.py)."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import services
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
EXPIRED = "That search has expired. Search again."


@pytest.fixture
def quill(district):
    return factories.family_with_children(
        district=district, children=1, name="Quill household", postcode="AM1 4QQ"
    )


@pytest.fixture
def at_the_register(client, hub, hub_worker, session, quill):
    """The register's page for a hub worker, and a child registered at the hub."""
    services.hub_family_register(hub=hub, family=quill, acting_user=hub_worker)
    child = quill.memberships.get(relationship="child").person
    return signed_in(client, hub_worker), reverse("hub_session_register", args=[session.pk]), child


def _only_the_key(url: str, path: str) -> None:
    assert url.split("?")[0] == path
    assert url.split("?")[1].startswith("search=") and "&" not in url


def test_finding_a_family_goes_to_a_url_without_the_name_or_postcode(
    client, hub_worker, hub, quill
):
    c = signed_in(client, hub_worker)
    url = reverse("hub_register_family", args=[hub.pk])
    for typed in ("quill", "AM1 4QQ"):
        sent = c.post(url, {"q": typed})
        assert sent.status_code == 302
        _only_the_key(sent["Location"], url)
        assert "quill" not in sent["Location"].lower() and "am1" not in sent["Location"].lower()
        page = c.get(sent["Location"]).content.decode()
        assert "1 family found" in page and "Quill household, AM1 4QQ" in page
        assert f'value="{typed}"' in page  # the form as it was sent
    registered = c.post(sent["Location"], {"family": quill.pk})  # Register from the results
    assert registered.status_code == 302
    assert hub.registrations.get().family == quill


def test_a_family_search_in_the_url_or_an_unknown_key_finds_nothing(client, hub_worker, hub, quill):
    c = signed_in(client, hub_worker)
    url = reverse("hub_register_family", args=[hub.pk])
    bookmark = c.get(url, {"q": "quill"})
    assert bookmark.context["searched"] is False
    assert "Quill household" not in bookmark.content.decode()
    assert 'value="quill"' not in bookmark.content.decode()
    expired = c.get(url + "?search=gone").content.decode()
    assert EXPIRED in expired and "Quill household" not in expired


def test_a_key_for_one_hub_page_is_not_a_search_on_another(client, hub_worker, hub, session, quill):
    c = signed_in(client, hub_worker)
    key = c.post(reverse("hub_register_family", args=[hub.pk]), {"q": "quill"})["Location"]
    register = reverse("hub_session_register", args=[session.pk])
    page = c.get(register + "?" + key.split("?")[1]).content.decode()
    assert EXPIRED in page


def test_the_register_search_keeps_names_out_of_the_url_and_the_register_still_saves(
    session, at_the_register
):
    c, url, child = at_the_register
    sent = c.post(url, {"q": child.first_name, "find": "1"})
    assert sent.status_code == 302
    _only_the_key(sent["Location"], url)
    assert child.first_name.lower() not in sent["Location"].lower()
    page = c.get(sent["Location"]).content.decode()
    assert child.full_name in page and f'value="{child.first_name}"' in page
    assert not session.attendances.exists()  # finding someone ticks no one

    # Save from the page found: refused, the search and the ticks stay; then saved.
    refused = c.post(sent["Location"], {"people": [child.pk], "add_person": "P-x"})
    text = refused.content.decode()
    assert "Enter the person&#x27;s number as it appears on their record" in text
    assert f'value="{child.pk}" checked' in text and child.full_name in text
    saved = c.post(sent["Location"], {"people": [child.pk]})
    assert saved.status_code == 302
    assert list(session.attendances.values_list("person_id", flat=True)) == [child.pk]


def test_a_register_search_in_the_url_finds_no_one_and_a_long_one_says_why(at_the_register):
    c, url, child = at_the_register
    bookmark = c.get(url, {"q": child.first_name}).content.decode()
    assert child.full_name not in bookmark and f'value="{child.first_name}"' not in bookmark
    long = "a" * 101
    refused = c.post(url, {"q": long, "find": "1"})
    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert "There is a problem" in text
    assert "Name must be 100 characters or fewer; you entered 101" in text
    assert f'value="{long}"' in text
    expired = c.get(url + "?search=gone").content.decode()
    assert EXPIRED in expired


def test_the_hub_searches_cost_the_same_however_many_are_found(
    client, hub_worker, hub, session, district
):
    c = signed_in(client, hub_worker)
    families = reverse("hub_register_family", args=[hub.pk])
    register = reverse("hub_session_register", args=[session.pk])
    factories.family_with_children(district=district, children=1, name="Lone household")
    for n in range(6):
        factories.family_with_children(district=district, children=1, name=f"Quill {n}")
        family = factories.family_with_children(district=district, children=2, name=f"Marsh {n}")
        services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    child = family.memberships.filter(relationship="child").first().person
    for url, few, many, found in (
        (families, "Lone", "Quill", lambda page: len(page.context["results"])),
        (register, child.full_name, "Parent", lambda page: len(page.context["rows"])),
    ):
        one = c.post(url, {"q": few, "find": "1"})["Location"]
        all_of_them = c.post(url, {"q": many, "find": "1"})["Location"]
        c.get(one)  # warm the session
        with CaptureQueriesContext(connection) as found_one:
            assert found(c.get(one)) == 1
        with CaptureQueriesContext(connection) as found_many:
            assert found(c.get(all_of_them)) == 6
        assert len(found_many.captured_queries) == len(found_one.captured_queries), url
