import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_tab, sign_in
from tests.factories import PatientFactory
from treatments.models import TreatmentSession

pytestmark = [pytest.mark.browser]


def test_dermatologist_logs_cross_with_subcision_and_acknowledges_the_skin_type_warning(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Noor", last_name="Haddad", fitzpatrick_type=5)
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Log session").click()

    page.get_by_label("Treatment consent confirmed").check()
    page.get_by_role("button", name="CROSS (TCA)").click()
    cross = page.locator("section.procedure-card[data-modality=cross]")
    cross.get_by_label("TCA concentration (%)").fill("100")
    cross.get_by_label("Applicator").select_option(label="Sharpened wooden stick")
    cross.get_by_label("Left cheek").check()
    cross.get_by_label("Number of scars treated").fill("14")
    cross.get_by_label("Frost reached").check()

    page.get_by_role("button", name="Subcision").click()
    sub = page.locator("section.procedure-card[data-modality=subcision]")
    sub.get_by_label("Instrument").select_option(label="Nokor needle")
    sub.get_by_label("Right cheek").check()
    page.get_by_role("button", name="Save session").click()

    warnings = page.locator("#safety-warnings")
    expect(warnings).to_contain_text("Fitzpatrick type V with CROSS with TCA above 40 %")
    assert TreatmentSession.objects.count() == 0
    warnings.get_by_role("checkbox").check()
    page.get_by_role("button", name="Save with these warnings acknowledged").click()

    due = (dt.date.today() + dt.timedelta(days=28)).strftime("%d %b %Y")
    expect(page.get_by_role("alert").first).to_contain_text(f"Next session due {due}")
    page.get_by_role("link", name="Noor Haddad").click()
    # The chart's summary: the latest session and when the next is due.
    latest = page.locator("[data-panel=latest-session]")
    expect(latest.locator("[data-next-session-due]")).to_contain_text(due.lstrip("0"))
    expect(latest).to_contain_text("CROSS (TCA), Subcision")
    open_tab(page, "Treatments")
    timeline = page.locator("#treatments")
    expect(timeline.locator("[data-next-session-due]")).to_contain_text(due.lstrip("0"))
    expect(timeline).to_contain_text("CROSS (TCA): TCA 100 %, Sharpened wooden stick, 14 scars")
    expect(timeline).to_contain_text("Subcision: Nokor needle, Right cheek")
    session = TreatmentSession.objects.get()
    assert session.acknowledged_warnings.get().code == "pih_skin_type"
    assert console_errors == []
