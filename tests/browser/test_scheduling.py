"""The front desk's morning on the calendar: book from an empty slot, try to move the visit into
a taken slot (refused, with the clash named), check the patient in."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from clinic.roles import Role
from scheduling.models import Appointment
from tests.browser.conftest import sign_in
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.factories import AppointmentFactory

pytestmark = [pytest.mark.browser]

LONDON = ZoneInfo("Europe/London")
# A Monday morning, ticking: the live server and the checks run on the clinic's clock.
MORNING = dt.datetime(2026, 6, 8, 8, 30, tzinfo=LONDON)


@pytest.fixture
def monday_morning(settings):
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(MORNING, tick=True):
        yield


def test_front_desk_books_is_refused_a_clashing_move_and_checks_the_patient_in(
    transactional_db, live_server, page, console_errors, front_desk, monday_morning
):
    okafor = UserFactory(
        username="amara", first_name="Amara", last_name="Okafor", role=Role.DERMATOLOGIST
    )
    patient = PatientFactory(first_name="Imogen", last_name="Thistlewood")
    AppointmentFactory(
        dermatologist=okafor,
        patient=PatientFactory(first_name="Jo", last_name="Khan"),
        starts_at=dt.datetime(2026, 6, 8, 11, 0, tzinfo=LONDON),
        ends_at=dt.datetime(2026, 6, 8, 11, 30, tzinfo=LONDON),
        kind="laser",
    )
    sign_in(page, live_server, front_desk.username)

    # Book: an empty slot on today's calendar opens the form with dermatologist and time filled.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="Monday 8 June 2026")).to_be_visible()
    page.get_by_role("link", name="Book Dr Amara Okafor, Mon 8 Jun at 10:00").click()
    expect(page.locator("#id_start")).to_have_value("10:00")
    page.get_by_label("Find a patient").fill("Thistlewood")
    page.get_by_role("button", name="Find").click()
    page.locator("#id_patient").select_option(str(patient.pk))
    page.locator("#id_kind").select_option("cross")
    page.get_by_role("button", name="Book appointment").click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "Booked Imogen Thistlewood with Dr Amara Okafor, Mon 08 Jun 10:00-10:30 (CROSS)"
    )
    block = page.locator(".appt", has_text="Imogen Thistlewood")
    expect(block).to_contain_text("Booked")

    # Reschedule into Jo Khan's laser session: refused, with the clash named, nothing moved.
    block.get_by_role("link").first.click()
    page.get_by_role("link", name="Reschedule").click()
    page.locator("#id_start").fill("11:00")
    page.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(
        "Dr Amara Okafor is already booked 11:00-11:30 with J. Khan (Laser)."
    )
    booked = Appointment.objects.get(patient=patient)
    assert booked.local_starts_at.time() == dt.time(10, 0)

    # Check in from the calendar: one click on the block.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    page.get_by_role("button", name="Check in Imogen Thistlewood").click()
    expect(page.get_by_role("alert").first).to_contain_text("Checked in: Imogen Thistlewood")
    expect(page.locator(".appt", has_text="Imogen Thistlewood")).to_contain_text("Checked in")
    booked.refresh_from_db()
    assert booked.status == "checked_in"
    assert console_errors == []
