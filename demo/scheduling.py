"""Demo rooms and a week of appointments around today, for seed_demo.

Clearly fictional (the demo patients and dermatologist from demo.clinic), deterministic (each day's
bookings come from a generator seeded with the date) and idempotent (a slot already booked for the
demo dermatologist is left alone), so running the seed twice on one day changes nothing.
"""

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from patients.models import Patient
from scheduling import clock
from scheduling.models import Appointment, Kind, Room
from scheduling.rules import Status

DEMO_ROOMS = ["Room 1 (procedures)", "Room 2 (laser)", "Room 3 (consultations)"]
DAYS_AROUND_TODAY = 3  # three days back, today, three days ahead

# (start, minutes, kind, room index): one demo dermatologist's day.
DAY_PLAN = [
    (dt.time(9, 0), 30, Kind.CONSULTATION, 2),
    (dt.time(9, 30), 30, Kind.CROSS, 0),
    (dt.time(10, 30), 45, Kind.SUBCISION, 0),
    (dt.time(11, 30), 45, Kind.LASER, 1),
    (dt.time(14, 0), 30, Kind.SCAR_ASSESSMENT, 2),
    (dt.time(15, 0), 30, Kind.PEEL, 0),
    (dt.time(16, 0), 15, Kind.FOLLOW_UP, 2),
]
CHECKED_IN_TODAY = 2  # the first visits of today have arrived


def seed_rooms() -> list[Room]:
    return [Room.objects.get_or_create(name=name)[0] for name in DEMO_ROOMS]


def _status(day: dt.date, today: dt.date, index: int, rng: random.Random) -> str:
    if day < today:
        return Status.NO_SHOW.value if rng.random() < 0.15 else Status.COMPLETED.value
    if day == today and index < CHECKED_IN_TODAY:
        return Status.CHECKED_IN.value
    return Status.BOOKED.value


def _taken(dermatologist, room, patient, starts_at, ends_at) -> bool:
    """Already seeded, or a real booking is there: either way, leave the slot alone."""
    seeded = Appointment.objects.filter(dermatologist=dermatologist, starts_at=starts_at)
    clashing = (
        Appointment.objects.active()
        .overlapping(starts_at, ends_at)
        .filter(Q(dermatologist=dermatologist) | Q(room=room) | Q(patient=patient))
    )
    return seeded.exists() or clashing.exists()


def seed_appointments() -> int:
    """Creates rooms and a week of the demo dermatologist's appointments; returns how many."""
    dermatologist = User.objects.filter(username="dermatologist").first()
    desk = User.objects.filter(username="frontdesk").first()
    patients = list(Patient.objects.active().filter(mrn__startswith="DEMO-"))
    if dermatologist is None or len(patients) < len(DAY_PLAN):
        return 0
    rooms = seed_rooms()
    today = clock.today()
    created = 0
    for offset in range(-DAYS_AROUND_TODAY, DAYS_AROUND_TODAY + 1):
        day = today + dt.timedelta(days=offset)
        rng = random.Random(day.isoformat())
        # Distinct patients within a day, so no one is booked twice at once.
        chosen = rng.sample(sorted(patients, key=lambda p: p.mrn), len(DAY_PLAN))
        for index, (start, minutes, kind, room_index) in enumerate(DAY_PLAN):
            status = _status(day, today, index, rng)
            starts_at = clock.local_datetime(day, start)
            ends_at = clock.plus(starts_at, dt.timedelta(minutes=minutes))
            if _taken(dermatologist, rooms[room_index], chosen[index], starts_at, ends_at):
                continue
            with transaction.atomic():
                Appointment.objects.create(
                    patient=chosen[index],
                    dermatologist=dermatologist,
                    room=rooms[room_index],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    kind=kind,
                    status=status,
                    booked_by=desk,
                    booked_at=clock.local_datetime(day, dt.time(8, 0)) - dt.timedelta(days=14),
                    checked_in_at=(
                        starts_at - dt.timedelta(minutes=10)
                        if status in {Status.CHECKED_IN, Status.COMPLETED}
                        else None
                    ),
                    front_desk_note="Demo booking" if index == 0 else "",
                )
            created += 1
    return created
