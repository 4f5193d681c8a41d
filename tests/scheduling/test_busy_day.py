"""A clinic group's busy day: hundreds of cancellations and arrivals stay readable. The calendar
lists the first cancellations and counts the rest; the front desk's arrivals show the next ones
and how many in all. Neither costs an extra query."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.calendar import OFF_GRID_SHOWN
from scheduling.panels import ARRIVALS_SHOWN
from tests.scheduling.conftest import MONDAY, at
from tests.scheduling.factories import AppointmentFactory

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
    assert page.off_grid == cancelled
    assert page.off_grid_shown == cancelled[:OFF_GRID_SHOWN]
    html = response.content.decode()
    assert html.count("Patient phoned to cancel") == OFF_GRID_SHOWN
    assert "Show 5 more" in html and "cancelled=all" in html

    everything = desk_client.get(reverse("scheduling:day"), {"cancelled": "all"})
    assert everything.content.decode().count("Patient phoned to cancel") == len(cancelled)
    assert "Show 5 more" not in everything.content.decode()


def test_the_front_desk_sees_the_next_arrivals_and_how_many_in_all(desk_client, okafor):
    booked = visits(okafor, ARRIVALS_SHOWN + 4, "booked")
    response = desk_client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.name == "scheduling-arrivals")
    assert panel.context["appointments"] == booked[:ARRIVALS_SHOWN]
    assert (panel.context["total"], panel.context["more"]) == (len(booked), 4)
    html = response.content.decode()
    assert f"Today's arrivals ({len(booked)})" in html
    assert "4 more later today" in html
