"""Bulk loading with PostgreSQL COPY, driven by the Django models' own field lists.

Rows are dicts keyed by field attname; anything left out takes the field's default (or
NULL), so the generator keeps working when a model gains a nullable or defaulted field.
"""

import csv
import datetime
import io
import json

from django.db import connection
from django.db.models import NOT_PROVIDED

NULL = r"\N"


def _cell(value):
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "{" + ",".join(str(v) for v in value) + "}"
    return value


class Copier:
    """Collects rows for one table and COPYs them in chunks. `add()` returns the new id."""

    def __init__(self, model, *, chunk: int = 50_000, start_id: int = 1, json_fields=()):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.has_id = any(f.primary_key and f.column == "id" for f in self.fields)
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.defaults = {}
        for f in self.fields:
            if f.default is not NOT_PROVIDED:
                self.defaults[f.attname] = f.default
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = None  # must be given
            elif not f.null and f.get_internal_type() in (
                "CharField",
                "TextField",
                "EmailField",
                "SlugField",
            ):
                self.defaults[f.attname] = ""
        self.chunk = chunk
        self.next_id = start_id
        self.rows: list[list] = []
        self.count = 0

    def add(self, **values) -> int:
        if self.has_id and "id" not in values:
            values["id"] = self.next_id
            self.next_id += 1
        row = []
        for f in self.fields:
            if f.attname in values:
                value = values[f.attname]
            else:
                default = self.defaults.get(f.attname)
                value = default() if callable(default) else default
            if f.attname in self.json and value is not None and not isinstance(value, str):
                value = json.dumps(value)
            row.append(_cell(value))
        self.rows.append(row)
        if len(self.rows) >= self.chunk:
            self.flush()
        return values.get("id")

    def flush(self) -> None:
        if not self.rows:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(self.rows)
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {self.table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
                buffer,
            )
        self.count += len(self.rows)
        self.rows = []

    def finish(self) -> int:
        self.flush()
        if self.has_id:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "  # noqa: S608
                    f"GREATEST((SELECT COALESCE(MAX(id), 1) FROM {self.table}), 1))"
                )
        return self.count
