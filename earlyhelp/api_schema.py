"""The API schema's generator: drf-spectacular's, with the error answers every operation can
give documented beside the ones each view declares. A module of its own: earlyhelp.api is
loaded while DRF reads its settings, before drf-spectacular can be."""

from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_view_model, is_serializer
from drf_spectacular.utils import OpenApiResponse

from earlyhelp.api import ErrorOutput

ERRORS = {
    "401": "No valid token: sign in, or send `Authorization: Token <key>`.",
    "403": "Not allowed: the caller's role or token may not do this, the second factor is "
    "not verified, or the record is restricted.",
}
NOT_FOUND = "No such record in the caller's scope."
NO_SUCH_PAGE = (
    "No such page of the list: the `cursor` is not one this list gave, or the `page` is past "
    "the last. Follow the `next` link of a page, or start again from the first."
)
BAD_INPUT = (
    "The input is refused and nothing was saved: every wrong field is named with its "
    "messages (all of them at once), or `detail` says which rule said no."
)
BAD_QUERY = "A query parameter is refused: each wrong one is named with its messages."
WRITES = ("POST", "PUT", "PATCH")

# The shape of a 400 as DRF and earlyhelp.api.exception_handler give it: {field: [message]}
# with non_field_errors, a nested object's errors by its fields, a list's by item index.
FIELD_ERRORS = ResolvedComponent(
    name="FieldErrors",
    type=ResolvedComponent.SCHEMA,
    object="FieldErrors",
    schema={
        "description": "What is wrong with one field: its messages; for an object, its "
        "fields' errors by name; for a list or mapping, its wrong items' by index or key.",
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
            },
        ],
    },
)
INPUT_ERRORS = ResolvedComponent(
    name="InputErrors",
    type=ResolvedComponent.SCHEMA,
    object="InputErrors",
    schema={
        "type": "object",
        "description": "A refused input: each wrong field (by its name in the request) with "
        "its messages.",
        "properties": {
            "non_field_errors": {
                "type": "array",
                "items": {"type": "string"},
                "description": "What is wrong with the input as a whole.",
            },
            "detail": {
                "type": "string",
                "description": "A rule that is about no one field, or a body that is not JSON.",
            },
        },
        "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
    },
)


class ContractSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = {code: OpenApiResponse(ErrorOutput, text) for code, text in ERRORS.items()}
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorOutput, NOT_FOUND)
        elif self._is_paged():
            errors["404"] = OpenApiResponse(ErrorOutput, NO_SUCH_PAGE)
        if self.method in WRITES:
            errors["400"] = OpenApiResponse(self._input_errors(), BAD_INPUT)
        elif self._query_is_checked():
            errors["400"] = OpenApiResponse(self._input_errors(), BAD_QUERY)
        for code, answer in errors.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(answer, code, direction=direction)
        return bodies

    def _is_paged(self) -> bool:
        """A list in pages: DRF answers a page it cannot find as Not Found."""
        return self._is_list_view() and self._get_paginator() is not None

    def _input_errors(self) -> dict:
        """The one component every 400 of bad input refers to."""
        for component in (FIELD_ERRORS, INPUT_ERRORS):
            self.registry.register_on_missing(component)
        return INPUT_ERRORS.ref

    def _query_is_checked(self) -> bool:
        """A GET whose query is checked, so a wrong value is a 400: a serializer given as its
        parameters, or a list's django-filter filters (applied by `list` alone: an action of
        a viewset with filters does not filter) when one takes more than text (any text
        will do, earlyhelp.middleware having dropped NUL characters)."""
        if any(is_serializer(parameter) for parameter in self.get_override_parameters()):
            return True
        if getattr(self.view, "action", "list") != "list":
            return False
        return any(
            field_class is not forms.CharField for field_class in self._filter_field_classes()
        )

    def _filter_field_classes(self):
        for backend in self.get_filter_backends():  # classes, for a list view only
            model = get_view_model(self.view, emit_warnings=False)
            if model is None or not issubclass(backend, DjangoFilterBackend):
                continue
            filterset = backend().get_filterset_class(self.view, model._default_manager.none())
            for query_filter in filterset.base_filters.values() if filterset else ():
                yield query_filter.field_class
