"""The calendar's tests run in Europe/London at a frozen instant: Monday 8 June 2026, 08:00 BST.

Time is never "now plus a guess": tests that need another moment travel there explicitly.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clinic.roles import Role
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.factories import RoomFactory

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 6, 8)
NOW = dt.datetime(2026, 6, 8, 8, 0, tzinfo=LONDON)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    """An aware London time on `day`, e.g. at(MONDAY, "10:30")."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm)).replace(tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clinic_settings(settings):
    settings.TIME_ZONE = "Europe/London"
    settings.CLINIC_OPENS = "08:00"
    settings.CLINIC_CLOSES = "18:00"
    settings.CLINIC_SLOT_MINUTES = 15
    settings.CLINIC_DAYS = "mon,tue,wed,thu,fri"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def okafor(db):
    return UserFactory(
        username="amara", first_name="Amara", last_name="Okafor", role=Role.DERMATOLOGIST
    )


@pytest.fixture
def mensah(db):
    return UserFactory(
        username="kwame", first_name="Kwame", last_name="Mensah", role=Role.DERMATOLOGIST
    )


@pytest.fixture
def smith(db):
    return PatientFactory(first_name="Jane", last_name="Smith")


@pytest.fixture
def room(db):
    return RoomFactory(name="Room 1")


@pytest.fixture
def other_room(db):
    return RoomFactory(name="Room 2")
