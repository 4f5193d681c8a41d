"""The scar register on a tablet (820 x 1180, touch): place three scars by tapping the face map,
log a CROSS session on two of them by tapping their marks, mark one resolved, and see the colours
and the scar's history."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_tab, sign_in
from tests.factories import PatientFactory
from treatments.models import CrossProcedure, Scar

pytestmark = [pytest.mark.browser]

TABLET = {"width": 820, "height": 1180}
# Where to tap on the frontal view (drawn 240 x 312 CSS pixels): (fraction across, down).
TAPS = [(0.3, 0.55), (0.7, 0.55), (0.5, 0.2)]
RESOLVED = "#009e73"
ACTIVE = "#d55e00"


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(viewport=TABLET, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    context.close()


def test_place_treat_and_follow_scars_on_a_tablet(
    transactional_db, live_server, tablet, dermatologist
):
    page, console_errors = tablet
    patient = PatientFactory(first_name="Ines", last_name="Okafor", fitzpatrick_type=2)
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    open_tab(page, "Scar register")
    page.locator("#scars").get_by_role("link", name="Open and place scars").click()

    # Three taps, three scars: "Place on tap" is on, the type stays ice pick between taps.
    frontal = page.locator("svg[data-face-view=frontal]")
    for number, (x, y) in enumerate(TAPS, 1):
        box = frontal.bounding_box()
        frontal.tap(position={"x": box["width"] * x, "y": box["height"] * y})
        expect(page.get_by_role("alert").first).to_contain_text(f"Placed scar {number}")
        frontal = page.locator("svg[data-face-view=frontal]")
    expect(frontal.locator("a.scar-mark")).to_have_count(3)
    regions = dict(Scar.objects.values_list("number", "region"))
    assert regions == {1: "right_cheek", 2: "left_cheek", 3: "forehead"}

    # A CROSS session on scars 1 and 2, picked by tapping their marks: the count follows.
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Log session").click()
    page.get_by_label("Treatment consent confirmed").check()
    page.get_by_role("button", name="CROSS (TCA)").click()
    cross = page.locator("section.procedure-card[data-modality=cross]")
    cross.get_by_label("TCA concentration (%)").fill("100")
    cross.get_by_label("Applicator").select_option(label="Toothpick")
    scars = {s.number: s.pk for s in Scar.objects.all()}
    for number in (1, 2):
        cross.locator(f'.scar-mark[data-scar="{scars[number]}"]').tap()
    expect(cross.get_by_label("Number of scars treated")).to_have_value("2")
    expect(cross.locator(".scar-mark.picked")).to_have_count(2)
    page.get_by_role("button", name="Save session").click()
    warnings = page.locator("#safety-warnings")
    if warnings.count():
        for box in warnings.get_by_role("checkbox").all():
            box.check()
        page.get_by_role("button", name="Save with these warnings acknowledged").click()
    expect(page.get_by_role("alert").first).to_contain_text("Session saved")
    assert CrossProcedure.objects.get().scars_treated == 2

    # Scar 1 resolved, from its page (opened by tapping its mark on the chart).
    page.goto(f"{live_server.url}/patients/{patient.pk}/?tab=scars")
    page.locator("#scars").locator('a.scar-mark[data-number="1"]').tap()
    expect(page.locator("#scar-treatments")).to_contain_text("CROSS")
    page.get_by_label("Resolved").check()
    page.get_by_role("button", name="Record status").click()
    expect(page.locator("#scar-status")).to_have_text("Resolved")
    expect(page.locator("#scar-statuses li")).to_have_count(2)
    expect(page.locator("#scar-statuses")).to_contain_text("Placed")
    history = page.locator("#history-heading + ol")
    expect(history).to_contain_text("Resolved on")
    expect(history).to_contain_text("Treated: CROSS")

    # The colours: by status, then by number of treatments.
    page.get_by_role("link", name="Scar register").click()
    mark = 'a.scar-mark[data-number="{}"] circle'
    expect(page.locator(mark.format(1))).to_have_attribute("fill", RESOLVED)
    expect(page.locator(mark.format(2))).to_have_attribute("fill", ACTIVE)
    page.get_by_role("link", name="By number of treatments").click()
    expect(page.locator(mark.format(1))).to_have_attribute("fill", "#9ecae1")
    expect(page.locator(mark.format(3))).to_have_attribute("fill", "#bdbdbd")
    assert console_errors == []
