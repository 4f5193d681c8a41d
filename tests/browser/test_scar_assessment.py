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


def test_dlqi_item_7_prefilled_counts_and_an_acknowledged_contradiction(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Ines", last_name="Marsh")
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Record assessment").click()
    page.get_by_label("Date assessed").fill((dt.date.today() - dt.timedelta(days=3)).isoformat())

    # Counts entered once: the ice pick total fills Goodman & Baron group C...
    ice_pick_gb = page.locator("#id_gb_punched_out_deep_abnormal_base")
    page.get_by_label("Left cheek, Ice pick (V-shaped, < 2 mm)").fill("8")
    page.get_by_label("Right cheek, Ice pick (V-shaped, < 2 mm)").fill("4")
    expect(ice_pick_gb).to_have_value("12")
    # ...until the dermatologist types their own count, which the grid no longer changes...
    ice_pick_gb.fill("10")
    page.get_by_label("Right cheek, Ice pick (V-shaped, < 2 mm)").fill("5")
    expect(ice_pick_gb).to_have_value("10")
    # ...and clearing it makes it follow the grid again.
    ice_pick_gb.fill("")
    page.get_by_label("Nose, Ice pick (V-shaped, < 2 mm)").fill("1")
    expect(ice_pick_gb).to_have_value("14")
    # Boxcar scars are not copied: their subtype depends on depth.
    page.get_by_label("Forehead, Boxcar (U-shaped, 2-4 mm)").fill("6")
    expect(page.locator("#id_gb_punched_out_shallow_small")).to_have_value("")

    # Grade 1 (macular) with ice pick scars: a contradiction to acknowledge.
    page.get_by_label("Grade 1").check()

    # DLQI as the questionnaire asks it: answers in words with their scores.
    dlqi = page.locator("#dlqi")
    expect(dlqi).to_contain_text("Very much (3)")
    expect(dlqi).to_contain_text("this must not be copied without the permission of the authors")
    for item in (1, 2, 3, 4, 5, 8, 9, 10):
        page.locator(f"input[name='dlqi_{item}'][value='a_little']").check()
    page.locator("input[name='dlqi_6'][value='not_relevant']").check()
    # Item 7: "yes" needs no second part; "no" asks how much of a problem.
    prevented = page.get_by_role("radiogroup", name="7. Work or study: prevented from working")
    problem = page.get_by_role("radiogroup", name="If no: how much of a problem").get_by_label(
        "A little (1)"
    )
    prevented.get_by_label("Yes (3)").check()
    expect(problem).to_be_disabled()
    prevented.get_by_label("No", exact=True).check()
    expect(problem).to_be_enabled()
    problem.check()

    page.get_by_role("button", name="Save assessment").click()
    warnings = page.locator("#assessment-warnings")
    expect(warnings).to_contain_text("Check before saving")
    expect(warnings).to_contain_text("grade 1 (macular)")
    assert ScarAssessment.objects.filter(patient=patient).count() == 0
    # The entries survived the round trip, item 7's second part included.
    expect(problem).to_be_checked()
    expect(ice_pick_gb).to_have_value("14")

    page.get_by_label("I have checked this", exact=False).check()
    page.get_by_role("button", name="Save with these warnings acknowledged").click()
    expect(page.get_by_role("alert").first).to_contain_text("Assessment saved")

    assessment = ScarAssessment.objects.get(patient=patient)
    # Eight items "a little" (8), sport not relevant (0), item 7 no + a little (1): 9.
    assert assessment.dlqi_score == 9
    assert (assessment.dlqi_7, assessment.dlqi_7_problem) == ("no", "a_little")
    assert assessment.gb_punched_out_deep_abnormal_base == 14
    assert [w["code"] for w in assessment.acknowledged_warnings] == [
        "grade_macular_with_atrophic_scars"
    ]

    page.locator(f"#assessments-table tr[data-assessment='{assessment.pk}']").get_by_role(
        "link", name="Open"
    ).click()
    expect(page.locator("#acknowledged-warnings")).to_contain_text("grade 1 (macular)")
    expect(page.get_by_text("DLQI 9 / 30 (moderate effect)")).to_be_visible()
    expect(page.locator("#dlqi-bands-source")).to_contain_text("J Invest Dermatol 2005")
    assert console_errors == []
