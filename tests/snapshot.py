"""Build a fixture's rows once per test process, then put them back for each test.

The cast (tests/cast.py) goes through the real services: enrolment, stage changes,
ally links with consent, their timeline and audit rows: about 180 queries and 50 ms
per test, for some 2,500 tests on each database. :class:`Snapshot` runs the builder
for real the first time, keeps the rows it wrote (model by model, as the ORM reads
them) and the Python objects it returned, and for every later test writes the same
rows back with one ``bulk_create`` per model and hands out a deep copy of the objects.

So a test sees exactly what a fresh build would give it:

- **Same rows, same ids.** Ids are written explicitly. Sequences never hand them out
  again: PostgreSQL's never go back, and SQLite's AUTOINCREMENT counts past the highest
  id present.
- **Same moment.** The first build runs with the clock stopped (time-machine), so all
  its "now"s are one instant; every date-time, in the rows and on the objects, is
  moved by the time since then. A test that travels in time before asking for the
  cast gets a cast built "then", as before, to the microsecond.
- **Same files.** A stored file the builder wrote (a profile photo) is written again
  when the storage of this test (``MEDIA_ROOT``) does not have it.

It falls back to running the builder for real when it can't be sure: when a table the
builder writes already has rows in this test (another fixture wrote first), when a
table had rows before the first build, or when the rows hold a date (not a date-time)
that moving in time would have to change.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models
from django.utils import timezone

T = TypeVar("T")


@dataclasses.dataclass
class _Recorded(Generic[T]):
    database: str
    built_at: datetime
    result: T
    # (model, rows as instances) in the order the builder first wrote each table
    rows: list[tuple[type[models.Model], list[models.Model]]]
    files: dict[str, bytes]


def _models_by_table() -> dict[str, type[models.Model]]:
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _non_empty(tables: list[str]) -> set[str]:
    """Which of ``tables`` hold a row: one query."""
    if not tables:
        return set()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        # table names from the models, quoted: nothing here comes from outside
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return {row[0] for row in cursor.fetchall()}


def _shift_instance(instance: models.Model, delta: timedelta) -> None:
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(instance, field.attname)
            if value is not None:
                setattr(instance, field.attname, value + delta)


def _shift_objects(obj: Any, delta: timedelta, seen: set[int]) -> None:
    """Move every model instance reachable from ``obj`` (a dataclass, dict, list) in time."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, models.Model):
        _shift_instance(obj, delta)
        for related in obj._state.fields_cache.values():
            _shift_objects(related, delta, seen)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            _shift_objects(getattr(obj, field.name), delta, seen)
    elif isinstance(obj, dict):
        for value in obj.values():
            _shift_objects(value, delta, seen)
    elif isinstance(obj, list | tuple | set):
        for value in obj:
            _shift_objects(value, delta, seen)


class Snapshot(Generic[T]):
    """``Snapshot(build)()``: what ``build()`` returns, its rows written once per process."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._recorded: _Recorded[T] | None = None

    def __call__(self) -> T:
        database = f"{connection.vendor}:{connection.settings_dict['NAME']}"
        recorded = self._recorded
        if recorded is None or recorded.database != database:
            return self._record(database)
        tables = [model._meta.db_table for model, _rows in recorded.rows]
        if _non_empty(tables):
            return self._build()  # this test wrote to those tables first
        return self._replay(recorded)

    def _record(self, database: str) -> T:
        by_table = _models_by_table()
        written: list[str] = []

        def note_inserts(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            words = sql.split(None, 3)
            if len(words) >= 3 and words[0].upper() == "INSERT" and words[1].upper() == "INTO":
                table = words[2].strip('"`')
                if table not in written:
                    written.append(table)
            return execute(sql, params, many, context)

        before = _non_empty(list(by_table))
        # The build runs with the clock stopped, so every "now" in it is ``built_at``
        # exactly and moving all by one delta gives what a build at that moment gives.
        built_at = timezone.now()
        with time_machine.travel(built_at, tick=False), connection.execute_wrapper(note_inserts):
            result = self._build()
        if before.intersection(written) or any(table not in by_table for table in written):
            return result  # not only the builder's rows: try again next time
        rows = []
        for table in written:
            model = by_table[table]
            instances = list(model._base_manager.order_by("pk"))
            for instance in instances:
                for field in instance._meta.concrete_fields:
                    value = getattr(instance, field.attname)
                    if isinstance(value, date) and not isinstance(value, datetime):
                        return result  # a date would have to move with the clock: don't keep
            rows.append((model, instances))
        files = {}
        for _model, instances in rows:
            for instance in instances:
                for field in instance._meta.concrete_fields:
                    if isinstance(field, models.FileField):
                        name = getattr(instance, field.attname).name
                        if name:
                            with default_storage.open(name, "rb") as stored:
                                files[name] = stored.read()
        self._recorded = _Recorded(
            database=database,
            built_at=built_at,
            result=copy.deepcopy(result),
            rows=rows,
            files=files,
        )
        return result

    def _replay(self, recorded: _Recorded[T]) -> T:
        delta = timezone.now() - recorded.built_at
        for model, instances in recorded.rows:
            fresh = [copy.copy(instance) for instance in instances]
            for instance in fresh:
                instance._state = copy.copy(instance._state)
                instance._state.fields_cache = {}
                _shift_instance(instance, delta)
            model._base_manager.bulk_create(fresh)
        for name, content in recorded.files.items():
            if not default_storage.exists(name):
                from django.core.files.base import ContentFile

                default_storage.save(name, ContentFile(content))
        result = copy.deepcopy(recorded.result)
        _shift_objects(result, delta, set())
        return result
