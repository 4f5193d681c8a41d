import pytest
from django.test import override_settings

from tests.conftest import client_for

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("url", ["/", "/patients/", "/accounts/password/", "/patients/1/"])
def test_anonymous_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_sign_in_page_is_public_and_styled(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Staff sign-in" in response.content
    assert b"/static/vendor/bootstrap/css/bootstrap.min.css" in response.content


def test_staff_sign_in_lands_on_today(client, front_desk):
    response = client.post(
        "/accounts/login/", {"username": front_desk.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    assert b"Front desk" in response.content  # the role badge


def test_sign_out_needs_post(front_desk):
    client = client_for(front_desk)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_page_is_available_to_every_role(dermatologist, front_desk):
    for user in (dermatologist, front_desk):
        assert client_for(user).get("/accounts/password/").status_code == 200


def test_refused_request_gets_the_clinic_403_page(desk_client, patient):
    response = desk_client.post(f"/patients/{patient.pk}/archive/")
    assert response.status_code == 403
    assert b"Your role cannot open this page" in response.content


def test_navigation_shows_only_what_the_role_may_open(desk_client, admin_client_):
    assert b'href="/admin/"' not in desk_client.get("/").content
    assert b'href="/admin/"' in admin_client_.get("/").content


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_sign_ins_lock_the_account_out(client, front_desk):
    for _ in range(3):
        client.post("/accounts/login/", {"username": front_desk.username, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": front_desk.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content


def test_responses_carry_a_strict_content_security_policy(desk_client):
    policy = desk_client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
