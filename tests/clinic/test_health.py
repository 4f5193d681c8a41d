from unittest import mock

from django.conf import settings
from django.db import OperationalError


def test_healthz_answers_200_without_sign_in_after_a_database_round_trip(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_favicon_ico_points_at_the_clinics_icon_without_sign_in(client, db):
    # The admin's pages name no icon, so browsers ask for /favicon.ico (a 404 in the console).
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert (settings.BASE_DIR / "static" / "favicon.svg").is_file()
