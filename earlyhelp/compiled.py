"""Reads every request makes, compiled to SQL once per process (issue 16, point 4).

Django builds a query and compiles its SQL each time it runs. For the few small reads every
page makes (the session, the signed-in user, the unread count) that costs several times the
query itself: about a millisecond of Python each, against a tenth of one in PostgreSQL.

A CompiledRead builds its queryset once, from the ORM as anywhere else, with a stand-in
value for each parameter; it keeps the SQL Django wrote and runs it with the real values.
Rows come back as the queryset would give them (Django's converters applied): tuples from a
values_list() queryset, model instances from a model queryset, with their select_related()
objects and annotations. A stand-in must reach the SQL as parameters, unchanged (an exact
match or a comparison on a plain column), and must be a value no real row or fixed
parameter holds: a read where a stand-in reaches no parameter is refused when first
compiled. An integer stand-in must fit its column (Django drops a filter that cannot match).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import F, QuerySet
from django.db.models.lookups import Lookup
from django.db.models.query import ModelIterable, get_related_populators

# A stand-in for an id: no row has it, and it fits a 32-bit id column.
STAND_IN = -918273640


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the fixed values, with the stand-ins' names where values go
    slots: tuple[int, ...]  # positions of the stand-ins in params
    compiler: object  # applies the columns' converters to raw rows
    instances: bool  # a model queryset: rows become model instances


class CompiledRead:
    """`build(**stand_ins)` returns a queryset; `rows(**values)` runs its SQL with `values`
    in place of the stand-ins."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: _Compiled | None = None

    def _compile(self) -> _Compiled:
        queryset = self._build(**self._stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. a stand-in beyond its integer column's range
            raise ImproperlyConfigured("A stand-in leaves the read with no SQL") from None
        params, slots = list(params), []
        for name, stand_in in self._stand_ins.items():
            found = [i for i, value in enumerate(params) if value == stand_in]
            if not found:
                raise ImproperlyConfigured(f"The stand-in for {name!r} does not reach the SQL")
            for i in found:
                params[i] = name
            slots += found
        instances = queryset._iterable_class is ModelIterable
        return _Compiled(sql, tuple(params), tuple(sorted(slots)), compiler, instances)

    def rows(self, **values) -> list:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = self._compile()
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = values[params[slot]]
        db = router.db_for_read(compiled.compiler.query.model)
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        rows = compiled.compiler.results_iter(results=[fetched], tuple_expected=True)
        return _instances(compiled.compiler, rows, db) if compiled.instances else list(rows)

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None


class CompiledReads(dict):
    """The compiled reads of one list, one for each key (a kind of user, a shape of
    filters, a sort) it meets, built on first use; None, kept too, sends that key to the
    ORM for good."""

    def of(self, key, build: Callable[[], object]):
        if key not in self:
            self[key] = build()
        return self[key]


def kept_read(queryset: QuerySet, stand_ins: dict, *, optional=(), dates: bool = False):
    """A CompiledRead of `queryset` (built with `stand_ins`). Those named in `optional` may
    be missing from its SQL (a scope that needs no agency, a filter not chosen); any other
    must reach it. None where the read cannot be kept: no SQL at all (a scope with no rows
    for anyone of the kind) or, unless `dates`, a date among its parameters (a time compared
    with now, such as a break glass's expiry, or a due date compared with today)."""
    try:
        _, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    if not dates and any(isinstance(value, datetime.date) for value in params):
        return None
    reached = {
        name: value for name, value in stand_ins.items() if name not in optional or value in params
    }
    return CompiledRead(lambda **_: queryset, **reached)


def _instances(compiler, rows, db: str) -> list:
    """Model instances from rows, as Django's ModelIterable makes them (select_related()
    objects and annotations set; a compiled read has no known related objects)."""
    select, klass_info = compiler.select, compiler.klass_info
    model, fields = klass_info["model"], klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, db)
    annotations = compiler.annotation_col_map.items()
    objects = []
    for row in rows:
        obj = model.from_db(db, attnames, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


class OneOf(Lookup):
    """`column = ANY(ids)`: the ids as one array parameter, so one compiled read takes any
    number of them (PostgreSQL plans `IN (...)` as the same `= ANY`). Give the read a list
    as the stand-in: `CompiledRead(lambda ids: ....filter(one_of("case_id", ids)), ids=[-1])`."""

    lookup_name = "one_of"
    prepare_rhs = False  # a list of ids, passed whole

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def one_of(column: str, ids) -> OneOf:
    return OneOf(F(column), ids)
