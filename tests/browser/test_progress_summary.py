import datetime as dt
import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_tab, sign_in
from tests.factories import PatientFactory
from tests.treatments.factories import (
    AdverseEventFactory,
    ClinicalPhotoFactory,
    TopicalRegimenFactory,
)
from tests.treatments.test_progress_views import history

pytestmark = [pytest.mark.browser]

PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def test_progress_timeline_and_one_page_summary_printed_to_pdf(
    transactional_db, live_server, page, console_errors, dermatologist, tmp_path
):
    patient = PatientFactory(first_name="Lena", last_name="Marsh")
    sessions = history(patient, dermatologist, sessions=6, start=dt.date(2025, 9, 1))
    AdverseEventFactory(session=sessions[0], event_type="pih")
    AdverseEventFactory(session=sessions[3])
    TopicalRegimenFactory(patient=patient)
    ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2025, 9, 1))
    ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 3, 1))
    sign_in(page, live_server, dermatologist.username)

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    open_tab(page, "Progress")
    timeline = page.locator("#outcomes")
    expect(timeline.locator("[data-session-marker]")).to_have_count(6)
    expect(timeline.locator("[data-legend-modality=subcision]")).to_be_visible()
    if os.environ.get("TIMELINE_SCREENSHOT"):
        timeline.screenshot(path=os.environ["TIMELINE_SCREENSHOT"])
    timeline.get_by_role("link", name="Progress summary").click()

    expect(
        page.get_by_role("heading", name="Acne scar treatment: progress summary")
    ).to_be_visible()
    images = page.locator("img[data-summary-photo]")
    expect(images).to_have_count(2)
    for n in range(2):
        images.nth(n).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=images.nth(n).element_handle()
        )
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    if os.environ.get("SUMMARY_PDF"):
        (tmp_path / "x").write_bytes(b"")
        with open(os.environ["SUMMARY_PDF"], "wb") as out:
            out.write(pdf)
    pages = len(PDF_PAGE.findall(pdf))
    assert 1 <= pages <= 2, f"the summary printed on {pages} pages"
    assert console_errors == []


def test_chart_timeline_shows_the_last_year_and_the_whole_history_on_request(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Omar", last_name="Haddad")
    history(patient, dermatologist, sessions=4, start=dt.date(2023, 3, 6))
    history(patient, dermatologist, sessions=2, start=dt.date(2025, 9, 1))
    sign_in(page, live_server, dermatologist.username)

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    # The summary says how many sessions there are and leads to the progress tab.
    expect(page.locator("[data-panel=latest-session]")).to_contain_text("All 6 sessions")
    open_tab(page, "Progress")
    timeline = page.locator("#outcomes")
    expect(timeline.locator("[data-session-marker]")).to_have_count(2)
    expect(timeline.locator("[data-timeline-window]")).to_contain_text("The last 12 months")
    timeline.get_by_role("link", name=re.compile("Show the whole history")).click()

    timeline = page.locator("#outcomes")
    expect(timeline.locator("[data-session-marker]")).to_have_count(6)
    expect(timeline.locator("[data-timeline-window]")).to_contain_text("The whole history")
    # The treatments tab lists all six sessions (fewer than it shows at once).
    open_tab(page, "Treatments")
    expect(page.locator("#treatments [data-session]")).to_have_count(6)
    assert console_errors == []
