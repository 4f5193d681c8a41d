"""Booking, rescheduling, cancelling, check-in, no-show and progress through the services: the
rules hold on the server, whatever the form does."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction

from clinic.roles import Role
from scheduling.models import Appointment, Kind
from scheduling.rules import AppointmentClash, OutsideClinicHours, Status, TransitionNotAllowed
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_mark_no_show,
    appointment_progress,
    appointment_reschedule,
)
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def book(*, patient, dermatologist, start, end, by, room=None, kind=Kind.CROSS, **extra):
    return appointment_book(
        patient=patient,
        dermatologist=dermatologist,
        room=room,
        starts_at=at(TUESDAY, start),
        ends_at=at(TUESDAY, end),
        kind=kind,
        by=by,
        **extra,
    )


def book_a_new_patient_at_ten(dermatologist, by):
    return book(
        patient=PatientFactory(), dermatologist=dermatologist, start="10:00", end="10:30", by=by
    )


@pytest.fixture
def booked(okafor, smith, front_desk, room):
    """Dr Okafor with Jane Smith, Tuesday 10:00-10:30 in Room 1, CROSS."""
    return book(
        patient=smith, dermatologist=okafor, room=room, start="10:00", end="10:30", by=front_desk
    )


def test_booking_records_who_booked_it_and_when(booked, front_desk):
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    assert booked.booked_by == front_desk
    assert booked.booked_at == at(MONDAY, "08:00")
    assert booked.history.get().history_user == front_desk


@pytest.mark.parametrize(
    ("start", "end"),
    [("10:30", "11:00"), ("09:30", "10:00"), ("08:00", "10:00"), ("10:30", "17:00")],
)
def test_touching_appointments_are_allowed(booked, okafor, front_desk, start, end):
    appointment = book(
        patient=PatientFactory(), dermatologist=okafor, start=start, end=end, by=front_desk
    )
    assert appointment.pk


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("10:00", "10:30"),  # the same slot
        ("10:15", "10:45"),  # starts inside
        ("09:45", "10:15"),  # ends inside
        ("10:10", "10:20"),  # inside
        ("09:00", "12:00"),  # around
        ("10:29", "11:00"),  # one minute shared
    ],
)
def test_overlapping_the_dermatologist_is_refused_with_a_message_naming_the_clash(
    booked, okafor, front_desk, start, end
):
    with pytest.raises(AppointmentClash) as refused:
        book(patient=PatientFactory(), dermatologist=okafor, start=start, end=end, by=front_desk)

    assert str(refused.value) == (
        "Dr Amara Okafor is already booked 10:00-10:30 with J. Smith (CROSS)."
    )
    assert Appointment.objects.count() == 1


def test_the_clash_message_never_carries_notes(okafor, smith, front_desk):
    book(
        patient=smith,
        dermatologist=okafor,
        start="10:00",
        end="10:30",
        by=front_desk,
        front_desk_note="Anxious about needles; bring partner",
    )
    with pytest.raises(AppointmentClash) as refused:
        book_a_new_patient_at_ten(okafor, front_desk)
    assert "needles" not in str(refused.value)
    assert "Jane" not in str(refused.value)  # initial and surname only


def test_the_same_room_cannot_hold_two_visits(booked, mensah, room, front_desk):
    with pytest.raises(AppointmentClash, match=r"^Room 1 is already booked 10:00-10:30 "):
        book(
            patient=PatientFactory(),
            dermatologist=mensah,
            room=room,
            start="10:15",
            end="10:45",
            by=front_desk,
        )


def test_the_same_patient_cannot_be_in_two_places(booked, mensah, smith, other_room, front_desk):
    with pytest.raises(AppointmentClash) as refused:
        book(
            patient=smith,
            dermatologist=mensah,
            room=other_room,
            start="10:00",
            end="10:30",
            by=front_desk,
        )
    assert str(refused.value) == (
        "J. Smith already has an appointment 10:00-10:30 with Dr Amara Okafor (CROSS)."
    )


def test_other_dermatologists_and_rooms_may_work_at_the_same_time(
    booked, mensah, other_room, front_desk
):
    assert book(
        patient=PatientFactory(),
        dermatologist=mensah,
        room=other_room,
        start="10:00",
        end="10:30",
        by=front_desk,
    ).pk
    # Visits without a room do not clash with each other on the room.
    assert book(
        patient=PatientFactory(),
        dermatologist=UserFactory(role=Role.DERMATOLOGIST),
        start="10:00",
        end="10:30",
        by=front_desk,
    ).pk


@pytest.mark.parametrize("freed_by", ["cancelled", "no_show"])
def test_a_cancelled_or_missed_slot_can_be_booked_again(okafor, front_desk, freed_by):
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30"),
        status=freed_by,
    )  # fmt: skip
    again = book(
        patient=PatientFactory(), dermatologist=okafor, start="10:00", end="10:30", by=front_desk
    )
    assert again.status == Status.BOOKED


def test_cancelling_frees_the_slot(booked, okafor, front_desk):
    appointment_cancel(appointment=booked, reason="Patient phoned", by=front_desk)
    assert book(
        patient=PatientFactory(), dermatologist=okafor, start="10:00", end="10:30", by=front_desk
    ).pk


def test_the_same_instant_written_in_another_utc_offset_still_clashes(booked, okafor, front_desk):
    # 10:00 in London in June is 09:00 UTC, 05:00 in New York and 14:30 in India.
    for start in (
        dt.datetime(2026, 6, 9, 5, 0, tzinfo=ZoneInfo("America/New_York")),
        dt.datetime(2026, 6, 9, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.datetime(2026, 6, 9, 9, 0, tzinfo=dt.UTC),
    ):
        with pytest.raises(AppointmentClash, match="Dr Amara Okafor is already booked 10:00-10:30"):
            appointment_book(
                patient=PatientFactory(),
                dermatologist=okafor,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=30),
                kind=Kind.LASER,
                by=front_desk,
            )
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("start", "end"), [("10:30", "10:00"), ("10:00", "10:00")])
def test_an_appointment_must_end_after_it_starts(okafor, smith, front_desk, start, end):
    with pytest.raises(ValidationError, match="must end after it starts"):
        book(patient=smith, dermatologist=okafor, start=start, end=end, by=front_desk)


@pytest.mark.parametrize(("start", "end"), [("07:30", "08:15"), ("17:45", "18:30")])
def test_booking_outside_clinic_hours_warns_and_books_once_confirmed(
    okafor, smith, front_desk, start, end
):
    with pytest.raises(OutsideClinicHours, match="outside clinic hours \\(08:00-18:00\\)"):
        book(patient=smith, dermatologist=okafor, start=start, end=end, by=front_desk)
    assert not Appointment.objects.exists()

    book(
        patient=smith,
        dermatologist=okafor,
        start=start,
        end=end,
        by=front_desk,
        allow_outside_hours=True,
    )
    assert Appointment.objects.count() == 1


def test_clinic_hours_come_from_settings(settings, okafor, smith, front_desk):
    settings.CLINIC_OPENS = "07:00"
    assert book(patient=smith, dermatologist=okafor, start="07:30", end="08:00", by=front_desk).pk


def test_a_day_that_has_passed_cannot_be_booked_but_earlier_today_can(okafor, smith, front_desk):
    yesterday = MONDAY - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="That day has passed"):
        appointment_book(
            patient=smith,
            dermatologist=okafor,
            starts_at=at(yesterday, "10:00"),
            ends_at=at(yesterday, "10:30"),
            kind=Kind.CROSS,
            by=front_desk,
            allow_outside_hours=True,
        )
    # A walk-in recorded after the fact, earlier today (it is 08:00 now).
    with time_machine.travel(at(MONDAY, "11:00"), tick=False):
        assert appointment_book(
            patient=smith,
            dermatologist=okafor,
            starts_at=at(MONDAY, "09:00"),
            ends_at=at(MONDAY, "09:30"),
            kind=Kind.CONSULTATION,
            by=front_desk,
        ).pk


def test_archived_patients_inactive_rooms_and_non_dermatologists_cannot_be_booked(
    okafor, smith, front_desk, clinic_admin
):
    smith.archive(by=clinic_admin, reason="Duplicate registration")
    closed = RoomFactory(name="Old room", active=False)
    with pytest.raises(ValidationError) as refused:
        book(
            patient=smith,
            dermatologist=front_desk,
            room=closed,
            start="10:00",
            end="10:30",
            by=front_desk,
        )
    assert set(refused.value.message_dict) == {"patient", "dermatologist", "room"}


# --- reschedule ---------------------------------------------------------------------------------


def test_rescheduling_into_a_clash_is_refused_and_changes_nothing(booked, okafor, front_desk):
    other = book(
        patient=PatientFactory(), dermatologist=okafor, start="11:00", end="11:30", by=front_desk
    )
    with pytest.raises(AppointmentClash, match=r"already booked 10:00-10:30 with J\. Smith"):
        appointment_reschedule(
            appointment=other,
            starts_at=at(TUESDAY, "10:15"),
            ends_at=at(TUESDAY, "10:45"),
            dermatologist=okafor,
            room=None,
            by=front_desk,
        )
    other.refresh_from_db()
    assert other.starts_at == at(TUESDAY, "11:00")


def test_rescheduling_may_overlap_the_appointments_own_old_time(booked, okafor, room, front_desk):
    moved = appointment_reschedule(
        appointment=booked,
        starts_at=at(TUESDAY, "10:15"),
        ends_at=at(TUESDAY, "10:45"),
        dermatologist=okafor,
        room=room,
        by=front_desk,
    )
    moved.refresh_from_db()
    assert (moved.starts_at, moved.ends_at) == (at(TUESDAY, "10:15"), at(TUESDAY, "10:45"))
    assert moved.history.count() == 2


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show", "in_treatment"])
def test_closed_or_started_visits_cannot_be_moved(okafor, front_desk, status):
    appointment = AppointmentFactory(
        dermatologist=okafor, status=status, starts_at=at(TUESDAY, "10:00"),
        ends_at=at(TUESDAY, "10:30"),
    )  # fmt: skip
    with pytest.raises(TransitionNotAllowed, match="cannot be moved"):
        appointment_reschedule(
            appointment=appointment,
            starts_at=at(TUESDAY, "11:00"),
            ends_at=at(TUESDAY, "11:30"),
            dermatologist=okafor,
            room=None,
            by=front_desk,
        )


# --- cancel, check in, no-show, progress ---------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_asks_a_reason(booked, front_desk, reason):
    with pytest.raises(ValidationError, match="Give a reason"):
        appointment_cancel(appointment=booked, reason=reason, by=front_desk)
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_cancelling_keeps_the_reason_and_the_history(booked, front_desk):
    appointment_cancel(appointment=booked, reason="Patient phoned: unwell", by=front_desk)
    booked.refresh_from_db()
    assert (booked.status, booked.cancellation_reason) == ("cancelled", "Patient phoned: unwell")
    assert [h.status for h in booked.history.order_by("history_date")] == ["booked", "cancelled"]


def test_a_completed_visit_cannot_be_cancelled(okafor, front_desk):
    done = AppointmentFactory(dermatologist=okafor, status="completed")
    with pytest.raises(TransitionNotAllowed, match="A completed appointment cannot be marked"):
        appointment_cancel(appointment=done, reason="Mistake", by=front_desk)


def test_check_in_happens_on_the_day_and_only_once(booked, front_desk):
    with pytest.raises(TransitionNotAllowed, match="Check-in opens on the day"):
        appointment_check_in(appointment=booked, by=front_desk)

    with time_machine.travel(at(TUESDAY, "09:50"), tick=False):
        appointment_check_in(appointment=booked, by=front_desk)
        booked.refresh_from_db()
        assert booked.status == Status.CHECKED_IN
        assert booked.checked_in_at == at(TUESDAY, "09:50")
        with pytest.raises(TransitionNotAllowed):
            appointment_check_in(appointment=booked, by=front_desk)


def test_no_show_only_once_the_start_time_has_passed(booked, front_desk):
    with pytest.raises(TransitionNotAllowed, match="only after the start time"):
        appointment_mark_no_show(appointment=booked, by=front_desk)
    with time_machine.travel(at(TUESDAY, "10:20"), tick=False):
        appointment_mark_no_show(appointment=booked, by=front_desk)
    booked.refresh_from_db()
    assert booked.status == Status.NO_SHOW


def test_the_visit_moves_forward_to_completed(booked, okafor, front_desk):
    with time_machine.travel(at(TUESDAY, "09:55"), tick=False):
        appointment_check_in(appointment=booked, by=front_desk)
    appointment_progress(appointment=booked, to="in_treatment", by=okafor)
    with pytest.raises(TransitionNotAllowed):
        appointment_progress(appointment=booked, to="in_treatment", by=okafor)
    appointment_progress(appointment=booked, to="completed", by=okafor)
    booked.refresh_from_db()
    assert booked.status == Status.COMPLETED
    with pytest.raises(TransitionNotAllowed):
        appointment_cancel(appointment=booked, reason="Too late", by=front_desk)


@pytest.mark.parametrize("target", ["cancelled", "no_show", "checked_in", "booked"])
def test_progress_sets_only_treatment_statuses(booked, okafor, target):
    with pytest.raises(TransitionNotAllowed):
        appointment_progress(appointment=booked, to=target, by=okafor)


# --- database constraints, whatever the code does ----------------------------------------------


def test_the_database_refuses_an_end_before_the_start(okafor):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            dermatologist=okafor, starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "09:00")
        )


def test_the_database_refuses_a_cancellation_without_a_reason(okafor):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(dermatologist=okafor, status="cancelled", cancellation_reason="")


def test_a_booking_aborted_as_a_deadlock_is_refused_as_a_lost_race(okafor, front_desk, monkeypatch):
    """Simultaneous bookings wait on each other in the exclusion constraints; PostgreSQL may
    abort one as a deadlock (40P01). The user gets the clash message, not an error page."""

    class Deadlock(Exception):
        sqlstate = "40P01"

    def deadlocked_save(self, *args, **kwargs):
        raise OperationalError("deadlock detected") from Deadlock()

    monkeypatch.setattr(Appointment, "save", deadlocked_save)
    with pytest.raises(AppointmentClash, match="booked by someone else"):
        book_a_new_patient_at_ten(okafor, front_desk)


def test_another_database_failure_is_not_passed_off_as_a_clash(okafor, front_desk, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(Appointment, "save", failing_save)
    with pytest.raises(OperationalError):
        book_a_new_patient_at_ten(okafor, front_desk)
