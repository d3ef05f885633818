"""The schema documents only the query parameters an operation reads. An operation on one
record (a path with an id: retrieve, update, the actions) reads no filter or page of its
viewset's list, so the schema must not offer them: a caller would filter by them and get
everything back. A new one that reads a parameter is listed in READS."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Query parameters an operation on one record reads ("METHOD /path": names).
READS: dict[str, set[str]] = {"POST /api/v1/triage/{id}/pick-up/": {"take_over"}}


def _query_parameters(schema) -> dict[str, set[str]]:
    documented = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"}
            documented[f"{method.upper()} {path}"] = names
    return documented


def test_no_operation_on_one_record_documents_a_query_parameter_it_ignores(practitioner):
    schema = signed_in(APIClient(), practitioner).get("/api/schema/?format=json").json()
    documented = _query_parameters(schema)
    on_one_record = {op: names for op, names in documented.items() if "{" in op}
    assert "GET /api/v1/cases/{id}/eligible-leads/" in on_one_record
    ignored = {
        op: sorted(names - READS.get(op, set()))
        for op, names in on_one_record.items()
        if names - READS.get(op, set())
    }
    assert ignored == {}
    # ...and documents what it reads (a parameter read but not offered is never used).
    for op, names in READS.items():
        assert names <= documented[op], op
    # The lists still document their filters and pages.
    assert {"status", "level_of_need", "cursor"} <= documented["GET /api/v1/cases/"]
