"""Writes to the calendar that must hold a rule: validated, attributed, atomic.

No two active appointments overlap for one dermatologist, one room or one patient. The check here
runs inside the booking's transaction and gives the front desk a message naming the clash. On
PostgreSQL it is backed by exclusion constraints (migration 0002): when two requests pass the check
at the same moment, the database admits one and fails the other with SQLSTATE 23P01, which is
turned into the same message. On SQLite one writer at a time gets in, so the check holds alone.
"""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.lib.display import doctor_name
from patients.models import Patient
from scheduling import clock, rules
from scheduling.models import Appointment, AppointmentQuerySet, Room
from scheduling.rules import AppointmentClash, OutsideClinicHours, Status, TransitionNotAllowed
from scheduling.series import Busy, PlannedSlot, plan_series

EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"
BOOKABLE_PERMISSION = "scheduling.progress_own_appointment"


def describe_clash(
    existing: Appointment, *, dermatologist: User, room: Room | None, with_date: bool = False
) -> str:
    """One sentence naming what `existing` blocks. Initials and kind only: no clinical notes."""
    when = existing.time_range
    if with_date:
        when = f"on {existing.local_starts_at:%a %d %b %Y} {when}"
    who = existing.patient_short_name
    kind = existing.get_kind_display()
    doctor = doctor_name(existing.dermatologist)
    if existing.dermatologist_id == dermatologist.pk:
        return f"{doctor} is already booked {when} with {who} ({kind})."
    if room is not None and existing.room_id == room.pk:
        return f"{room.name} is already booked {when} ({doctor} with {who}, {kind})."
    return f"{who} already has an appointment {when} with {doctor} ({kind})."


def _blocking(*, dermatologist: User, room: Room | None, patient: Patient) -> AppointmentQuerySet:
    resources = Q(dermatologist=dermatologist) | Q(patient=patient)
    if room is not None:
        resources |= Q(room=room)
    return Appointment.objects.active().filter(resources).for_calendar()


def find_clashes(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    dermatologist: User,
    room: Room | None,
    patient: Patient,
    exclude_pk: int | None = None,
) -> list[Appointment]:
    clashes = _blocking(dermatologist=dermatologist, room=room, patient=patient).overlapping(
        starts_at, ends_at
    )
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    return list(clashes)


def _raise_if_clashing(appointment: Appointment) -> None:
    clashes = find_clashes(
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        dermatologist=appointment.dermatologist,
        room=appointment.room,
        patient=appointment.patient,
        exclude_pk=appointment.pk,
    )
    if clashes:
        message = " ".join(
            describe_clash(c, dermatologist=appointment.dermatologist, room=appointment.room)
            for c in clashes
        )
        raise AppointmentClash(message, clashes=tuple(clashes))


def _check_bookable(appointment: Appointment, *, allow_outside_hours: bool) -> None:
    """Everything a booking or a move must satisfy before it is written."""
    appointment.full_clean()
    errors = {}
    if appointment.patient.is_archived:
        errors["patient"] = f"{appointment.patient.full_name} is archived: restore them first."
    derm = appointment.dermatologist
    if not (derm.is_active and derm.has_perm(BOOKABLE_PERMISSION)):
        errors["dermatologist"] = f"{derm.get_username()} does not take appointments."
    if appointment.room is not None and not appointment.room.active:
        errors["room"] = f"{appointment.room.name} is not in use."
    if clock.local(appointment.starts_at).date() < clock.today():
        errors["starts_at"] = "That day has passed: appointments are booked from today on."
    if errors:
        raise ValidationError(errors)
    _raise_if_clashing(appointment)
    if not allow_outside_hours:
        start, end = clock.local(appointment.starts_at), clock.local(appointment.ends_at)
        warning = rules.outside_hours(start, end, clock.clinic_hours())
        if warning:
            raise OutsideClinicHours(warning)


# Simultaneous bookings wait on each other's rows in the several exclusion constraints
# (dermatologist, room, patient): the loser is refused by a constraint, or PostgreSQL ends the
# wait cycle by aborting one of them as a deadlock. Either way it lost the race.
LOST_RACE = frozenset({EXCLUSION_VIOLATION, DEADLOCK_DETECTED})


