"""Admin pages: rooms are managed there; appointments are read-only there (they change on the
calendar, where the rules hold); nothing is deleted except by a superuser."""

import pytest
from django.urls import reverse

from scheduling.models import Room
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(okafor, smith, room):
    return AppointmentFactory(
        dermatologist=okafor, patient=smith, room=room,
        starts_at=at(MONDAY, "10:00"), ends_at=at(MONDAY, "10:30"),
    )  # fmt: skip


def test_clinic_admin_lists_appointments_with_filters_and_patient_search(
    admin_client_, appointment
):
    url = reverse("admin:scheduling_appointment_changelist")
    response = admin_client_.get(
        url, {"q": "Smith", "status__exact": "booked", "kind__exact": "cross"}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [appointment]
    filters = {spec.title.lower() for spec in response.context["cl"].filter_specs}
    assert {"status", "kind", "dermatologist", "starts at"} <= filters


def test_appointments_are_read_only_in_the_admin(admin_client_, appointment):
    assert admin_client_.get(reverse("admin:scheduling_appointment_add")).status_code == 403
    change = reverse("admin:scheduling_appointment_change", args=[appointment.pk])
    assert admin_client_.post(change, {"kind": "laser"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.kind == "cross"


def test_clinic_admin_adds_and_retires_rooms(admin_client_):
    admin_client_.post(reverse("admin:scheduling_room_add"), {"name": "Room 9", "active": "on"})
    room = Room.objects.get(name="Room 9")
    admin_client_.post(reverse("admin:scheduling_room_change", args=[room.pk]), {"name": "Room 9"})
    room.refresh_from_db()
    assert not room.active


@pytest.mark.parametrize("model", ["appointment", "room"])
def test_only_a_superuser_may_delete(admin_client_, appointment, model):
    obj = appointment if model == "appointment" else appointment.room
    url = reverse(f"admin:scheduling_{model}_delete", args=[obj.pk])
    assert admin_client_.get(url).status_code == 403
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(superuser).get(url).status_code == 200


def test_front_desk_has_no_admin(desk_client):
    response = desk_client.get(reverse("admin:scheduling_appointment_changelist"))
    assert response.status_code == 302  # staff only: sent to the admin sign-in
