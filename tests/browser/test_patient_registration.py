import pytest
from playwright.sync_api import expect

from patients.models import Patient
from tests.browser.conftest import sign_in
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser]


def test_front_desk_registers_finds_and_opens_a_patient(
    transactional_db, live_server, page, console_errors, front_desk
):
    PatientFactory(first_name="Other", last_name="Person")
    sign_in(page, live_server, front_desk.username)

    page.get_by_role("link", name="New patient").first.click()
    page.get_by_label("First name").fill("Imogen")
    page.get_by_label("Last name").fill("Thistlewood")
    page.get_by_label("Date of birth").fill("1994-03-14")
    page.get_by_label("Phone", exact=True).fill("07700 900461")
    # The skin and acne history is the dermatologist's: front desk is not asked for it.
    expect(page.get_by_label("Fitzpatrick skin type")).to_have_count(0)
    page.get_by_role("button", name="Register patient").click()

    expect(page.get_by_role("alert").first).to_contain_text("Registered Imogen Thistlewood")
    mrn = Patient.objects.get(last_name="Thistlewood").mrn
    expect(page.get_by_text(f"MRN {mrn}", exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    page.get_by_role("searchbox").fill("900461")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 patient matching")).to_be_visible()
    expect(page.get_by_role("link", name="Person, Other")).to_have_count(0)
    page.get_by_role("link", name="Thistlewood, Imogen").click()

    expect(page.get_by_role("heading", name="Imogen Thistlewood")).to_be_visible()
    expect(page.get_by_text("Demographics and contact")).to_be_visible()
    # Front desk sees contact details only, never the clinical history.
    expect(page.get_by_text("Skin and acne history")).to_have_count(0)
    assert console_errors == []


def test_dermatologist_sees_safety_flags_and_signs_out(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(allergies="Lidocaine", active_acne=True, fitzpatrick_type=5)
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")

    expect(page.locator("[data-flag=allergies]")).to_contain_text("Lidocaine")
    expect(page.locator("[data-flag=active_acne]")).to_be_visible()
    expect(page.locator("[data-flag=pih_risk]")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    assert console_errors == []
