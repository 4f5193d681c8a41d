"""The dermatologist's iCalendar feed: a secret address, initials and kind only."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from scheduling.models import CalendarFeed
from tests.factories import PatientFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(dermatologist, okafor):
    tuesday = MONDAY + dt.timedelta(days=1)
    patient = PatientFactory(first_name="Imogen", last_name="Thistlewood", allergies="Lidocaine")
    return {
        "mine": AppointmentFactory(
            dermatologist=dermatologist, patient=patient, kind="subcision",
            room=RoomFactory(name="Room 1"), front_desk_note="Needs an interpreter",
            starts_at=at(tuesday, "10:00"), ends_at=at(tuesday, "10:45"),
        ),
        "cancelled": AppointmentFactory(
            dermatologist=dermatologist, status="cancelled",
            starts_at=at(tuesday, "11:00"), ends_at=at(tuesday, "11:30"),
        ),
        "colleagues": AppointmentFactory(
            dermatologist=okafor, starts_at=at(tuesday, "10:00"), ends_at=at(tuesday, "10:30"),
        ),
        "long_ago": AppointmentFactory(
            dermatologist=dermatologist, status="completed",
            starts_at=at(MONDAY - dt.timedelta(days=90), "10:00"),
            ends_at=at(MONDAY - dt.timedelta(days=90), "10:30"),
        ),
    }  # fmt: skip


def make_address(client) -> str:
    response = client.post(reverse("scheduling:feed"))
    address = response.context["address"]
    assert address.startswith("http://testserver/schedule/feed/")
    return address.removeprefix("http://testserver")


def test_the_feed_lists_my_active_visits_with_initials_and_kind_only(derm_client, visits):
    address = make_address(derm_client)

    response = Client().get(address)  # a phone: not signed in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["I.T. Subcision"]
    event = events[0]
    assert event.decoded("dtstart") == at(MONDAY + dt.timedelta(days=1), "10:00")
    assert event.decoded("dtend") == at(MONDAY + dt.timedelta(days=1), "10:45")
    assert str(event["location"]) == "Room 1"
    body = response.content.decode()
    for secret in ("Imogen", "Thistlewood", "Lidocaine", "interpreter"):
        assert secret not in body


def test_a_new_address_retires_the_old_one(derm_client, visits):
    old = make_address(derm_client)
    new = make_address(derm_client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    page = derm_client.get(reverse("scheduling:feed")).content.decode()
    assert "shown only once" not in page  # the address is never shown again


def test_only_a_hash_of_the_secret_is_stored(derm_client, dermatologist):
    token = make_address(derm_client).rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=dermatologist).token_hash
    assert token not in stored
    assert stored == CalendarFeed.hash(token)


def test_a_made_up_address_finds_nothing(db):
    assert Client().get(reverse("scheduling:ical", args=["guess"])).status_code == 404


def test_the_feed_stops_when_the_user_leaves(derm_client, dermatologist, visits):
    address = make_address(derm_client)
    dermatologist.is_active = False
    dermatologist.save()
    assert Client().get(address).status_code == 404


def test_an_unchanged_feed_is_answered_not_modified_and_a_change_shows_at_once(
    derm_client, dermatologist, visits
):
    address = make_address(derm_client)
    first = Client().get(address)
    etag = first["ETag"]
    assert "no-store" not in first["Cache-Control"]

    again = Client().get(address, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    tuesday = MONDAY + dt.timedelta(days=1)
    AppointmentFactory(
        dermatologist=dermatologist, kind="peel",
        starts_at=at(tuesday, "15:00"), ends_at=at(tuesday, "15:30"),
    )  # fmt: skip
    changed = Client().get(address, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    summaries = [str(e["summary"]) for e in Calendar.from_ical(changed.content).walk("VEVENT")]
    assert len(summaries) == 2 and summaries[1].endswith(" Peel")


def test_room_names_are_escaped_and_long_lines_folded(derm_client, dermatologist):
    tuesday = MONDAY + dt.timedelta(days=1)
    name = "Laser suite; east wing, floor 2 " + "x" * 60  # up to 100 characters
    AppointmentFactory(
        dermatologist=dermatologist, room=RoomFactory(name=name),
        starts_at=at(tuesday, "09:00"), ends_at=at(tuesday, "09:30"),
    )  # fmt: skip
    body = Client().get(make_address(derm_client)).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["location"]) == name
