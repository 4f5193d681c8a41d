"""seed_demo's calendar: rooms and a week of appointments around today, idempotent.

Runs the users, patients and appointments steps of seed_demo (clinic/demo.py, then
scheduling/demo.py), so that this file tests only the calendar's part of the seed.
"""

import datetime as dt

import pytest

from demo import clinic as demo
from demo.scheduling import seed_appointments
from scheduling import clock
from scheduling.models import Appointment, Room
from scheduling.rules import overlaps

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        Appointment.objects.values_list("patient__mrn", "starts_at", "ends_at", "status", "room")
    )


def seed(monkeypatch) -> int:
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    demo.seed_users()
    demo.seed_patients()
    return seed_appointments()


def test_seed_demo_creates_rooms_and_a_week_of_appointments_once(monkeypatch):
    assert seed(monkeypatch) == 49  # seven days of seven visits
    first = snapshot()
    assert seed(monkeypatch) == 0
    assert snapshot() == first

    assert Room.objects.count() == 3
    today = clock.today()
    by_day: dict[dt.date, set[str]] = {}
    for appointment in Appointment.objects.all():
        by_day.setdefault(appointment.local_starts_at.date(), set()).add(appointment.status)
    assert sorted(by_day) == [today + dt.timedelta(days=n) for n in range(-3, 4)]
    for day, statuses in by_day.items():
        if day < today:
            assert statuses <= {"completed", "no_show"} and "completed" in statuses
        elif day == today:
            assert statuses == {"booked", "checked_in"}
        else:
            assert statuses == {"booked"}
    assert Appointment.objects.filter(status="no_show").exists()


def test_the_seeded_week_keeps_the_no_overlap_rule(monkeypatch):
    seed(monkeypatch)
    visits = list(Appointment.objects.active())
    for a in visits:
        for b in visits:
            if a.pk < b.pk and overlaps(a.starts_at, a.ends_at, b.starts_at, b.ends_at):
                assert a.dermatologist_id != b.dermatologist_id
                assert a.room_id != b.room_id
                assert a.patient_id != b.patient_id


def test_seed_appointments_needs_the_demo_clinic_first():
    assert seed_appointments() == 0
    assert not Appointment.objects.exists()
