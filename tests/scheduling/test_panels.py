"""What the chart and the dashboard show of the calendar, to whom."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(smith, okafor):
    """Jane Smith: two past visits, one today and one next month."""

    def visit(day, hhmm, **extra):
        return AppointmentFactory(
            patient=smith,
            dermatologist=okafor,
            starts_at=at(day, hhmm),
            ends_at=at(day, hhmm) + dt.timedelta(minutes=30),
            **extra,
        )

    return {
        "old": visit(MONDAY - dt.timedelta(weeks=8), "10:00", status="completed"),
        "missed": visit(MONDAY - dt.timedelta(weeks=4), "11:00", status="no_show"),
        "today": visit(MONDAY, "14:00"),
        "next": visit(MONDAY + dt.timedelta(weeks=4), "09:30", kind="laser"),
    }


def chart(client, patient):
    return client.get(reverse("patients:detail", args=[patient.pk]))


def test_the_chart_lists_upcoming_and_past_appointments(desk_client, smith, history):
    response = chart(desk_client, smith)
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-appointments")
    assert panel.context["upcoming"] == [history["today"], history["next"]]
    assert panel.context["past"] == [history["missed"], history["old"]]
    html = response.content.decode()
    assert "Mon 6 Jul 2026 09:30-10:00" in html
    assert "No-show" in html


def test_front_desk_gets_a_book_appointment_link_prefilled_with_the_patient(desk_client, smith):
    html = chart(desk_client, smith).content.decode()
    assert f'href="{reverse("scheduling:book")}?patient={smith.pk}"' in html


def test_a_dermatologist_sees_appointments_but_no_book_link(derm_client, smith, history):
    html = chart(derm_client, smith).content.decode()
    assert 'data-panel="appointments"' in html
    assert "Book appointment" not in html


def test_an_archived_patient_cannot_be_booked_from_the_chart(desk_client, smith, clinic_admin):
    smith.archive(by=clinic_admin, reason="Duplicate registration")
    assert "Book appointment" not in chart(desk_client, smith).content.decode()


def test_the_panel_needs_the_view_appointment_permission(smith):
    dave = UserFactory(username="dave")  # may open charts, has no calendar permission
    dave.user_permissions.add(Permission.objects.get(codename="view_patient"))
    html = chart(client_for(dave), smith).content.decode()
    assert 'data-panel="appointments"' not in html


def test_the_dermatologists_dashboard_shows_their_own_day_with_next_steps(
    derm_client, dermatologist, okafor
):
    mine = AppointmentFactory(
        dermatologist=dermatologist, status="checked_in", starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "09:30"),
    )  # fmt: skip
    AppointmentFactory(
        dermatologist=okafor, starts_at=at(MONDAY, "09:00"), ends_at=at(MONDAY, "09:30")
    )
    AppointmentFactory(
        dermatologist=dermatologist,
        starts_at=at(MONDAY + dt.timedelta(days=1), "09:00"),
        ends_at=at(MONDAY + dt.timedelta(days=1), "09:30"),
    )
    response = derm_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-my-day")
    assert panel.context["appointments"] == [mine]
    html = response.content.decode()
    assert "Your appointments today (1)" in html
    assert "Start treatment" in html
    assert "Today&#x27;s arrivals" not in html


def test_the_dermatologists_day_counts_cancelled_and_no_show_visits_instead_of_listing_them(
    derm_client, dermatologist
):
    def visit(hhmm, status):
        return AppointmentFactory(
            dermatologist=dermatologist, status=status, starts_at=at(MONDAY, hhmm),
            ends_at=at(MONDAY, hhmm[:3] + "20"),
        )  # fmt: skip

    coming = visit("09:00", "booked")
    visit("10:00", "cancelled")
    visit("11:00", "cancelled")
    visit("12:00", "no_show")
    response = derm_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-my-day")
    assert panel.context["appointments"] == [coming]
    html = response.content.decode()
    assert "Your appointments today (1)" in html
    assert html.count("data-appointment=") == 1
    assert "Not coming: 2 cancelled, 1 no-show." in html
    assert f'href="{reverse("scheduling:week", args=[dermatologist.pk])}">See them' in html


def test_the_dermatologists_day_links_to_the_chart_and_escapes_names(derm_client, dermatologist):
    visit = AppointmentFactory(
        dermatologist=dermatologist, status="in_treatment", starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "09:30"), patient__first_name="<Ann>",
    )  # fmt: skip
    html = derm_client.get(reverse("dashboard")).content.decode()
    assert f'<a href="/patients/{visit.patient_id}/">&lt;Ann&gt; ' in html
    assert "<Ann>" not in html
    assert "Complete visit" in html and "Start treatment" not in html
    assert html.count('name="csrfmiddlewaretoken"') >= 1


def test_the_front_desk_dashboard_lists_arrivals_with_one_click_check_in(
    desk_client, okafor, smith
):
    waiting = AppointmentFactory(
        dermatologist=okafor, patient=smith, starts_at=at(MONDAY, "10:00"),
        ends_at=at(MONDAY, "10:30"),
    )  # fmt: skip
    here = AppointmentFactory(
        dermatologist=okafor, status="checked_in", starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "09:30"),
    )  # fmt: skip
    AppointmentFactory(
        dermatologist=okafor, status="cancelled", starts_at=at(MONDAY, "11:00"),
        ends_at=at(MONDAY, "11:30"),
    )  # fmt: skip
    response = desk_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-arrivals")
    assert panel.context["appointments"] == [here, waiting]
    html = response.content.decode()
    assert html.count('aria-label="Check in ') == 1
    assert f'action="{reverse("scheduling:check_in", args=[waiting.pk])}"' in html
    assert "Your appointments today" not in html

    desk_client.post(
        reverse("scheduling:check_in", args=[waiting.pk]), {"next": reverse("dashboard")}
    )
    waiting.refresh_from_db()
    assert waiting.status == "checked_in"
