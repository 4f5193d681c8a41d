"""Row queries compiled to SQL once per process.

Django compiles a queryset to SQL each time it runs it: for the chart's assessments (sixty
columns, a subquery) that took about a millisecond, as long as the database took to answer. A
`CompiledRows` builds its `values_list` query once per database and time zone, with a stand-in
for each integer parameter (a patient's primary key, say), and then runs that SQL with the real
values. The text is the same on every run, so PostgreSQL keeps the statement prepared too.

Only integer parameters are stood in for: Django passes them to the database as they are on
every backend, where a date or a model instance may be turned into something else first. Values
come back as the queryset itself gives them (its converters are applied).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

# Stand-ins: negative numbers no primary key takes, and that no query of ours holds as a constant.
_STAND_INS = (-918273645, -918273646, -918273647)

Row = tuple[Any, ...]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, which argument)
    converters: dict[int, tuple[list[Any], Any]]  # by column, as SQLCompiler.get_converters
    columns: int  # columns to keep of each row (an ORDER BY may add some)


class CompiledRows:
    """`build(*arguments)` returns a values_list queryset; calling this with integer arguments
    returns its rows as a list, the SQL compiled once per database alias and time zone."""

    def __init__(self, build: Callable[..., "QuerySet[Any, Row]"], arguments: int = 1):
        if not 1 <= arguments <= len(_STAND_INS):
            raise ValueError(f"between 1 and {len(_STAND_INS)} arguments")
        self._build = build
        self._arguments = arguments
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, *values: int, using: str = "default") -> list[Row]:
        if len(values) != self._arguments:
            raise TypeError(f"{self._arguments} argument(s) expected, {len(values)} given")
        # SQL that works in local time (a date truncated, say) names the zone it was built in.
        key = (using, timezone.get_current_timezone_name())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        params = list(compiled.params)
        for position, which in compiled.slots:
            params[position] = int(values[which])
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Row] = cursor.fetchall()
        if compiled.columns:
            rows = [row[: compiled.columns] for row in rows]
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return rows

    def _compile(self, using: str) -> _Compiled:
        stand_ins = _STAND_INS[: self._arguments]
        compiler = self._build(*stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple(
            (position, stand_ins.index(value))
            for position, value in enumerate(params)
            if type(value) is int and value in stand_ins
        )
        if {which for _, which in slots} != set(range(self._arguments)):
            raise ImproperlyConfigured(
                "Each argument of a compiled query must reach its SQL as an integer parameter."
            )
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=compiler.get_converters(fields),
            columns=compiler.col_count if compiler.has_extra_select else 0,
        )


def _converted(row: Row, converters: dict[int, tuple[list[Any], Any]], connection: Any) -> Row:
    """What SQLCompiler.apply_converters does to a row, with this thread's connection."""
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)
