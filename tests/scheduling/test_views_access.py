"""Who may open each calendar page, in the order anonymous (sign-in), wrong role (403), right role
(200, or 302 after a POST). Users: alice (dermatologist), bob (front desk), charlie (clinic admin)
and dave (signed in, no role). Every URL in scheduling/urls.py is listed except the iCalendar
feed itself, which needs no sign-in and is tested in test_feed.py."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.roles import Role
from scheduling.models import Appointment
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

ROUTES = [
    ("day", "get"),
    ("rooms", "get"),
    ("week", "get"),
    ("book", "get"),
    ("series", "get"),
    ("detail", "get"),
    ("reschedule", "get"),
    ("cancel", "get"),
    ("check_in", "post"),
    ("no_show", "post"),
    ("progress", "post"),
    ("feed", "get"),
]

ROLE_CLIENTS = {
    Role.DERMATOLOGIST: "derm_client",
    Role.FRONT_DESK: "desk_client",
    Role.CLINIC_ADMIN: "admin_client_",
}

# Written out by hand from the role table. Dermatologists view the calendar and move their own
# visits along; front desk runs the calendar but never sets clinical progress; admins do all.
EXPECTED = {
    Role.DERMATOLOGIST: {
        "day": 200,
        "rooms": 200,
        "week": 200,
        "book": 403,
        "series": 403,
        "detail": 200,
        "reschedule": 403,
        "cancel": 403,
        "check_in": 403,
        "no_show": 403,
        "progress": 302,  # alice's own appointment
        "feed": 200,
    },
    Role.FRONT_DESK: {
        "day": 200,
        "rooms": 200,
        "week": 200,
        "book": 200,
        "series": 200,
        "detail": 200,
        "reschedule": 200,
        "cancel": 200,
        "check_in": 302,
        "no_show": 302,
        "progress": 403,
        "feed": 403,
    },
    Role.CLINIC_ADMIN: {
        "day": 200,
        "rooms": 200,
        "week": 200,
        "book": 200,
        "series": 200,
        "detail": 200,
        "reschedule": 200,
        "cancel": 200,
        "check_in": 302,
        "no_show": 302,
        "progress": 302,
        "feed": 403,  # takes no appointments, so has no feed
    },
}


@pytest.fixture
def appointment(dermatologist):
    return AppointmentFactory(
        dermatologist=dermatologist,
        starts_at=at(MONDAY, "10:00"),
        ends_at=at(MONDAY, "10:30"),
        status="checked_in",
    )


def url_for(name: str, appointment: Appointment) -> str:
    if name in {"day", "rooms", "book", "series", "feed"}:
        return reverse(f"scheduling:{name}")
    if name == "week":
        return reverse("scheduling:week", args=[appointment.dermatologist_id])
    return reverse(f"scheduling:{name}", args=[appointment.pk])


def call(client: Client, method: str, url: str):
    return client.post(url, {"to": "in_treatment"}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_anonymous_is_sent_to_sign_in(client, appointment, name, method):
    url = url_for(name, appointment)
    response = call(client, method, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Appointment.objects.get().status == "checked_in"


@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_a_user_without_a_role_is_refused(appointment, name, method):
    dave = client_for(UserFactory(username="dave"))
    assert call(dave, method, url_for(name, appointment)).status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name.lower())
@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_each_role_gets_what_the_role_table_allows(request, appointment, role, name, method):
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    assert call(client, method, url_for(name, appointment)).status_code == EXPECTED[role][name]


def test_a_dermatologist_may_not_move_a_colleagues_visit_along(derm_client, appointment):
    colleague = UserFactory(role=Role.DERMATOLOGIST)
    theirs = AppointmentFactory(
        dermatologist=colleague,
        starts_at=at(MONDAY, "11:00"),
        ends_at=at(MONDAY, "11:30"),
        status="checked_in",
    )
    response = derm_client.post(
        reverse("scheduling:progress", args=[theirs.pk]), {"to": "in_treatment"}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "checked_in"


def test_a_refused_role_learns_nothing_about_missing_ids(desk_client, derm_client):
    assert desk_client.post(reverse("scheduling:progress", args=[999_999])).status_code == 403
    assert derm_client.get(reverse("scheduling:reschedule", args=[999_999])).status_code == 403
    assert derm_client.get(reverse("scheduling:detail", args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", ["check_in", "no_show", "progress"])
def test_status_changes_answer_only_post(admin_client_, appointment, name):
    assert admin_client_.get(url_for(name, appointment)).status_code == 405
