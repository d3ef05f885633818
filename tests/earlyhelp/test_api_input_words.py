"""The API says what is wrong with a request in the product's words, naming the field, as
the pages do ("Enter the text", "Text must be 2000 characters or fewer; you entered 2001"),
where DRF said "This field is required." or "A valid integer is required.": the same JSON
shape ({field: [messages]}, nested for objects and lists), nothing stored. Every input
serializer the API uses says its errors so (earlyhelp.api_input.Input)."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import fields, relations, serializers
from rest_framework.test import APIClient

from assessments.models import PlanAction
from cases.models import MAX_TEXT, ChronologyEntry, EarlyHelpCase
from earlyhelp.api_input import Input
from tests import factories
from tests.cases.test_api_dates import planned_case  # noqa: F401 (a fixture)
from tests.cases.test_partner_start import body as start_body
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    return signed_in(APIClient(), user)


def test_a_case_note_with_nothing_in_it_asks_for_the_text(practitioner):
    case = factories.open_case(lead=practitioner)
    notes = ChronologyEntry.objects.count()
    response = api_as(practitioner).post(f"/api/v1/cases/{case.pk}/notes/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"text": ["Enter the text"]}
    assert ChronologyEntry.objects.count() == notes


def test_a_case_note_too_long_of_an_unknown_kind_on_no_real_day_names_each_in_words(
    practitioner,
):
    case = factories.open_case(lead=practitioner)
    notes = ChronologyEntry.objects.count()
    response = api_as(practitioner).post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"text": "x" * (MAX_TEXT + 1), "kind": "gossip", "occurred_at": "27/03/2026 10:30"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "text": [f"Text must be {MAX_TEXT} characters or fewer; you entered {MAX_TEXT + 1}"],
        "kind": ["Choose the kind from the list"],
        "occurred_at": [
            "Enter the date it happened as a real date and time, like 2026-03-27T10:30"
        ],
    }
    assert ChronologyEntry.objects.count() == notes


def test_starting_early_help_with_wrong_types_names_each_field_in_words(school, district):
    dsl = factories.UserFactory(agency=school, districts=[district])
    data = start_body(district, level_of_need="high")
    data["consent"] = {"given_by": "Dawn", "given_on": "27/03/2026", "method": "by pigeon"}
    data["people"][0]["first_name"] = ""
    data["people"][1]["new_person"] = "perhaps"
    response = api_as(dsl).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "level_of_need": ["Level of need must be a whole number"],
        "consent": {
            "given_by": ["Person who consented must be a whole number"],
            "given_on": ["Enter the date consent was given as a real date, like 2026-03-27"],
            "method": ["Choose the method from the list"],
        },
        "people": {
            "0": {"first_name": ["Enter the first name"]},
            "1": {"new_person": ["New person must be true or false"]},
        },
    }
    assert not EarlyHelpCase.objects.exists()


def test_starting_early_help_with_people_not_as_a_list_asks_for_a_list(school, district):
    dsl = factories.UserFactory(agency=school, districts=[district])
    response = api_as(dsl).post(
        "/api/v1/cases/", start_body(district, people="Lily and Dawn"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"people": {"non_field_errors": ["Enter the people as a list"]}}
    assert not EarlyHelpCase.objects.exists()


def test_a_plan_action_with_its_services_not_as_a_list_and_no_action_says_so(
    practitioner,
    planned_case,  # noqa: F811
):
    response = api_as(practitioner).post(
        f"/api/v1/plans/{planned_case.plan.pk}/actions/",
        {
            "outcome": planned_case.outcome.pk,
            "owner": "family",
            "due_on": "2026-02-30",
            "signposted_services": "3",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "what": ["Enter the action"],
        "due_on": ["Enter the date it is due by as a real date, like 2026-03-27"],
        "signposted_services": ["Enter the signposted services as a list"],
    }
    assert not PlanAction.objects.exists()


def test_a_plan_action_with_a_service_that_is_not_an_id_names_the_item(
    practitioner,
    planned_case,  # noqa: F811
):
    response = api_as(practitioner).post(
        f"/api/v1/plans/{planned_case.plan.pk}/actions/",
        {
            "outcome": planned_case.outcome.pk,
            "what": "Walk to school",
            "owner": "family",
            "due_on": "2026-03-27",
            "signposted_services": [1, "library"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "signposted_services": {"1": ["Each of the signposted services must be a whole number"]}
    }
    assert not PlanAction.objects.exists()


def test_a_body_that_is_not_an_object_is_answered_in_words(practitioner):
    case = factories.open_case(lead=practitioner)
    response = api_as(practitioner).post(
        f"/api/v1/cases/{case.pk}/notes/", ["a note"], format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Send the fields as a JSON object"]}


def test_a_figures_query_with_no_real_start_date_nor_district_names_both(strategic_viewer):
    response = api_as(strategic_viewer).get(
        "/api/v1/reporting/indicators/",
        {"start": "2026-13-01", "end": "2026-12-31", "district": "nowhere", "agency": "x"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "start": ["Enter the start date as a real date, like 2026-03-27"],
        "district": ["There is no district with the code nowhere"],
        "agency": ["Enter the agency as its id, a whole number"],
    }


# --- Every input the API takes -------------------------------------------------------------

_DRF_MODULES = (fields, relations, serializers)
DRF_WORDS = {
    str(message)
    for module in _DRF_MODULES
    for kind in vars(module).values()
    if isinstance(kind, type)
    for message in vars(kind).get("default_error_messages", {}).values()
}


def drf_words_in(field, path: str, *, root: bool = False) -> list[str]:
    """Where `field` (and whatever it holds) would still answer in DRF's words."""
    found = []
    if isinstance(field, serializers.BaseSerializer) and not isinstance(
        field, (Input, serializers.ListSerializer)
    ):
        found.append(f"{path}: {type(field).__name__} is not an Input")
    for code, message in field.error_messages.items():
        if str(message) in DRF_WORDS and not (root and code in ("required", "null")):
            found.append(f"{path} ({code}): {message}")
    for validator in field.validators:
        message = getattr(validator, "message", None)
        if str(getattr(message, "format_string", message)) in DRF_WORDS:
            found.append(f"{path} ({type(validator).__name__}): {message}")
    if isinstance(field, (serializers.ListSerializer, fields.ListField, fields.DictField)):
        found += drf_words_in(field.child, f"{path}[]")
    if isinstance(field, serializers.Serializer):
        for name, inner in field.fields.items():
            found += drf_words_in(inner, f"{path}.{name}")
    return found


