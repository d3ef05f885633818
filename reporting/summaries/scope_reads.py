"""A user's filters over the summaries, read through compiled reads (issue 16, point 4).

The figures select a user's facts with cases.access.case_columns_visible_to and
referrals.access.referral_columns_visible_to, each subquery in them replaced by the ids it
gives now (figures._resolved). Building those filters and their subqueries took longer on
each dashboard view than running them. Here each kind of user (role and agency kind) has
its filters built once per process, from the same access functions, for a stand-in user and
agency; each subquery is a CompiledRead and the stand-ins left in the filter are put back to
the user's own ids. The result is the Q figures._resolved gives (tests/reporting/summaries/
test_scope_reads.py proves it for every role and situation). Anyone else (no agency, a
break glass, an inactive account) reads through the ORM as before.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from cases.access import (
    AGENCY,
    DISTRICTS,
    OWN,
    _scope_kind,
    case_columns_visible_to,
    kind_of_user,
    stand_in_user,
)
from earlyhelp.compiled import CompiledRead
from referrals.access import referral_columns_visible_to

_USER, _AGENCY = -918273651, -918273652
_STAND_INS = {"user_id": _USER, "agency_id": _AGENCY}
# The plain values a filter may hold (as figures.LITERALS) once its subqueries are reads.
_PLAIN = (int, str, bool, float, type(None))


@dataclass(frozen=True)
class _Read:
    """A subquery of a filter, compiled: the ids it selects, read with the user's ids."""

    read: CompiledRead
    key: tuple  # its SQL and fixed values: the same read in two filters is run once


@dataclass(frozen=True)
class _Filters:
    cases: Q | None
    referrals: Q | None


_TEMPLATES: dict[tuple, _Filters | None] = {}
_READS: dict[tuple, CompiledRead] = {}


def filters_for(user, reads: dict) -> tuple[Q | None, Q | None] | None:
    """(cases, referrals): the user's case and request filters with every subquery read, each
    None where the user has no such records; None when this user reads through the ORM.
    `reads` keeps what each read gave, for the length of one set of figures."""
    key = _kind_of(user)
    if key is None:
        return None
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _template(key)
    template = _TEMPLATES[key]
    if template is None:
        return None
    values = {_USER: user.pk, _AGENCY: user.agency_id}
    return (
        _filled(template.cases, values, reads),
        _filled(template.referrals, values, reads),
    )


def _kind_of(user) -> tuple | None:
    """What decides the shape of a user's filters (cases.access.kind_of_user), for a user
    whose case scope holds no time (not a break glass). None: read through the ORM."""
    if _scope_kind(user) not in (OWN, DISTRICTS, AGENCY):
        return None
    return kind_of_user(user)


def _template(key: tuple) -> _Filters | None:
    """The filters of a stand-in of the user's kind, subqueries compiled; None if a filter
    holds something other than plain values and subqueries."""
    stand_in = stand_in_user(key, user_id=_USER, agency_id=_AGENCY)
    try:
        return _Filters(
            _compiled(case_columns_visible_to(stand_in, case_id="case_id")),
            _compiled(referral_columns_visible_to(stand_in)),
        )
    except ImproperlyConfigured:
        return None


def _compiled(q: Q | None) -> Q | None:
    if q is None:
        return None
    compiled = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            child = _compiled(child)
        elif isinstance(child, tuple) and isinstance(child[1], QuerySet):
            child = (child[0], _read(child[1]))
        elif not (isinstance(child, tuple) and isinstance(child[1], _PLAIN)):
            raise ImproperlyConfigured(f"A filter holds {child!r}")
        compiled.children.append(child)
    return compiled


def _read(queryset: QuerySet) -> _Read:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    key = (sql, tuple(params))
    if key not in _READS:
        reached = {name: value for name, value in _STAND_INS.items() if value in params}
        _READS[key] = CompiledRead(lambda **_: queryset, **reached)
    return _Read(_READS[key], key)


def _filled(template: Q | None, values: dict, reads: dict) -> Q | None:
    """The template with the user's ids for the stand-ins, and each read's ids in order
    (figures._resolved's values, the same Q)."""
    from reporting.summaries.figures import _sorted, _value

    if template is None:
        return None
    filled = Q(_connector=template.connector, _negated=template.negated)
    for child in template.children:
        if isinstance(child, Q):
            child = _filled(child, values, reads)
        elif isinstance(child[1], _Read):
            read = child[1]
            if read.key not in reads:
                rows = read.read.rows(user_id=values[_USER], agency_id=values[_AGENCY])
                reads[read.key] = _sorted([_value(row) for row in rows])
            child = (child[0], list(reads[read.key]))
        elif type(child[1]) is int and child[1] in values:
            child = (child[0], values[child[1]])
        filled.children.append(child)
    return filled
