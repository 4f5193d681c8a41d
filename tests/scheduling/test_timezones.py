"""Times are stored in UTC and shown in the clinic's TIME_ZONE (Europe/London). A clinic "day" is a
local day: 23 hours long on the last Sunday of March, 25 on the last Sunday of October."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from scheduling import clock
from scheduling.forms import AppointmentForm
from scheduling.models import Appointment, Kind
from scheduling.panels import arrivals
from scheduling.services import appointment_book, appointment_check_in, series_plan
from tests.conftest import client_for
from tests.scheduling.conftest import LONDON
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

SPRING_FORWARD = dt.date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
FALL_BACK = dt.date(2026, 10, 25)  # 02:00 BST becomes 01:00 GMT
UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_local_days_are_23_and_25_hours_long_when_the_clocks_change():
    start, end = clock.day_bounds(SPRING_FORWARD)
    assert (start, end) == (utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 23, 0))
    start, end = clock.day_bounds(FALL_BACK)
    assert (start, end) == (utc(2026, 10, 24, 23, 0), utc(2026, 10, 26, 0, 0))
    assert end - start == dt.timedelta(hours=25)


def _visit(starts_at: dt.datetime) -> Appointment:
    return AppointmentFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=15))


@pytest.mark.parametrize(
    ("day", "inside", "outside"),
    [
        (
            SPRING_FORWARD,
            # 00:30 GMT, and 23:30 BST (22:30 UTC)
            [utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 22, 30)],
            # 23:30 GMT the night before, 00:15 BST the day after
            [utc(2026, 3, 28, 23, 30), utc(2026, 3, 29, 23, 15)],
        ),
        (
            FALL_BACK,
            # 00:30 BST, 01:30 BST, 01:30 GMT (the hour that happens twice), 23:30 GMT
            [
                utc(2026, 10, 24, 23, 30),
                utc(2026, 10, 25, 0, 30),
                utc(2026, 10, 25, 1, 30),
                utc(2026, 10, 25, 23, 30),
            ],
            # 23:30 BST the night before, 00:00 GMT the day after
            [utc(2026, 10, 24, 22, 30), utc(2026, 10, 26, 0, 0)],
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_on_day_takes_the_whole_local_day_on_clock_change_days(day, inside, outside):
    wanted = {_visit(moment).pk for moment in inside}
    for moment in outside:
        _visit(moment)

    assert set(Appointment.objects.on_day(day).values_list("pk", flat=True)) == wanted


def _form(day: dt.date, start: str, patient, dermatologist) -> AppointmentForm:
    return AppointmentForm(
        {
            "patient": patient.pk,
            "dermatologist": dermatologist.pk,
            "kind": Kind.LASER,
            "date": day.isoformat(),
            "start": start,
            "duration": "30",
        },
        patients=[patient],
    )


def test_a_wall_clock_time_is_stored_as_the_right_instant_either_side_of_the_change(okafor, smith):
    saturday = _form(SPRING_FORWARD - dt.timedelta(days=1), "09:00", smith, okafor)
    sunday = _form(SPRING_FORWARD, "09:00", smith, okafor)
    assert saturday.is_valid() and sunday.is_valid()
    assert saturday.cleaned_data["starts_at"] == utc(2026, 3, 28, 9, 0)  # GMT
    assert sunday.cleaned_data["starts_at"] == utc(2026, 3, 29, 8, 0)  # BST


def test_a_time_skipped_by_the_clocks_is_refused(okafor, smith):
    form = _form(SPRING_FORWARD, "01:30", smith, okafor)
    assert not form.is_valid()
    assert form.errors["start"] == [
        "01:30 does not exist on 29 Mar 2026: the clocks go forward that night."
    ]


def test_a_repeated_time_means_its_first_occurrence(okafor, smith):
    form = _form(FALL_BACK, "01:30", smith, okafor)
    assert form.is_valid()
    assert form.cleaned_data["starts_at"] == utc(2026, 10, 25, 0, 30)  # 01:30 BST


def test_an_appointment_across_the_change_lasts_its_real_length(okafor, smith):
    form = _form(SPRING_FORWARD, "00:45", smith, okafor)
    assert form.is_valid()
    start, end = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    assert end - start == dt.timedelta(minutes=30)
    assert end.astimezone(LONDON).time() == dt.time(2, 15)  # 00:45 GMT + 30 min = 02:15 BST


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK], ids=["spring", "autumn"])
def test_the_day_view_puts_a_visit_in_its_wall_clock_row_on_change_days(
    settings, front_desk, okafor, day
):
    settings.CLINIC_DAYS = "mon,tue,wed,thu,fri,sat,sun"
    starts_at = dt.datetime.combine(day, dt.time(9, 0)).replace(tzinfo=LONDON)
    AppointmentFactory(
        dermatologist=okafor, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )
    with time_machine.travel(dt.datetime.combine(day, dt.time(7)).replace(tzinfo=LONDON)):
        # Signed in on the day itself: a session from June would have expired by October.
        response = client_for(front_desk).get(reverse("scheduling:day"))
    assert response.status_code == 200

    grid = response.context["page"].grid
    row = next(r for r in grid.rows if r.at == dt.time(9, 0))
    block = next(c for c in row.cells if c.appointments)
    assert block.rowspan == 3
    assert "09:00-09:45" in response.content.decode()


def test_a_series_keeps_its_wall_clock_time_across_the_change(okafor, smith, front_desk):
    # Tuesday 10 March 10:00 GMT, then every 4 weeks: 7 April is in summer time.
    with time_machine.travel(dt.datetime(2026, 3, 9, 8, 0, tzinfo=LONDON), tick=False):
        plan = series_plan(
            patient=smith,
            dermatologist=okafor,
            room=None,
            first_start=dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON),
            duration=dt.timedelta(minutes=30),
            count=2,
            min_weeks=4,
            max_weeks=6,
        )
    assert [s.starts_at.astimezone(UTC) for s in plan] == [
        utc(2026, 3, 10, 10, 0),
        utc(2026, 4, 7, 9, 0),
    ]
    assert [s.starts_at.astimezone(LONDON).time() for s in plan] == [dt.time(10)] * 2


def test_today_is_the_clinics_local_day_not_utcs(front_desk, okafor):
    # 23:30 UTC on 30 June is already 00:30 on 1 July in London.
    july_first = dt.datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)
    june_last = dt.datetime(2026, 6, 30, 16, 0, tzinfo=LONDON)
    first = AppointmentFactory(
        dermatologist=okafor, starts_at=july_first, ends_at=july_first + dt.timedelta(minutes=30)
    )
    AppointmentFactory(
        dermatologist=okafor, starts_at=june_last, ends_at=june_last + dt.timedelta(minutes=30)
    )
    with time_machine.travel(utc(2026, 6, 30, 23, 30), tick=False):
        assert clock.today() == dt.date(2026, 7, 1)
        assert arrivals(None, None)["appointments"] == [first]
        appointment_check_in(appointment=first, by=front_desk)  # the same local day


def test_booking_in_another_zone_is_shown_in_clinic_time(okafor, smith, front_desk):
    appointment = appointment_book(
        patient=smith,
        dermatologist=okafor,
        starts_at=dt.datetime(2026, 6, 9, 5, 0, tzinfo=ZoneInfo("America/New_York")),
        ends_at=dt.datetime(2026, 6, 9, 5, 30, tzinfo=ZoneInfo("America/New_York")),
        kind=Kind.PEEL,
        by=front_desk,
    )
    appointment.refresh_from_db()
    assert appointment.time_range == "10:00-10:30"
    assert appointment.starts_at == utc(2026, 6, 9, 9, 0)
