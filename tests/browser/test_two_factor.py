import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from clinic.roles import Role
from tests.browser.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser]


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show for the secret typed from the page."""
    compact = secret.replace(" ", "")
    key = b32decode(compact + "=" * (-len(compact) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_clinic_admin_enrols_by_qr_code_then_signs_in_with_a_code(
    transactional_db, live_server, page, console_errors
):
    UserFactory(username="charlie", role=Role.CLINIC_ADMIN, is_staff=True)

    # The password alone leads to enrolment, not to the clinic.
    page.goto(f"{live_server.url}/patients/")
    page.get_by_label("Username").fill("charlie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("link", name="Patients")).to_have_count(0)
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()

    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Confirm and turn on").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()

    # Next sign-in: password, then a code (the next time step's, as the last one was used).
    page.get_by_label("Username").fill("charlie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Good")).to_be_visible()
    page.get_by_role("link", name="Admin").click()
    expect(page.get_by_text("Scar clinic administration")).to_be_visible()
    assert console_errors == []
