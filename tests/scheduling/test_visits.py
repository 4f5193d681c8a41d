"""The calendar's plain-row visits carry the same times as the appointments they come from,
though they read them as text: in UTC, to the microsecond, and across a clock change."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q

from scheduling.models import Appointment
from scheduling.visits import calendar_visits
from tests.scheduling.conftest import LONDON
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# The night the clocks go back in 2026: 01:30 London happens twice, first in summer time.
FIRST_0130 = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (
            dt.datetime(2026, 6, 8, 9, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 6, 8, 9, 45, tzinfo=dt.UTC),
        ),
        (
            dt.datetime(2026, 6, 8, 9, 0, 5, 123456, tzinfo=dt.UTC),
            dt.datetime(2026, 6, 8, 23, 59, 59, 999999, tzinfo=dt.UTC),
        ),
        (FIRST_0130, FIRST_0130 + dt.timedelta(hours=1)),
    ],
)
def test_a_visit_has_its_appointments_instants_and_local_times(starts_at, ends_at):
    AppointmentFactory(starts_at=starts_at, ends_at=ends_at)
    (visit,) = calendar_visits(Q())
    appointment = Appointment.objects.get()

    assert (visit.starts_at, visit.ends_at) == (appointment.starts_at, appointment.ends_at)
    assert visit.starts_at.utcoffset() == dt.timedelta(0)
    assert (visit.local_starts_at, visit.local_ends_at) == (
        appointment.local_starts_at,
        appointment.local_ends_at,
    )
    assert visit.local_starts_at.tzinfo == LONDON
    assert visit.time_range == appointment.time_range


def test_the_clocks_going_back_keep_both_0130s_apart():
    AppointmentFactory(starts_at=FIRST_0130, ends_at=FIRST_0130 + dt.timedelta(minutes=30))
    second = FIRST_0130 + dt.timedelta(hours=1)
    AppointmentFactory(starts_at=second, ends_at=second + dt.timedelta(minutes=30))

    first_visit, second_visit = calendar_visits(Q())

    assert first_visit.local_starts_at.strftime("%H:%M %Z") == "01:30 BST"
    assert second_visit.local_starts_at.strftime("%H:%M %Z") == "01:30 GMT"
    assert second_visit.starts_at - first_visit.starts_at == dt.timedelta(hours=1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DateStyle setting")
def test_times_read_the_same_whatever_the_servers_date_style():
    starts_at = dt.datetime(2026, 6, 8, 9, 0, 5, 123456, tzinfo=dt.UTC)
    AppointmentFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=30))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'SQL, DMY'")
        cursor.execute("SET LOCAL TIME ZONE 'America/New_York'")
    (visit,) = calendar_visits(Q())
    assert visit.starts_at == starts_at
