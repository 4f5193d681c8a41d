"""Query budgets: the calendar pages cost the same number of queries for a quiet day and a full
one. Each expected query is named, so a new one is a visible diff here."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.roles import Role
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory, RoomFactory

pytestmark = pytest.mark.django_db

DAY_VIEW_QUERIES = 7
# 1. django_session: load the session
# 2. auth_user: the signed-in user with the user's own and the role's permissions and the role
#    badge's group names folded into one column (clinic/auth_backend.py)
# 3. auth_user: the dermatologists, one column each
# 4. scheduling_calendarchange: the day's version (visits.calendar_version)
# 5. scheduling_appointment JOIN patients_patient, scheduling_room: the day's visits that hold
#    their slot, named from 3
# 6. the same for the first cancelled and no-show visits (all, on request)
# 7. scheduling_appointment: how many cancelled and no-show visits each dermatologist has that
#    day (the total, and their columns)
KEPT_QUERIES = 3
# The same page again, the day unchanged: 5-7 are not read again (visits._KEPT).

ROOM_VIEW_QUERIES = 7
# The same, with 3. scheduling_room: every room, and counting cancellations per room.

WEEK_VIEW_QUERIES = 8
# 1-2. session, and the user with permissions and role, as above
# 3. auth_user: the dermatologist whose week it is (access helper)
# 4. scheduling_calendarchange: the week's version
# 5-7. scheduling_appointment JOIN patient, room: their visits that week, as in the day view
#    (those holding a slot, the first cancelled, the cancelled per day)
# 8. auth_user: the dermatologists, for the switcher above the grid

DERMATOLOGISTS = 4


def _without_tokens(response) -> str:
    """The page as a person reads it: the CSRF token and the script nonce change every time."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def fill_the_day(count: int) -> list:
    """`count` visits on Monday shared by four dermatologists in four rooms, back to back; a
    few are cancelled or missed (listed under the grid), the rest are in the grid."""
    doctors = [UserFactory(role=Role.DERMATOLOGIST) for _ in range(DERMATOLOGISTS)]
    rooms = [RoomFactory(name=f"Room {n}") for n in range(1, DERMATOLOGISTS + 1)]
    patients = PatientFactory.create_batch(min(count, 20))
    visits = []
    for n in range(count):
        slot, column = divmod(n, DERMATOLOGISTS)
        start = at(MONDAY, "08:00") + dt.timedelta(minutes=15 * slot)
        status = ["booked", "checked_in", "completed", "no_show", "booked", "cancelled"][n % 6]
        visits.append(
            AppointmentFactory(
                dermatologist=doctors[column],
                room=rooms[column],
                patient=patients[n % len(patients)],
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=15),
                status=status,
            )
        )
    return visits


# 80 visits have 26 cancelled or missed: more than the page lists unless asked for all.
@pytest.mark.parametrize(("appointments", "everything"), [(5, ""), (80, ""), (80, "all")])
def test_day_view_query_count_is_flat_from_5_to_80_appointments(
    desk_client, django_assert_num_queries, appointments, everything
):
    fill_the_day(appointments)

    with django_assert_num_queries(DAY_VIEW_QUERIES):
        response = desk_client.get(reverse("scheduling:day"), {"cancelled": everything})
    with django_assert_num_queries(DAY_VIEW_QUERIES - KEPT_QUERIES):
        again = desk_client.get(reverse("scheduling:day"), {"cancelled": everything})

    assert response.status_code == 200
    assert response.context["page"].appointment_count == appointments
    assert response.content.decode().count('class="appt appt-') == appointments - sum(
        1 for n in range(appointments) if n % 6 in (3, 5)
    )
    assert _without_tokens(again) == _without_tokens(response)


@pytest.mark.parametrize(("appointments", "everything"), [(5, ""), (80, ""), (80, "all")])
def test_room_view_query_count_is_flat(
    desk_client, django_assert_num_queries, appointments, everything
):
    fill_the_day(appointments)

    with django_assert_num_queries(ROOM_VIEW_QUERIES):
        response = desk_client.get(reverse("scheduling:rooms"), {"cancelled": everything})
    with django_assert_num_queries(ROOM_VIEW_QUERIES - KEPT_QUERIES):
        again = desk_client.get(reverse("scheduling:rooms"), {"cancelled": everything})

    assert len(response.context["page"].grid.columns) == DERMATOLOGISTS
    assert _without_tokens(again) == _without_tokens(response)


@pytest.mark.parametrize(("appointments", "everything"), [(4, ""), (80, ""), (80, "all")])
def test_week_view_query_count_is_flat(
    desk_client, django_assert_num_queries, appointments, everything
):
    visits = fill_the_day(appointments)
    doctor = visits[0].dermatologist

    with django_assert_num_queries(WEEK_VIEW_QUERIES):
        response = desk_client.get(
            reverse("scheduling:week", args=[doctor.pk]), {"cancelled": everything}
        )
    with django_assert_num_queries(WEEK_VIEW_QUERIES - KEPT_QUERIES):
        again = desk_client.get(
            reverse("scheduling:week", args=[doctor.pk]), {"cancelled": everything}
        )
    assert _without_tokens(again) == _without_tokens(response)

    assert response.context["page"].appointment_count == len(
        [v for v in visits if v.dermatologist == doctor]
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_chart_panel_costs_one_query_however_many_appointments(desk_client, okafor):
    # Relative, not absolute: the chart's total also depends on other apps' panels.
    patient = PatientFactory()
    url = reverse("patients:detail", args=[patient.pk])
    without = count_queries(desk_client, url)
    for week in range(-10, 20):
        day = MONDAY + dt.timedelta(weeks=week)
        AppointmentFactory(
            dermatologist=okafor,
            patient=patient,
            starts_at=at(day, "10:00"),
            ends_at=at(day, "10:30"),
        )
    assert count_queries(desk_client, url) == without


@pytest.mark.parametrize("client_fixture", ["desk_client", "derm_client"])
def test_the_dashboard_panels_cost_the_same_for_a_full_day(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    quiet = count_queries(client, reverse("dashboard"))
    fill_the_day(40)
    doctor = request.getfixturevalue("dermatologist")
    for n in range(6):
        start = at(MONDAY, "15:00") + dt.timedelta(minutes=15 * n)
        AppointmentFactory(
            dermatologist=doctor, starts_at=start, ends_at=start + dt.timedelta(minutes=15)
        )
    assert count_queries(client, reverse("dashboard")) == quiet
