"""The calendar pages at work: book, reschedule, cancel, check in, no-show, progress, and the
day, room and week views."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from patients.models import AccessLog
from scheduling.models import Appointment
from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
BOOK = reverse("scheduling:book")


def booking(patient, dermatologist, **changes) -> dict:
    return {
        "patient": patient.pk,
        "dermatologist": dermatologist.pk,
        "kind": "cross",
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "duration": "30",
        "room": "",
        "front_desk_note": "",
        **changes,
    }


def selected(html: str, name: str) -> str:
    """The selected option's value of a <select name=...>."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return match.group(1) if match else ""


def field_value(html: str, name: str) -> str:
    match = re.search(rf'<input type="\w+" name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


# --- booking ----------------------------------------------------------------------------------


def test_an_empty_slot_link_prefills_dermatologist_date_and_time(desk_client, okafor, smith):
    response = desk_client.get(
        BOOK, {"dermatologist": okafor.pk, "starts_at": "2026-06-09T10:15", "patient": smith.pk}
    )
    html = response.content.decode()
    assert selected(html, "dermatologist") == str(okafor.pk)
    assert selected(html, "patient") == str(smith.pk)
    assert field_value(html, "date") == "2026-06-09"
    assert field_value(html, "start") == "10:15"


def test_the_next_session_link_from_treatments_prefills_patient_kind_and_date(desk_client, smith):
    html = desk_client.get(
        BOOK, {"patient": smith.pk, "kind": "laser", "date": "2026-07-06"}
    ).content.decode()
    assert selected(html, "patient") == str(smith.pk)
    assert selected(html, "kind") == "laser"
    assert selected(html, "duration") == "45"  # a laser session's usual length
    assert field_value(html, "date") == "2026-07-06"


def test_nonsense_prefill_is_ignored(desk_client):
    response = desk_client.get(BOOK, {"patient": "x", "starts_at": "soon", "kind": "magic"})
    assert response.status_code == 200


def test_the_patient_picker_lists_search_matches(desk_client):
    PatientFactory(first_name="Rosa", last_name="Quill")
    PatientFactory(first_name="Other", last_name="Person")
    html = desk_client.get(BOOK, {"q": "quill"}).content.decode()
    assert "Quill, Rosa" in html
    assert "Person, Other" not in html


def test_booking_saves_and_returns_to_that_day(desk_client, okafor, smith, front_desk):
    response = desk_client.post(BOOK, booking(smith, okafor))

    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.dermatologist) == (smith, okafor)
    assert appointment.starts_at == at(TUESDAY, "10:00")
    assert appointment.booked_by == front_desk
    assert response["Location"] == f"{reverse('scheduling:day')}?date=2026-06-09"


def test_booking_goes_back_to_a_safe_next_page_only(desk_client, okafor, smith):
    chart = reverse("patients:detail", args=[smith.pk])
    response = desk_client.post(f"{BOOK}?next={chart}", booking(smith, okafor))
    assert response["Location"] == chart
    response = desk_client.post(
        f"{BOOK}?next=https://evil.example/", booking(smith, okafor, start="11:00")
    )
    assert response["Location"].startswith(reverse("scheduling:day"))


def test_a_clash_is_shown_on_the_form_and_nothing_is_saved(desk_client, okafor, smith):
    AppointmentFactory(
        dermatologist=okafor, patient=PatientFactory(first_name="Jo", last_name="Khan"),
        starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30"),
    )  # fmt: skip
    response = desk_client.post(BOOK, booking(smith, okafor, start="10:15"))

    assert response.status_code == 200
    assert "Dr Amara Okafor is already booked 10:00-10:30 with J. Khan (CROSS)." in (
        response.content.decode()
    )
    assert Appointment.objects.count() == 1


def test_a_json_client_gets_the_clash_as_http_409(desk_client, okafor, smith):
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30")
    )
    response = desk_client.post(
        BOOK, booking(smith, okafor), headers={"accept": "application/json"}
    )
    assert response.status_code == 409
    assert response.json()["error"].startswith("Dr Amara Okafor is already booked 10:00-10:30")


