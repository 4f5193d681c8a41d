"""Row queries compiled to SQL once per process.

Django compiles a queryset to SQL each time it runs it: for the chart's assessments (sixty
columns, a subquery) that took about a millisecond, as long as the database took to answer. A
`CompiledRows` builds its `values_list` query once per database and time zone, with a stand-in
for each parameter (a patient's primary key, the start of a day), and then runs that SQL with the
real values. The text is the same on every run, so PostgreSQL keeps the statement prepared too.

Parameters are integers, or date-times compared with a DateTimeField: each reaches the SQL as the
database adapts it (a date-time becomes UTC text on SQLite), so the real value is adapted the
same way. Values come back as the queryset itself gives them (its converters are applied).
`CompiledInstances` does the same for a model's rows and makes them instances (Model.from_db),
for code that needs the model's methods.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.utils import timezone

# Stand-ins, by type: negative numbers no primary key takes, and instants in 1901; values no
# query of ours holds as a constant.
_STAND_INS: dict[type, tuple[Any, ...]] = {
    int: (-918273645, -918273646, -918273647),
    dt.datetime: tuple(dt.datetime(1901, 2, 3, 4, 5, 6, n, tzinfo=dt.UTC) for n in (7, 8, 9)),
}

Row = tuple[Any, ...]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, which argument)
    converters: dict[int, tuple[list[Any], Any]]  # by column, as SQLCompiler.get_converters
    columns: int  # columns to keep of each row (an ORDER BY may add some)


class CompiledRows:
    """`build(*arguments)` returns a values_list queryset; calling this with arguments of
    `types` (integers, or aware date-times) returns its rows as a list, the SQL compiled once per
    database alias and time zone."""

    def __init__(
        self, build: Callable[..., "QuerySet[Any, Row]"], types: tuple[type, ...] = (int,)
    ):
        if not types or any(types.count(kind) > len(_STAND_INS.get(kind, ())) for kind in types):
            raise ValueError("between one and three arguments of each type: int, datetime")
        self._build = build
        self._types = types
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, *values: Any, using: str = "default") -> list[Row]:
        if len(values) != len(self._types):
            raise TypeError(f"{len(self._types)} argument(s) expected, {len(values)} given")
        # SQL that works in local time (a date truncated, say) names the zone it was built in.
        key = (using, timezone.get_current_timezone_name())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        connection = connections[using]
        params = list(compiled.params)
        for position, which in compiled.slots:
            params[position] = _adapted(values[which], self._types[which], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Row] = cursor.fetchall()
        if compiled.columns:
            rows = [row[: compiled.columns] for row in rows]
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return rows

    def _compile(self, using: str) -> _Compiled:
        stand_ins = [
            _STAND_INS[kind][self._types[:n].count(kind)] for n, kind in enumerate(self._types)
        ]
        compiler = self._build(*stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        adapted = [
            _adapted(value, kind, compiler.connection)
            for value, kind in zip(stand_ins, self._types, strict=True)
        ]
        slots = tuple(
            (position, which)
            for position, value in enumerate(params)
            for which, stand_in in enumerate(adapted)
            if type(value) is type(stand_in) and value == stand_in
        )
        if {which for _, which in slots} != set(range(len(self._types))):
            raise ImproperlyConfigured(
                "Each argument of a compiled query must reach its SQL as a parameter."
            )
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=compiler.get_converters(fields),
            columns=compiler.col_count if compiler.has_extra_select else 0,
        )


class CompiledInstances(Generic[M]):
    """`build(*arguments)` returns a queryset of `model`; calling this returns its rows as model
    instances, every concrete field read (as Model.from_db expects) and each of `annotations`
    set as an attribute, the SQL compiled once as by CompiledRows."""

    def __init__(
        self,
        model: type[M],
        build: Callable[..., "QuerySet[M]"],
        types: tuple[type, ...] = (int,),
        annotations: tuple[str, ...] = (),
    ):
        self._model = model
        self._fields = [field.attname for field in model._meta.concrete_fields]
        self._annotations = annotations
        columns = [*self._fields, *annotations]
        self._rows = CompiledRows(lambda *values: build(*values).values_list(*columns), types)

    def __call__(self, *values: Any, using: str = "default") -> list[M]:
        count = len(self._fields)
        made = []
        for row in self._rows(*values, using=using):
            instance = self._model.from_db(using, self._fields, row[:count])
            for name, value in zip(self._annotations, row[count:], strict=True):
                setattr(instance, name, value)
            made.append(instance)
        return made


def _adapted(value: Any, kind: type, connection: Any) -> Any:
    """The value as Django hands it to the database for a column of its kind."""
    if kind is dt.datetime:
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise TypeError(f"an aware datetime expected, not {value!r}")
        return connection.ops.adapt_datetimefield_value(value)
    return int(value)


def _converted(row: Row, converters: dict[int, tuple[list[Any], Any]], connection: Any) -> Row:
    """What SQLCompiler.apply_converters does to a row, with this thread's connection."""
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)
