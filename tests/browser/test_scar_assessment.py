import datetime as dt

import pytest
from playwright.sync_api import expect

from patients.models import ScarAssessment
from tests.browser.conftest import sign_in
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser]


def record(page, *, day: dt.date, ice_pick_left_cheek: str, grade: str) -> None:
    page.get_by_role("link", name="Record assessment").click()
    page.get_by_label("Date assessed").fill(day.isoformat())
    page.get_by_label("Left cheek, Ice pick (V-shaped, < 2 mm)").fill(ice_pick_left_cheek)
    page.get_by_label("Chin, Rolling (M-shaped, > 4 mm)").fill("25")
    page.get_by_label("Forehead, Boxcar (U-shaped, 2-4 mm)").fill("4")
    page.get_by_label(grade).check()
    page.get_by_role("button", name="Save assessment").click()


def test_dermatologist_records_two_assessments_and_sees_the_trend(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Rosa", last_name="Quill")
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.get_by_text("No assessments yet")).to_be_visible()

    # The grid's live preview: 12 ice pick (30) + 25 rolling (75) + 4 boxcar (20) = 125.
    page.get_by_role("link", name="Record assessment").click()
    page.get_by_label("Left cheek, Ice pick (V-shaped, < 2 mm)").fill("12")
    page.get_by_label("Chin, Rolling (M-shaped, > 4 mm)").fill("25")
    page.get_by_label("Forehead, Boxcar (U-shaped, 2-4 mm)").fill("4")
    expect(page.locator("#ecca-preview")).to_have_text("125")
    page.go_back()

    today = dt.date.today()
    record(page, day=today - dt.timedelta(days=120), ice_pick_left_cheek="12", grade="Grade 4")
    expect(page.get_by_role("alert").first).to_contain_text("ECCA 125")
    record(page, day=today - dt.timedelta(days=14), ice_pick_left_cheek="3", grade="Grade 3")
    expect(page.get_by_role("alert").first).to_contain_text("ECCA 110")

    table = page.locator("#assessments-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("baseline")
    expect(table.locator("tbody tr").nth(1).locator(".score-ecca")).to_contain_text("110")
    expect(table.locator("tbody tr").nth(1).locator(".score-ecca")).to_contain_text("-15 (-12%)")
    ecca_panel = page.locator("svg[data-panel='1']")
    expect(ecca_panel).to_be_visible()
    expect(ecca_panel.locator("circle")).to_have_count(2)
    expect(ecca_panel.locator("title").first).to_contain_text("ECCA (0-540) by assessment date")
    assert ScarAssessment.objects.filter(patient=patient).count() == 2
    assert console_errors == []
