"""A course of sessions: planned slot by slot (nothing booked), then booked all at once or not at
all. A taken slot is offered the nearest free slot inside the interval range."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.models import Appointment, Kind
from scheduling.rules import AppointmentClash, ClinicHours
from scheduling.series import Busy, plan_series
from scheduling.services import series_book, series_plan
from tests.factories import PatientFactory
from tests.scheduling.conftest import LONDON, at
from tests.scheduling.factories import AppointmentFactory

HOURS = ClinicHours(
    opens=dt.time(8), closes=dt.time(18), slot=dt.timedelta(minutes=15), days=frozenset(range(1, 6))
)
FIRST = dt.date(2026, 6, 9)  # a Tuesday
HALF_HOUR = dt.timedelta(minutes=30)


def weeks_after(day: dt.date, weeks: int) -> dt.date:
    return day + dt.timedelta(weeks=weeks)


def plan(busy=(), count=5, min_weeks=4, max_weeks=6, first=None):
    return plan_series(
        first_start=first or at(FIRST, "10:00"),
        duration=HALF_HOUR,
        count=count,
        min_weeks=min_weeks,
        max_weeks=max_weeks,
        busy=list(busy),
        hours=HOURS,
        tz=LONDON,
    )


def busy(day: dt.date, start: str, end: str, reason: str = "taken") -> Busy:
    return Busy(at(day, start), at(day, end), reason)


def local_times(slots) -> list[str]:
    return [f"{s.starts_at.astimezone(LONDON):%Y-%m-%d %H:%M}" for s in slots]


# --- the planner, without a database --------------------------------------------------------


def test_a_free_calendar_gets_every_session_at_the_shortest_interval():
    slots = plan()
    assert local_times(slots) == [
        "2026-06-09 10:00",
        "2026-07-07 10:00",
        "2026-08-04 10:00",
        "2026-09-01 10:00",
        "2026-09-29 10:00",
    ]
    assert not any(s.moved or s.clash for s in slots)


def test_a_clashing_session_is_offered_the_nearest_free_slot():
    third = weeks_after(FIRST, 8)
    slots = plan(busy=[busy(third, "09:30", "10:30", "Dr Amara Okafor is already booked")])

    assert local_times(slots)[2] == "2026-08-04 10:30"  # 30 min later beats 60 min earlier
    assert slots[2].moved
    assert slots[2].wanted_at == at(third, "10:00")
    assert slots[2].clash == "Dr Amara Okafor is already booked"
    assert [s.moved for s in slots] == [False, False, True, False, False]


def test_on_a_tie_the_earlier_slot_wins():
    slots = plan(count=2, busy=[busy(weeks_after(FIRST, 4), "10:00", "10:30")])
    assert local_times(slots)[1] == "2026-07-07 09:30"


def test_a_full_day_moves_the_session_to_the_nearest_day_in_range():
    second = weeks_after(FIRST, 4)
    slots = plan(count=2, busy=[busy(second, "08:00", "18:00")])
    assert local_times(slots)[1] == "2026-07-08 10:00"


def test_later_sessions_count_their_interval_from_the_moved_session():
    second = weeks_after(FIRST, 4)
    slots = plan(count=3, busy=[busy(second, "08:00", "18:00")])
    assert local_times(slots)[2] == "2026-08-05 10:00"  # 4 weeks after Wed 8 July


def test_closed_days_are_never_offered():
    second = weeks_after(FIRST, 4)
    # Tuesday to Friday of that week are full; the weekend is closed; Monday is free.
    full = [busy(second + dt.timedelta(days=n), "08:00", "18:00") for n in range(4)]
    slots = plan(count=2, busy=full)
    assert local_times(slots)[1] == "2026-07-13 10:00"


def test_nothing_free_inside_the_range_is_marked_unavailable():
    second = weeks_after(FIRST, 4)
    full = [busy(second + dt.timedelta(days=n), "08:00", "18:00") for n in range(15)]
    slots = plan(count=2, max_weeks=6, busy=full)
    assert not slots[1].available
    assert slots[1].clash == "taken"


def test_a_first_session_outside_hours_is_flagged_for_confirmation():
    slots = plan(count=2, first=at(FIRST, "07:30"))
    assert slots[0].outside_hours == "07:30-08:00 is outside clinic hours (08:00-18:00)."
    assert slots[1].outside_hours


@pytest.mark.parametrize(("count", "low", "high"), [(0, 4, 6), (3, 0, 2), (3, 6, 4)])
def test_nonsense_intervals_are_refused(count, low, high):
    with pytest.raises(ValueError):
        plan(count=count, min_weeks=low, max_weeks=high)


# --- the services ---------------------------------------------------------------------------


@pytest.fixture
def clash_on_third(okafor):
    """Dr Okafor is taken at 09:45-10:30 on the day the third session wants."""
    day = weeks_after(FIRST, 8)
    return AppointmentFactory(
        dermatologist=okafor,
        patient=PatientFactory(first_name="Lee", last_name="Brown"),
        starts_at=at(day, "09:45"),
        ends_at=at(day, "10:30"),
        kind=Kind.LASER,
    )


@pytest.mark.django_db
def test_series_plan_offers_the_nearest_free_slot_and_books_nothing(okafor, smith, clash_on_third):
    slots = series_plan(
        patient=smith,
        dermatologist=okafor,
        room=None,
        first_start=at(FIRST, "10:00"),
        duration=HALF_HOUR,
        count=5,
        min_weeks=4,
        max_weeks=6,
    )

    assert [s.moved for s in slots] == [False, False, True, False, False]
    assert local_times(slots)[2] == "2026-08-04 10:30"
    assert slots[2].clash == (
        "Dr Amara Okafor is already booked on Tue 04 Aug 2026 09:45-10:30 with L. Brown (Laser)."
    )
    assert Appointment.objects.count() == 1  # only the clash that was already there


@pytest.mark.django_db
def test_series_book_books_every_session(okafor, smith, front_desk):
    slots = [(at(weeks_after(FIRST, 4 * n), "10:00"), at(weeks_after(FIRST, 4 * n), "10:30"))
             for n in range(5)]  # fmt: skip
    booked = series_book(
        patient=smith, dermatologist=okafor, room=None, kind=Kind.CROSS, slots=slots, by=front_desk
    )
    assert len(booked) == 5
    assert set(Appointment.objects.values_list("kind", "status")) == {("cross", "booked")}


@pytest.mark.django_db
def test_one_clash_at_confirmation_books_nothing(okafor, smith, front_desk, clash_on_third):
    # The plan was made before someone took session 3's slot: the whole series is refused.
    slots = [(at(weeks_after(FIRST, 4 * n), "10:00"), at(weeks_after(FIRST, 4 * n), "10:30"))
             for n in range(5)]  # fmt: skip
    with pytest.raises(AppointmentClash) as refused:
        series_book(
            patient=smith,
            dermatologist=okafor,
            room=None,
            kind=Kind.CROSS,
            slots=slots,
            by=front_desk,
        )
    assert str(refused.value).startswith("Session 3 of 5 (Tue 04 Aug 10:00): Dr Amara Okafor")
    assert list(Appointment.objects.all()) == [clash_on_third]


# --- the page: plan, then confirm ------------------------------------------------------------


def series_form(patient, dermatologist, **extra) -> dict:
    return {
        "patient": patient.pk,
        "dermatologist": dermatologist.pk,
        "kind": "cross",
        "count": "5",
        "min_weeks": "4",
        "max_weeks": "6",
        "date": FIRST.isoformat(),
        "start": "10:00",
        "duration": "30",
        "room": "",
        "front_desk_note": "",
        **extra,
    }


@pytest.mark.django_db
def test_planning_on_the_page_shows_the_moved_session_and_books_nothing(
    desk_client, okafor, smith, clash_on_third
):
    response = desk_client.post(reverse("scheduling:series"), series_form(smith, okafor))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Moved from Tue 4 Aug 10:00" in page
    assert "Confirm and book all 5 sessions" in page
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_confirming_the_plan_books_all_sessions(desk_client, okafor, smith, clash_on_third):
    planned = desk_client.post(reverse("scheduling:series"), series_form(smith, okafor))
    context = planned.context
    data = series_form(
        smith,
        okafor,
        confirm="1",
        plan_key=context["plan_key"],
        slot=[s.starts_at.isoformat() for s in context["plan"]],
    )

    response = desk_client.post(reverse("scheduling:series"), data)

    assert response.status_code == 302
    mine = Appointment.objects.filter(patient=smith).order_by("starts_at")
    assert [f"{a.local_starts_at:%m-%d %H:%M}" for a in mine] == [
        "06-09 10:00",
        "07-07 10:00",
        "08-04 10:30",  # moved
        "09-01 10:00",  # four weeks on, at the usual time again
        "09-29 10:00",
    ]


@pytest.mark.django_db
def test_a_confirm_for_changed_details_is_planned_again_not_booked(desk_client, okafor, smith):
    planned = desk_client.post(reverse("scheduling:series"), series_form(smith, okafor))
    data = series_form(
        smith,
        okafor,
        start="11:00",  # changed after planning
        confirm="1",
        plan_key=planned.context["plan_key"],
        slot=[s.starts_at.isoformat() for s in planned.context["plan"]],
    )

    response = desk_client.post(reverse("scheduling:series"), data)

    assert response.status_code == 200
    assert "The details changed since the plan was made" in response.content.decode()
    assert not Appointment.objects.exists()
