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
    start, _ = clock.day_bounds(MONDAY)
    week = Appointment.objects.filter(dermatologist=okafor).between(
        start, start + dt.timedelta(days=7)
    )
    assert "appointment_derm_starts_idx" in plan(week)
