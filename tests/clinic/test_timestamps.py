"""Timestamps read by psycopg's C loader (clinic/timestamps.py) are what Django's loader gives:
the same instants, stamped with datetime.timezone.utc; and where Django's time zone is not UTC,
Django's own loader is used."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings

from clinic import timestamps
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

# Edges of what a clinic stores: microseconds, the clocks going forward and back in the
# clinic's zone, leap day, the first and last years a date field allows, a far-off offset.
LITERALS = [
    "2026-03-29 01:30:00.123456+00",
    "2026-10-25 00:59:59.999999+00",
    "2026-10-25 01:00:00+00",
    "2024-02-29 23:59:59+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2026-06-01 08:15:00+13:45",
    "2026-06-01 08:15:00-09:30",
]


def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite stores timestamps as text, read by Django")


def _read(literals: list[str]) -> list[dt.datetime]:
    columns = ", ".join("%s::timestamptz" for _ in literals)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", literals)
        return list(cursor.fetchone())


def _read_with_djangos_loader(literals: list[str]) -> list[dt.datetime]:
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    columns = ", ".join("%s::timestamptz" for _ in literals)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor)
        cursor.execute(f"SELECT {columns}", literals)
        return list(cursor.fetchone())


def test_a_new_postgresql_connection_reads_timestamps_with_the_c_loader():
    postgres_only()
    connection.ensure_connection()
    import psycopg
    from psycopg.pq import Format

    oid = psycopg.adapters.types["timestamptz"].oid
    loader = connection.connection.adapters.get_loader(oid, Format.TEXT)
    assert loader is timestamps.utc_loader()
    assert loader.timezone is dt.UTC  # what Django's cursors compare with their own zone


def test_the_c_loader_gives_what_djangos_loader_gives():
    postgres_only()
    ours, djangos = _read(LITERALS), _read_with_djangos_loader(LITERALS)
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [dt.UTC] * len(LITERALS)
    assert [value.tzinfo for value in djangos] == [dt.UTC] * len(LITERALS)
    assert ours[0] == dt.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=dt.UTC)
    assert ours[-1] == dt.datetime(2026, 6, 1, 17, 45, tzinfo=dt.UTC)


def test_a_model_reads_back_the_instant_it_saved():
    postgres_only()
    patient = PatientFactory()
    saved = dt.datetime(2026, 10, 25, 1, 30, 0, 654321, tzinfo=dt.UTC)
    Patient.objects.filter(pk=patient.pk).update(created_at=saved)
    read = Patient.objects.get(pk=patient.pk).created_at
    assert read == saved
    assert read.tzinfo is dt.UTC


def test_without_time_zones_django_puts_its_own_loader_back():
    postgres_only()
    with override_settings(USE_TZ=False):
        (naive,) = _read(["2026-06-01 08:15:00+00"])
        (djangos,) = _read_with_djangos_loader(["2026-06-01 08:15:00+00"])
    assert naive.tzinfo is None
    assert naive == djangos


def test_other_databases_and_zones_are_left_alone():
    registered = []
    adapters = SimpleNamespace(register_loader=lambda *args: registered.append(args))
    raw = SimpleNamespace(
        adapters=adapters, info=SimpleNamespace(parameter_status=lambda name: "UTC")
    )
    timestamps.install(None, SimpleNamespace(vendor="sqlite", timezone=dt.UTC, connection=raw))
    timestamps.install(None, SimpleNamespace(vendor="postgresql", timezone=None, connection=raw))
    away = SimpleNamespace(
        adapters=adapters, info=SimpleNamespace(parameter_status=lambda name: "Europe/London")
    )
    timestamps.install(None, SimpleNamespace(vendor="postgresql", timezone=dt.UTC, connection=away))
    assert registered == []
    timestamps.install(None, SimpleNamespace(vendor="postgresql", timezone=dt.UTC, connection=raw))
    assert registered == [("timestamptz", timestamps.utc_loader())]
