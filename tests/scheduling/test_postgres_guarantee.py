"""The no-overlap rule under concurrent requests, on PostgreSQL.

A check-then-insert in application code lets simultaneous bookings of one slot all through: each
request checks before any has inserted. The exclusion constraints of migration 0002 admit exactly
one; the others fail with SQLSTATE 23P01, which the booking service turns into the clash message.
SQLite has no such constraint and needs none: it lets one writer in at a time.
"""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from clinic.roles import Role
from scheduling import services
from scheduling.models import Appointment, Kind
from scheduling.rules import AppointmentClash
from scheduling.services import appointment_book
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="exclusion constraints exist only on PostgreSQL; SQLite serialises writers instead",
)

TUESDAY = MONDAY + dt.timedelta(days=1)
THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_bookings_of_one_slot_let_exactly_one_through(okafor, front_desk):
    patients = PatientFactory.create_batch(THREADS, last_name="Smith")
    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def attempt(patient) -> None:
        try:
            barrier.wait(timeout=10)  # all eight go at once
            appointment_book(
                patient=patient,
                dermatologist=okafor,
                starts_at=at(TUESDAY, "10:00"),
                ends_at=at(TUESDAY, "10:30"),
                kind=Kind.CROSS,
                by=front_desk,
            )
            outcome = ("booked", "")
        except AppointmentClash as clash:
            # Refused by the database: the exclusion constraint (23P01), or a deadlock (40P01)
            # PostgreSQL broke among bookings waiting on each other's rows.
            database = isinstance(clash.__cause__, IntegrityError | OperationalError)
            caught_by = "database" if database else "check"
            outcome = (caught_by, str(clash))
        except Exception as exc:
            outcome = ("error", repr(exc))
        finally:
            connection.close()  # each thread has its own connection
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    kinds = [kind for kind, _ in outcomes]
    print(
        f"\n{THREADS} simultaneous bookings: {kinds.count('booked')} booked, "
        f"{kinds.count('database')} refused by the exclusion constraint (23P01), "
        f"{kinds.count('check')} by the service's check"
    )
    assert len(outcomes) == THREADS
    assert kinds.count("booked") == 1, outcomes
    assert kinds.count("database") + kinds.count("check") == THREADS - 1, outcomes
    assert all(
        message.startswith("Dr Amara Okafor is already booked 10:00-10:30 with ")
        and message.endswith(" Smith (CROSS).")
        for kind, message in outcomes
        if kind != "booked"
    ), outcomes
    assert Appointment.objects.count() == 1


def insert(**fields) -> None:
    with transaction.atomic():
        AppointmentFactory(**fields)


@pytest.fixture
def ten_oclock(okafor, smith, room):
    return AppointmentFactory(
        dermatologist=okafor, patient=smith, room=room,
        starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30"),
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shared", "constraint"),
    [
        ("dermatologist", "appointment_no_overlap_dermatologist"),
        ("room", "appointment_no_overlap_room"),
        ("patient", "appointment_no_overlap_patient"),
    ],
)
def test_the_database_itself_refuses_an_overlap(ten_oclock, shared, constraint):
    fields = {
        "dermatologist": UserFactory(role=Role.DERMATOLOGIST),
        "room": RoomFactory(name="Room 7"),
        "patient": PatientFactory(),
        shared: getattr(ten_oclock, shared),
    }
    with pytest.raises(IntegrityError) as refused:
        insert(starts_at=at(TUESDAY, "10:15"), ends_at=at(TUESDAY, "10:45"), **fields)
    assert refused.value.__cause__.sqlstate == "23P01"
    assert refused.value.__cause__.diag.constraint_name == constraint


@pytest.mark.django_db
def test_the_database_allows_touching_and_freed_slots(ten_oclock, okafor, room, smith):
    same = {"dermatologist": okafor, "room": room, "patient": smith}
    insert(starts_at=at(TUESDAY, "10:30"), ends_at=at(TUESDAY, "11:00"), **same)
    insert(starts_at=at(TUESDAY, "09:30"), ends_at=at(TUESDAY, "10:00"), **same)
    for status in ("cancelled", "no_show"):
        insert(starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30"), status=status, **same)
    # Visits without a room never clash on the room.
    for _ in range(2):
        insert(
            starts_at=at(TUESDAY, "12:00"),
            ends_at=at(TUESDAY, "12:30"),
            room=None,
            dermatologist=UserFactory(role=Role.DERMATOLOGIST),
        )
    assert Appointment.objects.count() == 7


@pytest.mark.django_db
def test_reviving_a_cancelled_visit_into_a_taken_slot_is_refused(ten_oclock, okafor):
    cancelled = AppointmentFactory(
        dermatologist=okafor, status="cancelled",
        starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30"),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=cancelled.pk).update(status="booked")


@pytest.mark.django_db
def test_a_lost_race_is_reported_as_the_clash_message(monkeypatch, ten_oclock, okafor, front_desk):
    # The service's own check runs before another request's insert is visible to it: simulate
    # that by letting the first check see nothing. The constraint then has the last word.
    real = services.find_clashes
    calls = []

    def blind_first_time(**kwargs):
        calls.append(kwargs)
        return [] if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "find_clashes", blind_first_time)
    with pytest.raises(AppointmentClash) as refused:
        appointment_book(
            patient=PatientFactory(),
            dermatologist=okafor,
            starts_at=at(TUESDAY, "10:15"),
            ends_at=at(TUESDAY, "10:45"),
            kind=Kind.LASER,
            by=front_desk,
        )
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert str(refused.value) == (
        "Dr Amara Okafor is already booked 10:00-10:30 with J. Smith (CROSS)."
    )
    assert Appointment.objects.count() == 1
