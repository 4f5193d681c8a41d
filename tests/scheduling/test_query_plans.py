"""On PostgreSQL the calendar's range queries use their indexes: with sequential scans switched
off, the plan names the index on the start time."""

import datetime as dt

import pytest
from django.db import connection

from scheduling import clock
from scheduling.models import Appointment
from tests.scheduling.conftest import MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's transaction only
    return queryset.explain()


def test_a_days_appointments_are_read_through_the_start_time_index():
    assert "appointment_starts_idx" in plan(Appointment.objects.on_day(MONDAY).for_grid())


def test_a_dermatologists_week_uses_their_start_time_index(okafor):
    # On a test-sized table the planner finds the clinic-wide start-time index and the foreign
    # key's index as cheap as the dermatologist's own and picks any of them (on the 100,000
    # patient data set it picks this one). Dropped inside this test's transaction, so rolled
    # back, they leave the question the test asks: does this index fit the query?
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = 'scheduling_appointment'::regclass "
            "AND i.relname <> 'appointment_derm_starts_idx' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
    start, _ = clock.day_bounds(MONDAY)
    week = Appointment.objects.filter(dermatologist=okafor).between(
        start, start + dt.timedelta(days=7)
    )
    assert "appointment_derm_starts_idx" in plan(week)
