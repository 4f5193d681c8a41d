"""Calendar pages keep their visits between requests while their days are unchanged
(visits.page_visits). What says a day changed is written by the database itself
(CalendarChange, scheduling migration 0004): every path that writes an appointment, or renames
a patient, a dermatologist or a room, must show on the next page, kept visits or not."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from scheduling import services
from scheduling.models import Appointment, CalendarChange
from scheduling.visits import calendar_version
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def _version(day: dt.date = MONDAY):
    return calendar_version(at(day, "00:00"), at(day + dt.timedelta(days=1), "00:00"))


def _visit(okafor, smith, *, room=None, hhmm="09:00", day=MONDAY, **fields):
    return AppointmentFactory(
        dermatologist=okafor,
        patient=smith,
        room=room,
        starts_at=at(day, hhmm),
        ends_at=at(day, hhmm) + dt.timedelta(minutes=30),
        **fields,
    )


def _day(client, name: str = "scheduling:day", day: dt.date = MONDAY) -> str:
    return client.get(reverse(name), {"date": day.isoformat()}).content.decode()


# The database's own record of changes.


def test_every_write_to_an_appointment_moves_its_days_version(okafor, smith):
    versions = [_version()]
    visit = _visit(okafor, smith)
    versions.append(_version())
    Appointment.objects.filter(pk=visit.pk).update(status="checked_in")  # no save(), no signal
    versions.append(_version())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scheduling_appointment SET kind = %s WHERE id = %s", ["consultation", visit.pk]
        )
    versions.append(_version())
    Appointment.objects.filter(pk=visit.pk).delete()
    versions.append(_version())
    assert len(set(versions)) == len(versions), versions


def test_a_visit_moved_to_another_day_moves_both_days(okafor, smith):
    visit = _visit(okafor, smith)
    monday, tuesday = _version(), _version(TUESDAY)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=at(TUESDAY, "09:00"), ends_at=at(TUESDAY, "09:30")
    )
    assert _version() != monday
    assert _version(TUESDAY) != tuesday


def test_a_write_to_another_day_leaves_the_day_alone(okafor, smith):
    _visit(okafor, smith)
    monday = _version()
    _visit(okafor, smith, day=MONDAY + dt.timedelta(days=3))
    assert _version() == monday


def test_renames_move_every_day_and_other_saves_do_not(okafor, smith, room):
    monday, tuesday = _version(), _version(TUESDAY)
    smith.phone = "07700 900999"
    smith.save()
    okafor.last_login = at(MONDAY, "08:00")  # every sign-in
    okafor.save()
    room.active = False
    room.save()
    assert (_version(), _version(TUESDAY)) == (monday, tuesday)
    for rename in (
        lambda: setattr(smith, "last_name", "Smyth") or smith.save(),
        lambda: setattr(okafor, "first_name", "Amarachi") or okafor.save(),
        lambda: setattr(room, "name", "Laser room") or room.save(),
    ):
        before = (_version(), _version(TUESDAY))
        rename()
        after = (_version(), _version(TUESDAY))
        assert after[0] != before[0] and after[1] != before[1]


def test_a_whole_clinic_written_in_one_statement_leaves_a_row_a_day_on_postgresql(okafor, smith):
    visits = [
        Appointment(
            patient=smith,
            dermatologist=okafor,
            starts_at=at(MONDAY, "09:00") + dt.timedelta(days=n % 3, minutes=30 * (n // 3)),
            ends_at=at(MONDAY, "09:30") + dt.timedelta(days=n % 3, minutes=30 * (n // 3)),
        )
        for n in range(9)
    ]
    before = CalendarChange.objects.count()
    Appointment.objects.bulk_create(visits)
    added = CalendarChange.objects.count() - before
    # Per statement on PostgreSQL (three days), per row on SQLite.
    assert added == (3 if connection.vendor == "postgresql" else 9)


# Pages with kept visits show every change on the next request.


def test_the_day_shows_a_new_booking_a_cancellation_and_a_move(
    desk_client, front_desk, okafor, smith
):
    assert "Jane Smith" not in _day(desk_client)
    visit = services.appointment_book(
        patient=smith,
        dermatologist=okafor,
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "09:30"),
        kind="consultation",
        by=front_desk,
    )
    page = _day(desk_client)
    assert f'data-appointment="{visit.pk}"' in page and "appt-booked" in page

    services.appointment_cancel(appointment=visit, reason="Phoned in", by=front_desk)
    page = _day(desk_client)
    assert "appt-booked" not in page
    assert "Phoned in" in page

    other = _visit(okafor, smith, hhmm="11:00")
    assert f'data-appointment="{other.pk}"' in _day(desk_client)
    services.appointment_reschedule(
        appointment=other,
        starts_at=at(TUESDAY, "11:00"),
        ends_at=at(TUESDAY, "11:30"),
        dermatologist=okafor,
        room=None,
        by=front_desk,
    )
    assert f'data-appointment="{other.pk}"' not in _day(desk_client)
    assert f'data-appointment="{other.pk}"' in _day(desk_client, day=TUESDAY)


def test_every_calendar_page_shows_renames(desk_client, okafor, smith, room):
    _visit(okafor, smith, room=room)
    week = ("scheduling:week", okafor.pk)
    pages = lambda: (  # noqa: E731
        _day(desk_client),
        _day(desk_client, "scheduling:rooms"),
        desk_client.get(
            reverse(week[0], args=[week[1]]), {"date": MONDAY.isoformat()}
        ).content.decode(),
    )
    assert all("Jane Smith" in page for page in pages())
    smith.first_name = "Janet"
    smith.save()
    assert all("Janet Smith" in page and "Jane Smith" not in page for page in pages())
    okafor.last_name = "Okafor-Reid"
    okafor.save()
    day, rooms, _ = pages()
    assert "Okafor-Reid" in day and "Okafor-Reid" in rooms
    room.name = "Laser room"
    room.save()
    day, rooms, _ = pages()
    assert "Laser room" in day and "Laser room" in rooms and "Room 1" not in rooms


def test_a_status_changed_in_bulk_shows(desk_client, okafor, smith):
    visit = _visit(okafor, smith)
    assert "appt-booked" in _day(desk_client)
    Appointment.objects.filter(pk=visit.pk).update(status="checked_in")
    page = _day(desk_client)
    assert "appt-booked" not in page and "appt-checked_in" in page


def test_an_unchanged_day_is_not_read_again(desk_client, okafor, smith, django_assert_num_queries):
    _visit(okafor, smith)
    first = _day(desk_client)
    _visit(okafor, smith, day=MONDAY + dt.timedelta(days=3))  # another day's booking
    # Session, user, dermatologists, the day's version: not its visits.
    with django_assert_num_queries(4):
        assert "Jane Smith" in _day(desk_client)
    assert "Jane Smith" in first


def test_kept_visits_are_not_shown_in_another_time_zone(desk_client, okafor, smith, settings):
    _visit(okafor, smith, hhmm="09:00")
    assert "09:00-09:30" in _day(desk_client)
    settings.TIME_ZONE = "UTC"  # 09:00 in London in June is 08:00 UTC
    assert "08:00-08:30" in _day(desk_client)


def test_a_write_between_the_version_and_the_visits_is_read_again_next_time(
    desk_client, okafor, smith, monkeypatch, django_assert_num_queries
):
    # The version is read first: visits kept may be newer than it, never older.
    from scheduling import visits as module

    read = module._read_page_visits
    written = []

    def read_after_a_booking(*args, **kwargs):
        if not written:
            written.append(_visit(okafor, smith, hhmm="15:00"))
        return read(*args, **kwargs)

    monkeypatch.setattr(module, "_read_page_visits", read_after_a_booking)
    first = _day(desk_client)
    assert f'data-appointment="{written[0].pk}"' in first
    # The kept visits' version is older than the day's: read again (all seven queries).
    with django_assert_num_queries(7):
        again = _day(desk_client)
    assert f'data-appointment="{written[0].pk}"' in again
    with django_assert_num_queries(4):
        _day(desk_client)
