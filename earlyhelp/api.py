"""API plumbing shared by every app: the access-rule permission, service-account tokens,
throttling and the error mapping."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import prefetch_related_objects
from rest_framework import exceptions, pagination, permissions, serializers, throttling
from rest_framework import fields as drf_fields
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from earlyhelp.access_rules import rule_for
from earlyhelp.compiled import CompiledReads, kept_read


class ServiceTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` for partner systems' service accounts only.

    DRF's own tokens (rest_framework.authtoken) are not accepted: any user could hold one,
    and it would let a person use the API without the second factor."""

    def authenticate_credentials(self, key):
        from earlyhelp.api_tokens import token_for_key

        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return token.account.user, token


class _RatesFromSettings:
    """DRF reads the rates once, at import; these read them per request, so a changed
    setting (or a test's override) takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    pass


class DeclaredRule(permissions.BasePermission):
    """The view's declared access rule, as for pages; no rule ⇒ refused."""

    message = "You do not have access to this."

    def has_permission(self, request, view) -> bool:
        from earlyhelp.models import ApiScope, ApiToken

        rule = rule_for(view)
        if rule is None or not rule.allows(request.user):
            return False
        if (
            isinstance(request.auth, ApiToken)
            and request.auth.scope == ApiScope.READ
            and request.method not in permissions.SAFE_METHODS
        ):
            self.message = "This token may only read."
            return False
        if (
            settings.EARLYHELP_REQUIRE_2FA
            and isinstance(request.successful_authenticator, SessionAuthentication)
            and request.user.needs_second_factor
            and not request.user.is_verified()
        ):
            self.message = "Verify your second factor before using the API."
            return False
        return True


def exception_handler(exc, context):
    from rest_framework.exceptions import PermissionDenied
    from rest_framework.views import exception_handler as drf_exception_handler

    from earlyhelp.errors import (
        DomainError,
        EditConflict,
        FieldError,
        FieldErrors,
        RestrictedRecord,
    )

    if isinstance(exc, EditConflict):
        from rest_framework import status
        from rest_framework.response import Response

        # Someone else saved first: the caller must reload, not retry blindly.
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)

    if isinstance(exc, RestrictedRecord):
        exc = PermissionDenied(
            f"This is a restricted record. If you need to know more, contact {exc.contact}."
        )

    if isinstance(exc, FieldErrors):
        from rest_framework.exceptions import ValidationError

        exc = ValidationError({field: [str(message)] for field, message in exc.errors.items()})
    elif isinstance(exc, DomainError):
        from rest_framework.exceptions import ValidationError

        field = exc.field if isinstance(exc, FieldError) else "detail"
        exc = ValidationError({field: [str(exc)] if field != "detail" else str(exc)})
    return drf_exception_handler(exc, context)


