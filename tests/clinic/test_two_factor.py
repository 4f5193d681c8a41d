"""Two-factor sign-in: enrolment by QR code, the code step after the password, one-time codes,
recovery codes, who must use it, and the admin site's demand for a verified session."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.test import Client, RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.roles import Role
from clinic.two_factor import recovery_codes_issue
from tests.conftest import client_for
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
START = dt.datetime(2026, 9, 14, 9, 0, tzinfo=dt.UTC)


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as machine:
        yield machine


@pytest.fixture
def enrolled(dermatologist):
    """Alice with a confirmed authenticator and ten recovery codes."""
    device = TOTPDevice.objects.create(user=dermatologist, name="Phone", confirmed=True)
    codes = recovery_codes_issue(user=dermatologist)
    return dermatologist, device, codes


def test_enrolment_shows_a_qr_code_then_recovery_codes_once(derm_client, dermatologist, clock):
    page = derm_client.get("/accounts/two-factor/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and "<script" not in content.split("<main", 1)[1].split("</main")[0]
    device = TOTPDevice.objects.get(user=dermatologist)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url
    # A reload shows the same secret: a code already scanned stays valid.
    assert derm_client.get("/accounts/two-factor/").context["secret"] == page.context["secret"]

    response = derm_client.post("/accounts/two-factor/", {"code": code_for(device)})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert code in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=dermatologist).count() == 10
    # The page now shows the state, never the codes again.
    after = derm_client.get("/accounts/two-factor/")
    assert b"Recovery codes left: <strong>10</strong>" in after.content
    assert codes[0] not in after.content.decode()


def test_a_wrong_code_does_not_turn_two_factor_on(derm_client, dermatologist, clock):
    derm_client.get("/accounts/two-factor/")

    response = derm_client.post("/accounts/two-factor/", {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=dermatologist, confirmed=True).exists()


def test_the_account_menu_links_to_two_factor_sign_in(derm_client):
    assert b'href="/accounts/two-factor/"' in derm_client.get("/").content


def test_a_user_with_an_authenticator_is_asked_for_a_code_after_the_password(enrolled, clock):
    alice, device, _ = enrolled
    client = password_sign_in(alice)

    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fpatients%2F"
    assert client.get("/admin/").status_code == 302
    step = client.get("/accounts/two-factor/verify/?next=/patients/")
    assert step.status_code == 200
    assert b"Enter your sign-in code" in step.content
    assert b'href="/patients/"' not in step.content  # no way around the step

    done = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(device), "next": "/patients/"}
    )

    assert done.status_code == 302
    assert done["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_a_code_works_once(enrolled, clock):
    alice, device, _ = enrolled
    code = code_for(device)
    first = password_sign_in(alice)
    assert first.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302

    second = password_sign_in(alice)
    refused = second.post("/accounts/two-factor/verify/", {"code": code})

    assert refused.status_code == 200
    assert b"each works once" in refused.content
    assert second.get("/").status_code == 302

    # The next time step's code is accepted (after django-otp's one-second throttle).
    clock.shift(dt.timedelta(seconds=30))
    accepted = second.post("/accounts/two-factor/verify/", {"code": code_for(device)})
    assert accepted.status_code == 302
    assert second.get("/").status_code == 200


def test_a_recovery_code_works_once(enrolled, clock):
    alice, _, codes = enrolled
    first = password_sign_in(alice)
    assert first.post("/accounts/two-factor/verify/", {"code": codes[3].upper()}).status_code == 302
    assert first.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=alice).count() == 9

    clock.shift(dt.timedelta(minutes=1))
    second = password_sign_in(alice)
    refused = second.post("/accounts/two-factor/verify/", {"code": codes[3]})

    assert refused.status_code == 200
    assert second.get("/").status_code == 302


def test_repeated_wrong_codes_end_the_half_signed_in_session(enrolled, clock):
    alice, _, _ = enrolled
    client = password_sign_in(alice)

    for _ in range(4):
        assert client.post("/accounts/two-factor/verify/", {"code": "123456"}).status_code == 200
        clock.shift(dt.timedelta(minutes=1))
    response = client.post("/accounts/two-factor/verify/", {"code": "123456"}, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert b"Too many wrong codes" in response.content
    assert client.get("/").status_code == 302
    assert client.get("/").url.startswith("/accounts/login/")


def test_the_verify_step_does_not_redirect_off_site(enrolled, clock):
    alice, device, _ = enrolled
    client = password_sign_in(alice)

    response = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_a_clinic_admin_without_an_authenticator_is_sent_to_enrol(clinic_admin, clock):
    client = password_sign_in(clinic_admin)

    for url in ["/", "/patients/", "/admin/", "/accounts/password/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/?next="), url
    page = client.get("/accounts/two-factor/")
    assert b"Your role needs a second step" in page.content
    device = TOTPDevice.objects.get(user=clinic_admin, confirmed=False)

    client.post("/accounts/two-factor/", {"code": code_for(device)})

    assert client.get("/patients/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_clinic_admin_cannot_turn_two_factor_off(admin_client_, clinic_admin, clock):
    device = TOTPDevice.objects.get(user=clinic_admin)

    page = admin_client_.get("/accounts/two-factor/")
    assert b"cannot be turned off" in page.content
    admin_client_.post("/accounts/two-factor/", {"code": code_for(device)})

    assert TOTPDevice.objects.filter(user=clinic_admin).exists()


def test_front_desk_is_not_made_to_enrol(front_desk):
    client = password_sign_in(front_desk)

    assert client.get("/").status_code == 200
    assert client.get("/patients/").status_code == 200


def test_a_dermatologist_turns_two_factor_off_with_a_current_code(enrolled, clock):
    alice, device, _ = enrolled
    client = client_for(alice, verified=True)

    clock.shift(dt.timedelta(seconds=30))
    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert b"nothing was changed" in wrong.content
    clock.shift(dt.timedelta(seconds=30))
    client.post("/accounts/two-factor/", {"code": code_for(device)})

    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticToken.objects.filter(device__user=alice).exists()
    assert password_sign_in(alice).get("/").status_code == 200


def test_the_admin_site_refuses_a_session_without_a_second_factor(clinic_admin):
    TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    unverified = client_for(clinic_admin, verified=False)

    assert unverified.get("/admin/").status_code == 302
    assert unverified.get("/admin/patients/patient/").status_code == 302

    # The admin site's own check, whatever middleware runs before it.
    request = RequestFactory().get("/admin/")
    request.user = clinic_admin
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_the_admin_site_opens_for_a_verified_clinic_admin(admin_client_):
    assert admin_client_.get("/admin/").status_code == 200


def test_the_admin_login_form_is_not_a_way_around_the_clinic_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/patients/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/patients/"
    posted = client.post("/admin/login/", {"username": "a" * 300, "password": "x"})
    assert posted.status_code == 302


def test_a_signed_in_user_without_staff_access_gets_403_from_the_admin(derm_client):
    response = derm_client.get("/admin/login/")
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK])
def test_roles_without_admin_access_need_no_second_factor(db, role):
    user = UserFactory(role=role)
    assert password_sign_in(user).get("/").status_code == 200


def test_removing_a_clinic_admins_authenticator_sends_them_back_to_enrolment(
    admin_client_, clinic_admin
):
    assert admin_client_.get("/patients/").status_code == 200

    TOTPDevice.objects.filter(user=clinic_admin).delete()

    response = admin_client_.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_new_recovery_codes_replace_the_old_ones(enrolled, clock):
    alice, device, old_codes = enrolled
    client = client_for(alice, verified=True)

    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "action": "new-codes"}
    )

    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert b"the old ones no longer work" in response.content
    stored = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)


def test_new_recovery_codes_need_an_authenticator_code(enrolled, clock):
    alice, _, old_codes = enrolled
    client = client_for(alice, verified=True)

    response = client.post("/accounts/two-factor/", {"code": old_codes[0], "action": "new-codes"})

    assert b"nothing was changed" in response.content
    assert StaticToken.objects.filter(device__user=alice).count() == 10  # and none is spent
