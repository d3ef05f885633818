"""The published directory (Open Referral UK, HSDS 3.0 UK profile): every response
validates against the profile's own JSON Schemas (tests/fixtures/openreferral_uk, copied
from OpenReferralUK/uk-profile, see SOURCE.md)."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT7

from directory import openreferral
from partners.models import Organisation, Service
from tests import factories

from .conftest import make_service, need

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent.parent / "fixtures" / "openreferral_uk"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


REGISTRY = Registry().with_resources(
    [(name, DRAFT7.create_resource(schema(name))) for name in ("taxonomy_term.json",)]
)
PAGE = schema("openapi.json")["components"]["schemas"]["Page"]


def validate(instance, name):
    validator = Draft7Validator(schema(name), registry=REGISTRY, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def validate_page(body, item_schema):
    Draft7Validator({**PAGE, "required": list(PAGE["properties"])}).validate(body)
    for item in body["contents"]:
        validate(item, item_schema)


@pytest.fixture
def directory(directory_editor, organisation, place, hub, district):
    published = make_service(
        directory_editor,
        organisation,
        locations=[place],
        family_hub=hub,
        districts=[district],
        url="https://homestart.example.org/play",
        email="play@example.org",
        free=False,
        cost="£1 a session",
        contact_name="Hub reception",
        contact_phone="0300 555 0101",
        needs=[need("early_years"), need("send", "vulnerability")],
        opening_times="Monday 10:00 to 12:00\nThursday 13:30 to 15:00 term time",
    )
    others = [
        make_service(directory_editor, organisation, name=f"Service {i:02d}") for i in range(4)
    ]
    hidden = make_service(directory_editor, organisation, name="Closed group", status="inactive")
    imported = Service.objects.create(
        name="Neighbour's service",
        source="https://elsewhere.example.org",
        external_id="1",
        organisation=Organisation.objects.create(name="Elsewhere", source="x", external_id="1"),
    )
    return published, others, hidden, imported


def test_services_list_is_a_profile_page_of_active_own_services(client, directory):
    published, others, hidden, imported = directory
    response = client.get("/openreferral/services")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    validate_page(body, "compiled_service_list.json")
    names = [s["name"] for s in body["contents"]]
    assert names == ["Service 00", "Service 01", "Service 02", "Service 03", "Stay and play"]
    assert body["total_items"] == 5 and body["total_pages"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]


def test_paging_follows_page_and_per_page(client, directory):
    body = client.get("/openreferral/services?page=2&per_page=2").json()
    validate_page(body, "compiled_service_list.json")
    assert [s["name"] for s in body["contents"]] == ["Service 02", "Service 03"]
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        5,
        3,
        2,
        2,
    )
    assert not body["first_page"] and not body["last_page"]
    beyond = client.get("/openreferral/services?page=9&per_page=2").json()
    assert beyond["empty"] and beyond["contents"] == []


def test_service_detail_is_the_fully_nested_service(client, directory):
    published = directory[0]
    response = client.get(f"/openreferral/services/{published.uuid}")
    assert response.status_code == 200
    body = response.json()
    validate(body, "compiled_service.json")
    assert body["organization"]["name"] == "Home-Start Amberford"
    assert [(s["byday"], s["opens_at"]) for s in body["schedules"]] == [
        ("MO", "10:00"),
        ("TH", "13:30"),
    ]
    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "ZZ1 1AB"
    assert {a["taxonomy_term"]["term"] for a in body["attributes"]} == {"early_years", "send"}
    assert body["cost_options"][0]["amount_description"] == "£1 a session"
    assert body["service_areas"][0]["name"] == "Amberford"


def test_inactive_imported_and_unknown_services_are_not_found(client, directory):
    _, _, hidden, imported = directory
    for service in (hidden, imported):
        assert client.get(f"/openreferral/services/{service.uuid}").status_code == 404
    assert client.get("/openreferral/services/not-a-uuid").status_code == 404
    assert client.get(f"/openreferral/services/{hidden.uuid}x").status_code == 404


def test_service_at_locations_list_and_detail_validate(client, directory):
    published = directory[0]
    body = client.get("/openreferral/service_at_locations").json()
    validate_page(body, "compiled_service_at_location_list.json")
    assert body["total_items"] == 1
    sal = body["contents"][0]
    assert sal["service"]["id"] == str(published.uuid)
    detail = client.get(f"/openreferral/service_at_locations/{sal['id']}")
    assert detail.status_code == 200
    validate(detail.json(), "compiled_service_at_location.json")


def test_taxonomies_and_terms_publish_the_need_lists(client, directory):
    body = client.get("/openreferral/taxonomies").json()
    validate_page(body, "taxonomy.json")
    assert [t["name"] for t in body["contents"]] == [
        "Supporting Families headline outcome",
        "Working Together vulnerability",
    ]
    detail = client.get(f"/openreferral/taxonomies/{body['contents'][0]['id']}").json()
    validate(detail, "taxonomy.json")
    assert len(detail["taxonomy_terms"]) == 10
    terms = client.get("/openreferral/taxonomy_terms?per_page=100").json()
    validate_page(terms, "taxonomy_term.json")
    assert terms["total_items"] >= 27
    one = terms["contents"][0]
    term = client.get(f"/openreferral/taxonomy_terms/{one['id']}")
    assert term.status_code == 200
    validate(term.json(), "taxonomy_term.json")
    # Filtering services by a term returns the services with that need.
    early_years = openreferral.term_id(need("early_years"))
    listed = client.get(f"/openreferral/services?taxonomy_term_id={early_years}").json()
    assert listed["total_items"] == 5
    send = openreferral.term_id(need("send", "vulnerability"))
    listed = client.get(f"/openreferral/services?taxonomy_term_id={send}").json()
    assert [s["name"] for s in listed["contents"]] == ["Stay and play"]


def test_search_and_age_filters(client, directory):
    body = client.get("/openreferral/services?search=service&maximum_age=3").json()
    assert body["total_items"] == 4
    assert client.get("/openreferral/services?minimum_age=10").json()["total_items"] == 0


def test_anyone_may_read_and_nobody_may_write(client, directory):
    assert client.get("/openreferral/").json()["version"] == "3.0"
    preflight = client.options("/openreferral/services")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert client.post("/openreferral/services", {}).status_code == 405


def test_no_personal_data_is_published(client, directory, district, hub, hub_worker):
    from directory import services

    family = factories.family_with_children(district=district, name="Zzyzx household")
    services.hub_family_register(hub=hub, family=family, acting_user=hub_worker)
    text = json.dumps(
        [
            client.get(url).json()
            for url in (
                "/openreferral/services?per_page=200",
                f"/openreferral/services/{directory[0].uuid}",
                "/openreferral/service_at_locations",
            )
        ]
    )
    assert "Zzyzx" not in text
    assert "Dev Mistry" not in text  # the editor's name stays inside
    assert hub_worker.email not in text


def test_the_schemas_are_strict_enough_to_catch_a_wrong_service():
    wrong = {"id": "not-a-uuid", "name": "A service", "status": "open", "minimum_age": "five"}
    validator = Draft7Validator(
        schema("compiled_service.json"), registry=REGISTRY, format_checker=FormatChecker()
    )
    problems = {e.path[0] for e in validator.iter_errors(wrong)}
    assert problems == {"id", "status", "minimum_age"}