class ErrorOutput(serializers.Serializer):
    """An error answer: what went wrong, in words (as a 409 when someone else saved first or
    the record is no longer in the state the call needs: reload it before trying again)."""

    detail = serializers.CharField()


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost however deep the page, no COUNT(*) at county scale."""

    ordering = "-id"
    invalid_cursor_message = (
        "This cursor is not one this list gave: follow the next link of a page, or start "
        "again without a cursor."
    )
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_rows(self, rows: list, request, view=None) -> list:
        """paginate_queryset for a first page read already (FirstPage): the same page, links
        and state, from its rows."""
        return self.paginate_queryset(_ReadPage(rows, self.ordering, self.page_size), request, view)


class _ReadPage:
    """A first page's rows, standing in for its queryset where paginate_queryset, with no
    cursor, orders the queryset and reads one more row than a page."""

    def __init__(self, rows: list, ordering: str, page_size: int):
        self._rows, self._ordering, self._size = rows, (ordering,), page_size

    def order_by(self, *ordering):
        if ordering != self._ordering:
            raise ImproperlyConfigured(f"The first page was read in {self._ordering} order")
        return self

    def __getitem__(self, key):
        if key != slice(0, self._size + 1):
            raise ImproperlyConfigured("The first page was read from its first row")
        return self._rows


class FirstPage:
    """The first page of a scoped list (no cursor, no filters, the default size) read through
    a compiled read (earlyhelp/compiled.py): building the scoped query and compiling it cost
    more than a list's own SQL. `scoped(user)` is the list's queryset (the view's own, less
    its prefetches), built once per process for each kind of user (role, and a manager's
    agency kind: all a user's scope depends on besides their ids) for a stand-in user and
    agency; the SQL runs with the caller's ids, then `prefetch()`'s lookups are read as the
    queryset would. A caller with no agency, a scope with a time in it (a break glass) or
    none at all reads through the ORM (tests/access/test_first_page.py: the same rows for
    every role)."""

    _STAND_INS = {"user_id": -918273671, "agency_id": -918273672}

    def __init__(self, scoped, *, kind_of, stand_in, prefetch=tuple, read_related=None):
        """`kind_of(user)`: what the list's scope decides by besides ids (None: the ORM);
        `stand_in(kind, user_id=, agency_id=)`: a user of that kind to build the read from
        (cases.access.kind_of_user and stand_in_user: the kernel knows no roles).
        `read_related(rows)`, if given, reads the prefetches' lists in place of them."""
        self._scoped, self._prefetch, self._read_related = scoped, prefetch, read_related
        self._kind_of, self._stand_in = kind_of, stand_in
        self._reads = CompiledReads()

    def rows(self, request, paginator) -> list | None:
        """The first page's rows (one more than a page), or None: read through the ORM."""
        user = request.user
        if request.query_params or not isinstance(paginator, CursorPagination):
            return None
        kind = self._kind_of(user) if user.is_authenticated else None
        if kind is None:
            return None
        key = (kind, paginator.ordering, paginator.page_size)
        read = self._reads.of(key, lambda: self._compiled(*key))
        if read is None:
            return None
        rows = read.rows(user_id=user.pk, agency_id=user.agency_id)
        if self._read_related is not None:
            self._read_related(rows)
        elif lookups := self._prefetch():
            prefetch_related_objects(rows, *lookups)
        return rows

    def _compiled(self, kind, ordering, page_size):
        stand_in = self._stand_in(kind, **self._STAND_INS)
        page = self._scoped(stand_in).order_by(ordering)[: page_size + 1]
        return kept_read(page, self._STAND_INS, optional=self._STAND_INS)


# For a list viewset with `first_page` (a FirstPage): its first page read through it. (No
# docstring: the API schema would describe the viewsets' operations with it.)
class FirstPageList:
    first_page: FirstPage

    def list(self, request, *args, **kwargs):
        rows = self.first_page.rows(request, self.paginator)
        if rows is None:
            return super().list(request, *args, **kwargs)
        page = self.paginator.paginate_rows(rows, request, self)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# DRF field classes whose value for a plain model column is the column's value converted by
# the field's own to_representation (no relation, no method, no callable to call).
_PLAIN_FIELD_TYPES = frozenset(
    {
        drf_fields.BooleanField,
        drf_fields.CharField,
        drf_fields.ChoiceField,
        drf_fields.DateField,
        drf_fields.DateTimeField,
        drf_fields.IntegerField,
        drf_fields.ListField,
        getattr(drf_fields, "BigIntegerField", drf_fields.IntegerField),
    }
)


# PlainColumns: PlainColumnsOutput without a docstring, for a serializer whose schema has
# no description (drf-spectacular describes a serializer by the first docstring it inherits).
class PlainColumns:
    def to_representation(self, instance):
        if isinstance(instance, Mapping):  # not a record: DRF's own way
            return super().to_representation(instance)
        plan = self.__dict__.get("_plain_plan")
        if plan is None:
            plan = self._plain_plan = self._plan()
        ret = {}
        for name, column, field in plan:
            if column is not None:
                value = getattr(instance, column)
                ret[name] = None if value is None else field.to_representation(value)
                continue
            try:  # the rest exactly as DRF's Serializer.to_representation
                value = field.get_attribute(instance)
            except SkipField:
                continue
            none = value.pk if isinstance(value, PKOnlyObject) else value
            ret[name] = None if none is None else field.to_representation(value)
        return ret

    def _plan(self) -> list[tuple[str, str | None, object]]:
        columns = {f.name for f in self.Meta.model._meta.concrete_fields if not f.is_relation}
        return [
            (
                field.field_name,
                field.source
                if type(field) in _PLAIN_FIELD_TYPES and field.source in columns
                else None,
                field,
            )
            for field in self._readable_fields
        ]


class PlainColumnsOutput(PlainColumns):
    """For a ModelSerializer: the same representation as DRF's, with the plain columns read
    straight off the record instead of through DRF's per-field attribute lookup, which is
    most of the cost of a long list (50 families and their people: ~1,000 fields a page).
    Every other field (nested, related, method) goes through DRF as usual. The output is
    the same, key for key (tests/cases/test_api.py compares the two)."""
