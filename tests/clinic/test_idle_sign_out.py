"""Idle sign-out: the first request after DJANGO_IDLE_TIMEOUT_MINUTES without activity signs out;
background requests do not count as activity; the absolute session limit still applies."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from tests.conftest import client_for

START = dt.datetime(2026, 9, 14, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("production_idle_limit")


@pytest.fixture
def production_idle_limit(settings):
    settings.IDLE_TIMEOUT_MINUTES = 15
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as machine:
        yield machine


def test_activity_keeps_the_session_alive(front_desk, clock):
    client = client_for(front_desk)
    for _ in range(6):
        clock.shift(dt.timedelta(minutes=14))
        assert client.get("/patients/").status_code == 200


def test_the_next_request_after_the_idle_limit_signs_out_with_a_message(front_desk, clock):
    client = client_for(front_desk)
    assert client.get("/").status_code == 200

    clock.shift(dt.timedelta(minutes=15, seconds=1))
    response = client.get("/patients/?q=smith")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/patients/%3Fq%3Dsmith"
    page = client.get(response["Location"])
    assert b"signed out after a period of inactivity" in page.content
    # Signed out for good: coming back does not revive the session.
    assert client.get("/").status_code == 302


def test_an_idle_form_post_is_not_carried_out(front_desk, patient, clock):
    client = client_for(front_desk)
    clock.shift(dt.timedelta(minutes=20))

    response = client.post(f"/patients/{patient.pk}/edit/", {"first_name": "Changed"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    patient.refresh_from_db()
    assert patient.first_name != "Changed"


@override_settings(IDLE_TIMEOUT_MINUTES=30)
def test_the_limit_is_a_setting(front_desk, clock):
    client = client_for(front_desk)
    clock.shift(dt.timedelta(minutes=29))
    assert client.get("/").status_code == 200
    clock.shift(dt.timedelta(minutes=31))
    assert client.get("/").status_code == 302


def test_background_requests_do_not_extend_the_session(front_desk, clock):
    client = client_for(front_desk)
    for _ in range(3):
        clock.shift(dt.timedelta(minutes=5))
        # The app's own background calls mark themselves; health checks never count.
        assert client.get("/", headers={"X-Clinic-Background": "1"}).status_code == 200
        assert client.get("/healthz").status_code == 200

    clock.shift(dt.timedelta(minutes=1))
    assert client.get("/patients/").status_code == 302


def test_the_absolute_limit_applies_however_active_the_user_is(front_desk, clock):
    client = client_for(front_desk)
    for _ in range(8 * 6):
        clock.shift(dt.timedelta(minutes=10))
        client.get("/")
    clock.shift(dt.timedelta(minutes=1))

    response = client.get("/")

    assert response.status_code == 302
    assert b"Your session ended" in client.get(response["Location"]).content


def test_a_half_signed_in_session_also_times_out(clinic_admin, clock):
    client = client_for(clinic_admin, verified=False)
    assert client.get("/accounts/two-factor/").status_code == 200

    clock.shift(dt.timedelta(minutes=16))

    assert client.get("/accounts/two-factor/")["Location"].startswith("/accounts/login/")


def test_a_session_from_before_the_idle_clock_starts_it_on_its_next_request(front_desk, clock):
    client = client_for(front_desk)
    session = client.session
    del session["clinic_last_activity"], session["clinic_signed_in_at"]
    session.save()

    assert client.get("/").status_code == 200
    clock.shift(dt.timedelta(minutes=16))

    assert client.get("/").status_code == 302
