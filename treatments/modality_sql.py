"""A session's modalities read straight from the six procedure tables, for pages that need to
know which a session has before (or instead of) reading its procedures.

The SQL is written by hand once per process: the ORM spent longer building the six-part union
than the database took to run it. Table and column names come from the models, quoted; values
go as parameters.
"""

from collections import defaultdict
from functools import cache

from django.db import connection

from treatments.models import PROCEDURE_MODELS, TreatmentSession


def modalities_of_sessions(ids: list[int]) -> defaultdict[int, set[str]]:
    """Each session's modality values, in one UNION ALL over the procedure tables written once
    per process: the ORM spent longer building the six-part union than the database took to
    run it."""
    found: defaultdict[int, set[str]] = defaultdict(set)
    if not ids:
        return found
    marks = ", ".join(["%s"] * len(ids))
    parts, params = [], []
    for model in PROCEDURE_MODELS:
        table, column = _procedure_session_column(model)
        # Names come from the models, quoted; the values go as parameters.
        parts.append(f"SELECT {column}, %s FROM {table} WHERE {column} IN ({marks})")  # noqa: S608
        params += [model.MODALITY.value, *ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for session_id, modality in cursor.fetchall():
            found[session_id].add(modality)
    return found


@cache
def _procedure_session_column(model) -> tuple[str, str]:
    """The procedure's table and its session column, quoted (from the model, not user input)."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.get_field("session").column)


def session_modalities_sql() -> tuple[str, list[str]]:
    """A correlated subquery for a session's page query: its modality values, comma-separated
    (NULL for none). Each row probes the six procedure tables' session indexes; with the page's
    ORDER BY ... LIMIT read from an index, only the page's rows are probed."""
    session = connection.ops.quote_name(TreatmentSession._meta.db_table)
    parts = []
    for model in PROCEDURE_MODELS:
        table, column = _procedure_session_column(model)
        # Names come from the models, quoted; the values go as parameters.
        parts.append(f"SELECT %s AS m FROM {table} WHERE {column} = {session}.id")  # noqa: S608
    together = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    sql = f"SELECT {together}(m, ',') FROM ({' UNION ALL '.join(parts)}) AS modalities"  # noqa: S608
    return sql, [model.MODALITY.value for model in PROCEDURE_MODELS]
