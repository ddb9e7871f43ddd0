"""Facts: what the apps need to know about one client for a page, read in one query.

Today asks every app a small question (is there a safety plan yet? which readings are
unread? is today checked in?). Asked one by one, that is a query or two per app, and
the page grows slower with every app. Instead each app registers, from
``AppConfig.ready()``, named *facts*: a function that gets the client's enrollment and
the moment, and returns a SQL expression on the enrollment's row, with
``OuterRef("pk")`` for the enrollment and ``OuterRef("client_id")`` for the client:

- an ``Exists`` or a one-value ``Subquery`` (the fact is that value), or
- ``Rows(queryset, fields)``: the matching rows as model instances holding those
  fields, carried back as one JSON array (the other fields are left deferred; reading
  one would cost a query, so ask for what the page reads).

The first function that asks for a fact reads every registered fact of that
enrollment, in one query, and keeps them on the request; the rest are free. So Today
costs the same number of queries whatever the number of apps and whatever the history.

Facts are data, not decisions: the function that reads one still checks access
(``access.policy.can``) before it shows anything, as panels and next steps do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.db.models import F, Subquery, TextField
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import BaseExpression, Combinable
    from django.db.models.sql.compiler import SQLCompiler
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


@dataclass(frozen=True)
class Rows:
    """Rows of ``queryset`` (correlated with the enrollment by ``OuterRef``), as instances.

    ``fields`` are the model's fields to carry (by name or attname, e.g.
    ``"assignment_id"``); ``extra`` are more values by expression, set as attributes
    of that name on each instance, as JSON gives them (e.g.
    ``{"asked_by_name": F("asked_by__name")}``). ``limit`` keeps the first rows in the
    queryset's order; the order of the list itself is not kept, so sort it in Python.
    """

    queryset: models.QuerySet[Any]
    fields: Sequence[str]
    extra: Mapping[str, Combinable] = field(default_factory=dict)
    limit: int | None = None

    def expression(self) -> BaseExpression:
        row = {name: F(name) for name in self.fields} | dict(self.extra)
        queryset = self.queryset.annotate(_row=JSONObject(**row)).values("_row")
        # Without a limit the order is of no use (the array does not keep it).
        queryset = queryset[: self.limit] if self.limit is not None else queryset.order_by()
        return _JSONArray(queryset)

    def parse(self, raw: str | None) -> list[Any]:
        model = self.queryset.model
        chosen = [model._meta.get_field(name) for name in self.fields]
        by_attname = {f.attname: (name, f) for name, f in zip(self.fields, chosen, strict=True)}
        instances = []
        for row in json.loads(raw or "[]"):
            values = []
            names = []
            for f in model._meta.concrete_fields:
                if f.attname in by_attname:
                    name, _field = by_attname[f.attname]
                    names.append(f.attname)
                    values.append(_python(_field, row.get(name)))
            instance = model.from_db(connection.alias, names, values)
            for name in self.extra:
                setattr(instance, name, row.get(name))
            instances.append(instance)
        return instances


class _JSONArray(Subquery):
    """``(SELECT <a JSON array of the subquery's one column> FROM (<subquery>))``, as text."""

    TEMPLATES = {
        "postgresql": "(SELECT COALESCE(json_agg(_r._row), '[]')::text FROM (%(subquery)s) AS _r)",
        "sqlite": (
            "(SELECT COALESCE(json_group_array(json(_r._row)), '[]') FROM (%(subquery)s) AS _r)"
        ),
    }

    def __init__(self, queryset: models.QuerySet[Any]) -> None:
        super().__init__(queryset, output_field=TextField())

    def as_sql(  # type: ignore[override]
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        template: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Sequence[Any]]:
        template = self.TEMPLATES[connection.vendor]
        return super().as_sql(compiler, connection, template, **extra_context)


def _python(model_field: Any, value: Any) -> Any:
    """A JSON value of a column as the field's Python value, as if read by the ORM."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None and timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
        return moment
    if isinstance(model_field, models.DateField):
        return parse_date(value)
    if isinstance(model_field, models.BooleanField):
        return bool(value)
    if isinstance(model_field, models.JSONField):
        return json.loads(value) if isinstance(value, str) else value
    if hasattr(model_field, "from_db_value"):
        return model_field.from_db_value(value, None, connection)
    return model_field.to_python(value)


FactFunction = Callable[["Enrollment", datetime], "BaseExpression | Rows"]

_facts: dict[str, FactFunction] = {}


def register(key: str, fact: FactFunction) -> FactFunction:
    """Add (or, with the same key, replace) a fact, e.g. ``"safety.has_plan"``."""
    _facts[key] = fact
    return fact


def unregister(key: str) -> None:
    _facts.pop(key, None)


@dataclass(frozen=True)
class Facts:
    """Every registered fact of one enrollment, read at ``now``."""

    now: datetime
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


_CACHE = "_waypost_facts"


def read(enrollment: Enrollment, now: datetime | None = None) -> Facts:
    """Every registered fact of ``enrollment``, in one query."""
    now = now or timezone.now()
    built = {key: fact(enrollment, now) for key, fact in _facts.items()}
    aliases = {f"fact_{n}": key for n, key in enumerate(built)}
    if not aliases:
        return Facts(now, {})
    expressions: dict[str, BaseExpression] = {}
    for alias, key in aliases.items():
        fact = built[key]
        expressions[alias] = fact.expression() if isinstance(fact, Rows) else fact
    row = (
        type(enrollment)
        ._default_manager.filter(pk=enrollment.pk)
        .annotate(**expressions)
        .values(*aliases)
        .get()
    )
    values = {}
    for alias, key in aliases.items():
        fact = built[key]
        values[key] = fact.parse(row[alias]) if isinstance(fact, Rows) else row[alias]
    return Facts(now, values)


def facts_for(request: HttpRequest, enrollment: Enrollment) -> Facts:
    """``read``, once per request and enrollment: the first caller pays the one query."""
    cache: dict[int, Facts] = getattr(request, _CACHE, None) or {}
    if enrollment.pk not in cache:
        cache[enrollment.pk] = read(enrollment)
        setattr(request, _CACHE, cache)
    return cache[enrollment.pk]
