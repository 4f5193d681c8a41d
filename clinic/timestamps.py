"""Timestamps read from PostgreSQL by psycopg's own C loader instead of Django's Python one.

Django registers a loader for `timestamp with time zone` that subclasses psycopg's pure-Python
loader (to stamp each value with the connection's time zone), so every timestamp a page reads
is parsed in Python: some 5 µs a value against under 1 µs for psycopg's C loader. A chart reads
hundreds of them (each session, procedure and assessment has two or three), which made it a
tenth of the progress tab's time.

On a session whose TimeZone is UTC, which is what Django sets when USE_TZ is on and the
database's TIME_ZONE is not set (the project's settings), the C loader returns exactly what
Django's does: the same instant with `datetime.timezone.utc`. The loader below hands each value
to it and carries the `timezone` attribute Django's cursors check, so that whenever Django's
time zone is not UTC (a test overriding TIME_ZONE for the database, say) Django puts its own
loader back on the cursor, as it does for any loader that disagrees.
"""

import datetime as dt
from functools import cache
from typing import Any

from django.db.backends.signals import connection_created

TIMESTAMPTZ = "timestamptz"


def _native_loader() -> type:
    """psycopg's C loader for timestamptz text (the Python class when the C build is missing):
    psycopg swaps in the C class when its own loader is registered."""
    import psycopg
    from psycopg.adapt import AdaptersMap
    from psycopg.pq import Format
    from psycopg.types.datetime import TimestamptzLoader

    adapters = AdaptersMap(psycopg.adapters)
    adapters.register_loader(TIMESTAMPTZ, TimestamptzLoader)
    return adapters.get_loader(psycopg.adapters.types[TIMESTAMPTZ].oid, Format.TEXT)


@cache
def utc_loader() -> type:
    from psycopg.adapt import Loader

    native = _native_loader()

    class UtcTimestamptzLoader(Loader):
        """Django's UTC loader's result (`timezone` is what Django compares), parsed in C."""

        timezone = dt.UTC

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # The C loader reads the session's TimeZone when it is made: UTC, see install().
            self.load = native(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> dt.datetime:  # replaced per instance in __init__
            raise NotImplementedError

    return UtcTimestamptzLoader


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On each new PostgreSQL connection whose session time zone is UTC, as Django's own is."""
    if connection.vendor != "postgresql" or connection.timezone is not dt.UTC:
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") not in (b"UTC", "UTC"):
        return
    raw.adapters.register_loader(TIMESTAMPTZ, utc_loader())


def connect() -> None:
    connection_created.connect(install, dispatch_uid="clinic.timestamps.install")