def test_a_json_client_gets_201_when_booked(desk_client, okafor, smith):
    response = desk_client.post(
        BOOK, booking(smith, okafor), headers={"accept": "application/json"}
    )
    assert response.status_code == 201
    assert response.json()["id"] == Appointment.objects.get().pk


def test_outside_hours_asks_for_confirmation_then_books(desk_client, okafor, smith):
    response = desk_client.post(BOOK, booking(smith, okafor, start="17:45"))
    html = response.content.decode()
    assert "17:45-18:15 is outside clinic hours (08:00-18:00)." in html
    assert 'name="confirm_outside_hours" value="1"' in html
    assert not Appointment.objects.exists()

    response = desk_client.post(
        BOOK, booking(smith, okafor, start="17:45", confirm_outside_hours="1")
    )
    assert response.status_code == 302
    assert Appointment.objects.count() == 1


def test_a_booking_with_missing_details_says_what_is_missing(desk_client, okafor, smith):
    response = desk_client.post(BOOK, {**booking(smith, okafor), "start": "", "patient": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"start", "patient"}


# --- reschedule and cancel --------------------------------------------------------------------


@pytest.fixture
def tuesday_ten(okafor, smith, room):
    return AppointmentFactory(
        dermatologist=okafor,
        patient=smith,
        room=room,
        starts_at=at(TUESDAY, "10:00"),
        ends_at=at(TUESDAY, "10:30"),
    )


def move(appointment, **changes) -> dict:
    return {
        "date": TUESDAY.isoformat(),
        "start": "10:00",
        "duration": "30",
        "dermatologist": appointment.dermatologist_id,
        "room": appointment.room_id or "",
        **changes,
    }


def test_the_reschedule_form_starts_from_the_current_slot(desk_client, tuesday_ten):
    html = desk_client.get(reverse("scheduling:reschedule", args=[tuesday_ten.pk])).content.decode()
    assert field_value(html, "date") == "2026-06-09"
    assert field_value(html, "start") == "10:00"
    assert selected(html, "duration") == "30"


def test_rescheduling_moves_the_visit(desk_client, tuesday_ten):
    url = reverse("scheduling:reschedule", args=[tuesday_ten.pk])
    response = desk_client.post(url, move(tuesday_ten, start="14:00", duration="45"))
    assert response.status_code == 302
    tuesday_ten.refresh_from_db()
    assert (tuesday_ten.starts_at, tuesday_ten.ends_at) == (
        at(TUESDAY, "14:00"),
        at(TUESDAY, "14:45"),
    )


def test_rescheduling_into_a_clash_is_refused_with_the_message(desk_client, tuesday_ten, okafor):
    AppointmentFactory(
        dermatologist=okafor, patient=PatientFactory(first_name="Jo", last_name="Khan"),
        starts_at=at(TUESDAY, "14:00"), ends_at=at(TUESDAY, "14:30"), kind="filler",
    )  # fmt: skip
    url = reverse("scheduling:reschedule", args=[tuesday_ten.pk])
    response = desk_client.post(url, move(tuesday_ten, start="14:15"))

    assert response.status_code == 200
    assert "Dr Amara Okafor is already booked 14:00-14:30 with J. Khan (Filler)." in (
        response.content.decode()
    )
    tuesday_ten.refresh_from_db()
    assert tuesday_ten.starts_at == at(TUESDAY, "10:00")


def test_a_json_reschedule_into_a_clash_gets_409(desk_client, tuesday_ten, okafor):
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(TUESDAY, "14:00"), ends_at=at(TUESDAY, "14:30")
    )
    url = reverse("scheduling:reschedule", args=[tuesday_ten.pk])
    response = desk_client.post(
        url, move(tuesday_ten, start="14:00"), headers={"accept": "application/json"}
    )
    assert response.status_code == 409


