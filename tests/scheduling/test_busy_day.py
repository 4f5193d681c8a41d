"""A clinic group's busy day: hundreds of cancellations and arrivals stay readable. The calendar
lists the first cancellations and counts the rest; the front desk's arrivals show the next ones
and how many in all. Neither costs more queries on a busy day than on a quiet one."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.calendar import OFF_GRID_SHOWN
from scheduling.panels import ARRIVALS_SHOWN
from tests.factories import UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db


def visits(dermatologist, count: int, status: str) -> list:
    return [
        AppointmentFactory(
            dermatologist=dermatologist,
            status=status,
            starts_at=at(MONDAY, "08:00") + dt.timedelta(minutes=15 * n),
            ends_at=at(MONDAY, "08:15") + dt.timedelta(minutes=15 * n),
        )
        for n in range(count)
    ]


def test_the_calendar_lists_the_first_cancellations_and_the_rest_on_request(desk_client, okafor):
    cancelled = visits(okafor, OFF_GRID_SHOWN + 5, "cancelled")
    response = desk_client.get(reverse("scheduling:day"))
    page = response.context["page"]
    assert page.off_grid == cancelled[:OFF_GRID_SHOWN]
    assert page.off_grid_total == len(cancelled)
    html = response.content.decode()
    assert html.count("Patient phoned to cancel") == OFF_GRID_SHOWN
    assert "Show 5 more" in html and "cancelled=all" in html

    everything = desk_client.get(reverse("scheduling:day"), {"cancelled": "all"})
    assert everything.content.decode().count("Patient phoned to cancel") == len(cancelled)
    assert "Show 5 more" not in everything.content.decode()


@pytest.mark.parametrize("name", ["scheduling:rooms", "scheduling:week"])
def test_the_room_and_week_views_list_the_first_cancellations_and_the_rest_on_request(
    desk_client, okafor, name
):
    missed = visits(okafor, OFF_GRID_SHOWN + 3, "no_show")
    url = reverse(name, args=[okafor.pk] if name == "scheduling:week" else [])
    response = desk_client.get(url)
    assert response.context["page"].off_grid == missed[:OFF_GRID_SHOWN]
    assert "Show 3 more" in response.content.decode()

    everything = desk_client.get(url, {"cancelled": "all"})
    assert everything.context["page"].off_grid == missed
    assert "Show 3 more" not in everything.content.decode()


# A cancelled visit gives the page a column when no other does (someone no longer taking
# appointments, a room out of use, a day the clinic is closed), though it is not listed: a page
# that read only the listed ones would lose the column.


def test_a_former_dermatologists_late_cancellation_still_has_its_column(desk_client, okafor):
    visits(okafor, OFF_GRID_SHOWN + 5, "cancelled")
    former = UserFactory(first_name="Ada", last_name="Former", is_active=False)
    AppointmentFactory(
        dermatologist=former,
        status="cancelled",
        starts_at=at(MONDAY, "17:00"),
        ends_at=at(MONDAY, "17:30"),
    )
    page = desk_client.get(reverse("scheduling:day")).context["page"]
    assert [column.key for column in page.grid.columns] == [former.pk, okafor.pk]
    assert page.off_grid_hidden == 6


def test_a_late_cancellation_in_a_room_out_of_use_still_has_its_column(desk_client, okafor, room):
    visits(okafor, OFF_GRID_SHOWN + 5, "cancelled")
    closed = RoomFactory(name="Room 9", active=False)
    AppointmentFactory(
        dermatologist=okafor,
        room=closed,
        status="cancelled",
        starts_at=at(MONDAY, "17:00"),
        ends_at=at(MONDAY, "17:30"),
    )
    page = desk_client.get(reverse("scheduling:rooms")).context["page"]
    assert [column.label for column in page.grid.columns] == ["Room 1", "Room 9"]
    assert page.off_grid_hidden == 6


def test_a_late_cancellation_on_a_closed_day_still_has_its_column(desk_client, okafor):
    visits(okafor, OFF_GRID_SHOWN + 5, "cancelled")
    saturday = MONDAY + dt.timedelta(days=5)
    # 00:30 on Saturday in London, 23:30 on Friday in UTC: the clinic's day counts.
    AppointmentFactory(
        dermatologist=okafor,
        status="no_show",
        starts_at=at(saturday, "00:30"),
        ends_at=at(saturday, "00:45"),
    )
    page = desk_client.get(reverse("scheduling:week", args=[okafor.pk])).context["page"]
    assert [column.day for column in page.grid.columns][-1] == saturday
    assert page.off_grid_hidden == 6


def test_the_front_desk_sees_the_next_arrivals_and_how_many_in_all(desk_client, okafor):
    booked = visits(okafor, ARRIVALS_SHOWN + 4, "booked")
    response = desk_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-arrivals")
    assert panel.context["appointments"] == booked[:ARRIVALS_SHOWN]
    assert (panel.context["total"], panel.context["more"]) == (len(booked), 4)
    html = response.content.decode()
    assert f"Today's arrivals ({len(booked)})" in html
    assert "4 more later today" in html
