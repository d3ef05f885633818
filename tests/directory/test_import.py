"""Importing another directory's Open Referral UK feed: from a file, or from a URL over real
HTTP (our own published feed, served by the live server, stands in for a neighbour's)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.importer import directory_import
from directory.models import DirectoryImport, Location
from partners.models import Organisation, Service
from tests.conftest import signed_in

from .conftest import make_service, need

FEED = {
    "total_items": 4,
    "total_pages": 1,
    "page_number": 1,
    "contents": [
        {
            "id": "a1",
            "name": "Neighbourshire stay and play",
            "status": "active",
            "minimum_age": 0,
            "maximum_age": 5,
            "url": "https://neighbourshire.example.org/play",
            "organization": {"id": "org-9", "name": "Neighbourshire Council", "description": "-"},
            "attributes": [
                {"id": "x", "taxonomy_term": {"id": "t", "name": "Good early years development"}},
                {"id": "y", "taxonomy_term": {"id": "u", "name": "Toddler groups"}},
            ],
            "schedules": [{"id": "s", "byday": "MO,WE", "opens_at": "09:30", "closes_at": "11:00"}],
            "service_at_locations": [
                {
                    "id": "l",
                    "location": {
                        "id": "loc-1",
                        "location_type": "physical",
                        "name": "Neighbourshire Hub",
                        "addresses": [
                            {
                                "address_1": "2 Park Road",
                                "city": "Neighbourton",
                                "postal_code": "ZZ9 9ZZ",
                            }
                        ],
                    },
                }
            ],
        },
        {
            "id": "a2",
            "name": "Ages backwards",
            "status": "active",
            "minimum_age": 12,
            "maximum_age": 3,
            "email": "ages@example.org",
        },
        {"id": "a3", "name": "Odd status", "status": "open"},
        {"name": "No id at all", "status": "active"},
    ],
}


def _upload(data) -> SimpleUploadedFile:
    return SimpleUploadedFile("feed.json", json.dumps(data).encode(), "application/json")


@pytest.mark.django_db
def test_a_file_import_creates_what_it_can_read_and_reports_the_rest(directory_editor):
    run = directory_import(acting_user=directory_editor, upload=_upload(FEED))
    assert (run.created, run.updated) == (2, 0)
    problems = [(p["item"], p["problem"]) for p in run.problems]
    assert (
        "Odd status",
        "status “open” is not one of active, inactive, defunct, temporarily closed",
    ) in problems
    assert any(item == "No id at all" for item, _ in problems)
    assert any("wrong way round" in p for item, p in problems if item == "Ages backwards")
    assert any("Toddler groups" in p for _, p in problems)
    play = Service.objects.get(external_id="a1")
    assert play.organisation.name == "Neighbourshire Council"
    assert list(play.eligible_needs.values_list("need__code", flat=True)) == ["early_years"]
    assert sorted(play.schedules.values_list("byday", flat=True)) == ["MO", "WE"]
    assert Location.objects.get(external_id="loc-1").postcode == "ZZ9 9ZZ"
    backwards = Service.objects.get(external_id="a2")
    assert (backwards.minimum_age, backwards.maximum_age) == (None, None)

    again = directory_import(acting_user=directory_editor, upload=_upload(FEED))
    assert (again.created, again.updated) == (0, 2)
    assert Service.objects.filter(external_id="a1").count() == 1


@pytest.mark.django_db
def test_a_file_that_is_not_a_feed_is_reported_not_crashed(directory_editor):
    run = directory_import(
        acting_user=directory_editor,
        upload=SimpleUploadedFile("x.json", b"<html>not json</html>"),
    )
    assert (run.created, run.problems) == (0, [{"item": "feed", "problem": "The file is not JSON"}])


@pytest.mark.django_db(transaction=True)
def test_a_url_import_reads_every_page_and_each_service_in_full(
    live_server, directory_editor, organisation
):
    for i in range(3):
        make_service(
            directory_editor,
            organisation,
            name=f"Published {i}",
            needs=[need("health")],
            opening_times="Friday 9:00 to 12:00",
        )
    url = f"{live_server.url}/openreferral/services"
    run = directory_import(acting_user=directory_editor, url=url)
    assert (run.created, run.problems) == (3, [])
    copies = Service.objects.filter(source=url)
    assert copies.count() == 3
    copy = copies.get(name="Published 0")
    assert copy.schedules.get().byday == "FR"
    assert list(copy.eligible_needs.values_list("need__code", flat=True)) == ["health"]
    assert Organisation.objects.filter(source=url).count() == 1


@pytest.mark.django_db
def test_an_unreachable_url_is_reported(directory_editor):
    run = directory_import(acting_user=directory_editor, url="http://127.0.0.1:9/services")
    assert run.created == 0
    assert "Could not reach" in run.problems[0]["problem"]


@pytest.mark.django_db
def test_the_import_page_shows_what_was_not_read(client, directory_editor):
    signed_in(client, directory_editor)
    empty = client.post(reverse("directory_import"), {})
    assert "Enter the address of the feed, or choose a file" in empty.content.decode()
    response = client.post(reverse("directory_import"), {"file": _upload(FEED)}, follow=True)
    page = response.content.decode()
    assert "2 services added" in page
    assert "Odd status" in page
    assert DirectoryImport.objects.count() == 1