def request_serializers() -> dict[str, object]:
    """Every serializer the schema says an operation takes as its body, with what it
    holds, by component name."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"].split("/")[-1]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    names = set()
    todo = [
        name
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for name in refs(operation.get("requestBody", {}))
    ]
    while todo:
        name = todo.pop()
        if name not in names:
            names.add(name)
            todo.extend(refs(components[name]))
    found = {}
    for (name, kind), component in generator.registry._components.items():
        if kind == "schemas" and name in names:
            serializer = component.object
            if isinstance(serializer, type):
                serializer = serializer()
            if isinstance(serializer, serializers.BaseSerializer):
                found[name] = serializer
    return found


def project_serializer_classes() -> list[type]:
    """Every serializer class of the project's own (after the URLs are loaded)."""
    every, todo = [], [serializers.BaseSerializer]
    while todo:
        kind = todo.pop()
        for sub in kind.__subclasses__():
            todo.append(sub)
            if not sub.__module__.startswith(("rest_framework", "drf_spectacular", "tests")):
                every.append(sub)
    return every


def test_every_request_body_the_api_takes_answers_in_its_own_words():
    bodies = request_serializers()
    assert {"ClosureInput", "CaseNoteInput", "ReferralInput", "EducationEventInput"} <= set(bodies)
    wrong = []
    for name, serializer in sorted(bodies.items()):
        child = getattr(serializer, "child", serializer)
        if not isinstance(child, Input):
            wrong.append(f"{name}: {type(child).__name__} is not an Input")
        wrong += drf_words_in(child, name, root=True)
    assert wrong == []


def test_every_input_and_filter_serializer_is_an_input_in_words():
    """The inputs the schema cannot list as a body (a query's filters) by their names."""
    inputs = [
        kind
        for kind in project_serializer_classes()
        if kind.__name__.endswith(("Input", "Filters"))
    ]
    assert len(inputs) >= 33
    wrong = []
    for kind in inputs:
        if not issubclass(kind, Input):
            wrong.append(f"{kind.__qualname__} is not an Input")
        else:
            wrong += drf_words_in(kind(), kind.__qualname__, root=True)
    assert wrong == []


def test_a_serializer_left_in_drfs_words_is_found():
    """The walk above finds DRF's words where they are (it is not empty by mistake)."""

    class Plain(serializers.Serializer):
        text = serializers.CharField(max_length=10)

    class Worded(Input):
        text = serializers.CharField(max_length=10)
        inner = Plain()

    in_drfs_words = [
        "text (required): This field is required.",
        "text (null): This field may not be null.",
        "text (invalid): Not a valid string.",
        "text (blank): This field may not be blank.",
        "text (max_length): Ensure this field has no more than {max_length} characters.",
        "text (min_length): Ensure this field has at least {min_length} characters.",
        "text (MaxLengthValidator): Ensure this field has no more than 10 characters.",
    ]
    assert drf_words_in(Plain(), "Plain", root=True) == [
        "Plain: Plain is not an Input",
        "Plain (invalid): Invalid data. Expected a dictionary, but got {datatype}.",
        *(f"Plain.{found}" for found in in_drfs_words),
    ]
    assert drf_words_in(Worded(), "Worded", root=True) == [
        "Worded.inner: Plain is not an Input",
        *(f"Worded.inner.{found}" for found in in_drfs_words),
    ]
