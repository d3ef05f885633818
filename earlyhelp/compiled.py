"""Reads every request makes, compiled to SQL once per process (issue 16, point 4).

Django builds a query and compiles its SQL each time it runs. For the few small reads every
page makes (the session, the signed-in user, the unread count) that costs several times the
query itself: about a millisecond of Python each, against a tenth of one in PostgreSQL.

A CompiledRead builds its queryset once, from the ORM as anywhere else, with a stand-in
value for each parameter; it keeps the SQL Django wrote and runs it with the real values.
Rows come back as the queryset's values_list() would give them (Django's converters
applied). A stand-in must reach the SQL as one parameter, unchanged (an exact match or a
comparison on a plain column): anything else is refused when the read is first compiled.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the fixed values, with the stand-ins' names where values go
    slots: tuple[int, ...]  # positions of the stand-ins in params
    compiler: object  # applies the columns' converters to raw rows


class CompiledRead:
    """`build(**stand_ins)` returns a values_list() queryset; `rows(**values)` runs its SQL
    with `values` in place of the stand-ins."""

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
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"The stand-in for {name!r} reaches the SQL {len(found)} times, not once"
                )
            params[found[0]] = name
            slots.append(found[0])
        return _Compiled(sql, tuple(params), tuple(slots), compiler)

    def rows(self, **values) -> list[tuple]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = self._compile()
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = values[params[slot]]
        model = compiled.compiler.query.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        return list(compiled.compiler.results_iter(results=[fetched], tuple_expected=True))

    def first(self, **values) -> tuple | None:
        rows = self.rows(**values)
        return rows[0] if rows else None
