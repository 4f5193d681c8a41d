import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PatientFactory
from treatments.models import TreatmentSession

pytestmark = [pytest.mark.browser]


def test_dermatologist_records_a_pregnancy_and_sees_the_peel_warning(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Maya", last_name="Okafor", fitzpatrick_type=2)
    sign_in(page, live_server, dermatologist.username)

    # The risk factors are recorded on the patient's record.
    page.goto(f"{live_server.url}/patients/{patient.pk}/edit/")
    page.get_by_label("Pregnancy or breastfeeding").select_option(label="Pregnant")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_pregnancy_status_recorded_on").locator("..")).to_contain_text(
        "Record the day pregnancy or breastfeeding was asked about."
    )
    page.get_by_label("Pregnancy status asked on").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Pregnant (recorded")).to_be_visible()

    # A salicylic acid peel now needs the strong warning acknowledged.
    page.get_by_role("link", name="Log session").click()
    page.get_by_label("Treatment consent confirmed").check()
    page.get_by_role("button", name="Chemical peel").click()
    peel = page.locator("section.procedure-card[data-modality=peel]")
    peel.get_by_label("Agent").select_option(label="Salicylic acid")
    peel.get_by_label("Concentration (%)").fill("30")
    peel.get_by_label("Forehead").check()
    page.get_by_role("button", name="Save session").click()

    warnings = page.locator("#safety-warnings")
    expect(warnings).to_contain_text("Patient is pregnant: a TCA or salicylic acid peel")
    assert TreatmentSession.objects.count() == 0
    warnings.get_by_role("checkbox").check()
    page.get_by_role("button", name="Save with these warnings acknowledged").click()
    expect(page.get_by_role("alert").first).to_contain_text("Next session due")
    assert TreatmentSession.objects.get().acknowledged_warnings.get().code == "pregnancy"
    assert console_errors == []