def test_cancelling_needs_a_reason(desk_client, tuesday_ten):
    url = reverse("scheduling:cancel", args=[tuesday_ten.pk])
    assert desk_client.post(url, {"reason": ""}).status_code == 200
    tuesday_ten.refresh_from_db()
    assert tuesday_ten.status == "booked"

    response = desk_client.post(url, {"reason": "Patient phoned: flu"})
    assert response.status_code == 302
    tuesday_ten.refresh_from_db()
    assert (tuesday_ten.status, tuesday_ten.cancellation_reason) == (
        "cancelled",
        "Patient phoned: flu",
    )


# --- check in, no-show, progress --------------------------------------------------------------


@pytest.fixture
def today_ten(okafor, smith):
    return AppointmentFactory(
        dermatologist=okafor, patient=smith, starts_at=at(MONDAY, "10:00"),
        ends_at=at(MONDAY, "10:30"),
    )  # fmt: skip


def test_check_in_is_one_post_and_returns_to_the_calendar(desk_client, today_ten):
    day = f"{reverse('scheduling:day')}?date=2026-06-08"
    response = desk_client.post(reverse("scheduling:check_in", args=[today_ten.pk]), {"next": day})
    assert response["Location"] == day
    today_ten.refresh_from_db()
    assert today_ten.status == "checked_in"
    assert today_ten.checked_in_at == at(MONDAY, "08:00")


def test_a_refused_status_change_comes_back_as_a_message(desk_client, today_ten):
    response = desk_client.post(reverse("scheduling:no_show", args=[today_ten.pk]), follow=True)
    assert "only after the start time" in response.content.decode()
    today_ten.refresh_from_db()
    assert today_ten.status == "booked"


def test_no_show_after_the_start_time(desk_client, today_ten):
    with time_machine.travel(at(MONDAY, "10:20"), tick=False):
        desk_client.post(reverse("scheduling:no_show", args=[today_ten.pk]))
    today_ten.refresh_from_db()
    assert today_ten.status == "no_show"


def test_the_dermatologist_moves_their_own_visit_along(okafor, today_ten, front_desk):
    client_for(front_desk).post(reverse("scheduling:check_in", args=[today_ten.pk]))
    derm = client_for(okafor)
    url = reverse("scheduling:progress", args=[today_ten.pk])
    derm.post(url, {"to": "in_treatment"})
    today_ten.refresh_from_db()
    assert today_ten.status == "in_treatment"
    response = derm.post(url, {"to": "in_treatment"}, follow=True)
    assert "An in treatment appointment cannot be marked in treatment." in (
        response.content.decode()
    )
    derm.post(url, {"to": "completed"})
    today_ten.refresh_from_db()
    assert today_ten.status == "completed"


def test_progress_refuses_an_unknown_status(admin_client_, today_ten):
    response = admin_client_.post(
        reverse("scheduling:progress", args=[today_ten.pk]), {"to": "cancelled"}, follow=True
    )
    assert "Choose in treatment or completed." in response.content.decode()


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_page_offers_each_role_its_actions(desk_client, derm_client, dermatologist):
    mine = AppointmentFactory(
        dermatologist=dermatologist, status="checked_in", starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "09:30"),
    )  # fmt: skip
    url = reverse("scheduling:detail", args=[mine.pk])
    desk = desk_client.get(url).content.decode()
    derm = derm_client.get(url).content.decode()
    assert "Reschedule" in desk and "Cancel…" in desk
    assert "Start treatment" not in desk
    assert "Start treatment" in derm and "Complete visit" in derm
    assert "Reschedule" not in derm and "Cancel…" not in derm