def lost_the_race(exc: IntegrityError | OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in LOST_RACE


def _save_holding_slot(appointment: Appointment, *, by: User) -> None:
    """Saves inside a savepoint, so a lost race leaves the transaction usable for the message."""
    # django-simple-history records this user on the history row of the save below.
    appointment._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            appointment.save()
    except (IntegrityError, OperationalError) as exc:
        if not lost_the_race(exc):
            raise
        # The winner has committed (PostgreSQL waited for it before failing us): name it.
        try:
            _raise_if_clashing(appointment)
        except AppointmentClash as clash:
            raise clash from exc
        raise AppointmentClash(
            "That time was booked by someone else a moment ago. Choose another time."
        ) from exc


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    dermatologist: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str,
    by: User,
    room: Room | None = None,
    front_desk_note: str = "",
    allow_outside_hours: bool = False,
) -> Appointment:
    appointment = Appointment(
        patient=patient,
        dermatologist=dermatologist,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        status=Status.BOOKED.value,
        front_desk_note=front_desk_note.strip(),
        booked_by=by,
        booked_at=timezone.now(),
    )
    _check_bookable(appointment, allow_outside_hours=allow_outside_hours)
    _save_holding_slot(appointment, by=by)
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    locked: Appointment = (
        Appointment.objects.select_for_update(of=("self",)).for_calendar().get(pk=appointment.pk)
    )
    return locked


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    dermatologist: User,
    room: Room | None,
    by: User,
    allow_outside_hours: bool = False,
) -> Appointment:
    """Moves a visit in time, to another dermatologist or room: the same checks as a booking."""
    appointment = _locked(appointment)
    if rules.Status(appointment.status) not in rules.RESCHEDULABLE:
        raise TransitionNotAllowed(
            f"A {appointment.get_status_display().lower()} appointment cannot be moved."
        )
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.dermatologist = dermatologist
    appointment.room = room
    _check_bookable(appointment, allow_outside_hours=allow_outside_hours)
    _save_holding_slot(appointment, by=by)
    return appointment


def _save_status(appointment: Appointment, *, by: User, fields: list[str]) -> Appointment:
    # django-simple-history records this user on the history row of the save below.
    appointment._history_user = by  # type: ignore[attr-defined]
    appointment.full_clean()
    appointment.save(update_fields=fields)
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, reason: str, by: User) -> Appointment:
    if not reason.strip():
        raise ValidationError({"cancellation_reason": "Give a reason for the cancellation."})
    appointment = _locked(appointment)
    appointment.cancel(reason=reason)
    return _save_status(appointment, by=by, fields=["status", "cancellation_reason"])


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, by: User) -> Appointment:
    appointment = _locked(appointment)
    day = appointment.local_starts_at.date()
    if refusal := rules.check_in_refusal(appointment.status, day=day, today=clock.today()):
        raise TransitionNotAllowed(refusal)
    appointment.check_in(at=timezone.now())
    return _save_status(appointment, by=by, fields=["status", "checked_in_at"])


@transaction.atomic
def appointment_mark_no_show(*, appointment: Appointment, by: User) -> Appointment:
    appointment = _locked(appointment)
    now = timezone.now()
    if refusal := rules.no_show_refusal(
        appointment.status, starts_at=appointment.starts_at, now=now
    ):
        if now < appointment.starts_at:
            refusal = refusal[:-1] + f" ({appointment.local_starts_at:%a %d %b %H:%M})."
        raise TransitionNotAllowed(refusal)
    appointment.mark_no_show()
    return _save_status(appointment, by=by, fields=["status"])


@transaction.atomic
def appointment_progress(*, appointment: Appointment, to: str, by: User) -> Appointment:
    """The dermatologist's moves: checked in -> in treatment -> completed."""
    appointment = _locked(appointment)
    appointment.progress(to=to)
    return _save_status(appointment, by=by, fields=["status"])


def series_plan(
    *,
    patient: Patient,
    dermatologist: User,
    room: Room | None,
    first_start: dt.datetime,
    duration: dt.timedelta,
    count: int,
    min_weeks: int,
    max_weeks: int,
) -> list[PlannedSlot]:
    """Proposes one slot per session; books nothing. One query for everything already taken."""
    window_start, _ = clock.day_bounds(clock.local(first_start).date())
    window_end = clock.plus(first_start, dt.timedelta(weeks=max_weeks * (count - 1), days=1))
    taken = _blocking(dermatologist=dermatologist, room=room, patient=patient).overlapping(
        window_start, window_end + duration
    )
    busy = [
        Busy(
            a.starts_at,
            a.ends_at,
            describe_clash(a, dermatologist=dermatologist, room=room, with_date=True),
        )
        for a in taken
    ]
    return plan_series(
        first_start=first_start,
        duration=duration,
        count=count,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        busy=busy,
        hours=clock.clinic_hours(),
        tz=clock.clinic_tz(),
    )


@transaction.atomic
def series_book(
    *,
    patient: Patient,
    dermatologist: User,
    room: Room | None,
    kind: str,
    slots: list[tuple[dt.datetime, dt.datetime]],
    by: User,
    front_desk_note: str = "",
) -> list[Appointment]:
    """Books every session of a confirmed plan, or none: one clash undoes the whole series.

    The plan the front desk confirmed showed any out-of-hours warnings, so they are accepted here.
    """
    booked = []
    for number, (starts_at, ends_at) in enumerate(slots, 1):
        label = f"Session {number} of {len(slots)} ({clock.local(starts_at):%a %d %b %H:%M})"
        try:
            booked.append(
                appointment_book(
                    patient=patient,
                    dermatologist=dermatologist,
                    room=room,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    kind=kind,
                    front_desk_note=front_desk_note,
                    by=by,
                    allow_outside_hours=True,
                )
            )
        except AppointmentClash as exc:
            raise AppointmentClash(f"{label}: {exc}", clashes=exc.clashes) from exc
        except ValidationError as exc:
            raise ValidationError([f"{label}: {m}" for m in exc.messages]) from exc
    return booked
