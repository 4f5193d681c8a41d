"""Calendar pages read their dermatologists and rooms once and name the visits from them, the
visits' rows carrying neither (visits.page_visits). Anyone and any room else a visit names is
read after, in one more query, and named as if it had been read with the visit."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from scheduling.calendar import day_by_dermatologist, day_by_room, week_of
from scheduling.models import Room
from scheduling.visits import page_visits
from tests.factories import UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db

COLUMN = "dermatologist_id"
DAY = (at(MONDAY, "00:00"), at(MONDAY + dt.timedelta(days=1), "00:00"))


def _visit(dermatologist, *, room=None, status="booked", hhmm="09:00"):
    return AppointmentFactory(
        dermatologist=dermatologist,
        room=room,
        status=status,
        starts_at=at(MONDAY, hhmm),
        ends_at=at(MONDAY, hhmm.replace(":00", ":30")),
    )


def _names(visits):
    return [(v.dermatologist.get_full_name(), v.room.name if v.room else None) for v in visits]


def test_known_people_and_rooms_name_the_visits_in_three_queries(
    okafor, room, django_assert_num_queries
):
    _visit(okafor, room=room)
    _visit(okafor, room=room, status="cancelled", hhmm="10:00")
    people = {okafor.pk: User.objects.get(pk=okafor.pk)}
    rooms = {room.pk: Room.objects.get(pk=room.pk)}
    with django_assert_num_queries(3):
        visits = page_visits(*DAY, column=COLUMN, off_grid_first=None, people=people, rooms=rooms)
    assert _names(visits.active) == [("Amara Okafor", "Room 1")]
    assert _names(visits.off_grid) == [("Amara Okafor", "Room 1")]
    # The very objects passed in: each person and room is made once per page.
    assert visits.active[0].dermatologist is people[okafor.pk]
    assert visits.off_grid[0].room is rooms[room.pk]


def test_anyone_and_any_room_else_is_read_once_and_added(
    okafor, mensah, room, other_room, django_assert_num_queries
):
    _visit(mensah, room=other_room)
    _visit(mensah, room=other_room, hhmm="11:00")
    _visit(okafor, room=room, status="no_show", hhmm="10:00")
    people: dict = {}
    rooms: dict = {}
    # The visits' three queries, then one for the people and one for the rooms.
    with django_assert_num_queries(5):
        visits = page_visits(*DAY, column=COLUMN, off_grid_first=None, people=people, rooms=rooms)
    assert _names(visits.active) == [("Kwame Mensah", "Room 2")] * 2
    assert _names(visits.off_grid) == [("Amara Okafor", "Room 1")]
    assert visits.active[0].dermatologist.username == "kwame"
    assert set(people) == {okafor.pk, mensah.pk}
    assert set(rooms) == {room.pk, other_room.pk}
    assert visits.active[0].dermatologist is visits.active[1].dermatologist


def test_without_people_or_rooms_the_rows_carry_the_names(okafor, room):
    _visit(okafor, room=room)
    visits = page_visits(*DAY, column=COLUMN, off_grid_first=None)
    assert _names(visits.active) == [("Amara Okafor", "Room 1")]
    assert visits.active[0].dermatologist.username == "amara"


def test_a_former_dermatologists_visit_is_named_on_every_calendar_page(desk_client, okafor, room):
    former = UserFactory(username="ada", first_name="Ada", last_name="Former", is_active=False)
    closed = RoomFactory(name="Room 9", active=False)
    _visit(former, room=closed)
    _visit(okafor, room=room, hhmm="10:00")

    day = day_by_dermatologist(MONDAY)
    assert [column.label for column in day.grid.columns] == ["Dr Ada Former", "Dr Amara Okafor"]
    assert _names(day.active) == [("Ada Former", "Room 9"), ("Amara Okafor", "Room 1")]

    rooms = day_by_room(MONDAY)
    assert [column.label for column in rooms.grid.columns] == ["Room 1", "Room 9"]
    assert _names(rooms.active) == [("Ada Former", "Room 9"), ("Amara Okafor", "Room 1")]

    week = week_of(former, MONDAY)
    assert _names(week.active) == [("Ada Former", "Room 9")]

    for name in ("scheduling:day", "scheduling:rooms"):
        page = desk_client.get(reverse(name), {"date": MONDAY.isoformat()}).content.decode()
        assert "Ada Former" in page
        assert "Room 9" in page


def test_someone_named_by_cancellations_alone_is_named_for_their_column(
    okafor, mensah, room, django_assert_num_queries
):
    _visit(okafor, room=room)
    _visit(mensah, room=room, status="cancelled", hhmm="10:00")
    people = {okafor.pk: User.objects.get(pk=okafor.pk)}
    rooms: dict = {}
    # None of the cancelled visits listed (Django reads no rows for none): Kwame Mensah is known
    # from the columns' counts only. The visits, the counts, the people, the rooms.
    with django_assert_num_queries(4):
        visits = page_visits(*DAY, column=COLUMN, off_grid_first=0, people=people, rooms=rooms)
    assert (visits.off_grid, visits.off_grid_total, visits.off_grid_columns) == ([], 1, [mensah.pk])
    assert people[mensah.pk].get_full_name() == "Kwame Mensah"
    assert rooms[room.pk].name == "Room 1"


def test_a_room_named_by_cancellations_alone_is_named_for_its_column(okafor, room, other_room):
    _visit(okafor, room=room)
    _visit(okafor, room=other_room, status="no_show", hhmm="10:00")
    _visit(okafor, status="cancelled", hhmm="11:00")  # no room: no room's column
    rooms = {room.pk: Room.objects.get(pk=room.pk)}
    visits = page_visits(*DAY, column="room_id", off_grid_first=0, rooms=rooms)
    assert sorted(visits.off_grid_columns, key=str) == sorted([other_room.pk, None], key=str)
    assert rooms[other_room.pk].name == "Room 2"
    assert set(rooms) == {room.pk, other_room.pk}