def test_opening_an_appointment_is_written_to_the_access_log(desk_client, today_ten, front_desk):
    desk_client.get(reverse("scheduling:detail", args=[today_ten.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.patient, log.object_type) == (
        front_desk,
        today_ten.patient,
        "scheduling.Appointment",
    )


# --- calendar pages ---------------------------------------------------------------------------


def test_the_day_view_shows_today_by_default_with_a_column_per_dermatologist(
    desk_client, okafor, mensah, today_ten
):
    response = desk_client.get(reverse("scheduling:day"))
    page = response.context["page"]
    assert page.day == MONDAY
    assert [c.label for c in page.grid.columns] == ["Dr Kwame Mensah", "Dr Amara Okafor"]
    html = response.content.decode()
    assert 'class="appt appt-booked"' in html
    assert "Jane Smith" in html and "CROSS" in html
    assert 'aria-label="Check in Jane Smith"' in html
    assert "?date=2026-06-07" in html and "?date=2026-06-09" in html


def test_an_empty_slot_links_to_the_booking_form_for_that_time(desk_client, okafor):
    html = desk_client.get(reverse("scheduling:day"), {"date": "2026-06-09"}).content.decode()
    assert f"{BOOK}?dermatologist={okafor.pk}&amp;starts_at=2026-06-09T10%3A15" in html


def test_past_days_have_no_booking_links(desk_client, okafor):
    html = desk_client.get(reverse("scheduling:day"), {"date": "2026-06-05"}).content.decode()
    assert "slot-link" not in html


def test_a_dermatologist_sees_no_booking_links(derm_client, okafor):
    html = derm_client.get(reverse("scheduling:day")).content.decode()
    assert "slot-link" not in html
    assert "Check in" not in html


def test_cancelled_and_no_show_visits_are_listed_under_the_grid(desk_client, okafor):
    AppointmentFactory(
        dermatologist=okafor, status="cancelled", starts_at=at(MONDAY, "10:00"),
        ends_at=at(MONDAY, "10:30"),
    )  # fmt: skip
    response = desk_client.get(reverse("scheduling:day"))
    assert len(response.context["page"].off_grid) == 1
    assert not any(c.appointments for r in response.context["page"].grid.rows for c in r.cells)
    assert "Patient phoned to cancel" in response.content.decode()


@pytest.mark.parametrize("date", ["31/02", "2026-02-30", "9999-12-31", "0001-01-01"])
def test_an_invalid_or_absurd_date_falls_back_to_today(desk_client, date):
    assert desk_client.get(reverse("scheduling:day"), {"date": date}).context["day"] == MONDAY


def test_the_room_view_has_a_column_per_room_and_lists_visits_without_one(
    desk_client, okafor, room, other_room, today_ten
):
    RoomFactory(name="Closed room", active=False)
    no_room = AppointmentFactory(
        dermatologist=okafor, starts_at=at(MONDAY, "11:00"), ends_at=at(MONDAY, "11:30")
    )
    response = desk_client.get(reverse("scheduling:rooms"))
    page = response.context["page"]
    assert [c.label for c in page.grid.columns] == ["Room 1", "Room 2"]
    assert page.unassigned == [today_ten, no_room]  # today_ten has no room either


def test_the_week_view_shows_one_dermatologists_clinic_days(desk_client, okafor, mensah):
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(MONDAY, "10:00"), ends_at=at(MONDAY, "10:30")
    )
    saturday = MONDAY + dt.timedelta(days=5)
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(saturday, "10:00"), ends_at=at(saturday, "10:30")
    )
    AppointmentFactory(
        dermatologist=mensah, starts_at=at(TUESDAY, "10:00"), ends_at=at(TUESDAY, "10:30")
    )
    response = desk_client.get(reverse("scheduling:week", args=[okafor.pk]), {"date": "2026-06-10"})
    page = response.context["page"]
    assert [c.label for c in page.grid.columns] == [
        "Mon 08 Jun",
        "Tue 09 Jun",
        "Wed 10 Jun",
        "Thu 11 Jun",
        "Fri 12 Jun",
        "Sat 13 Jun",  # open only because something is booked
    ]
    assert page.appointment_count == 2
