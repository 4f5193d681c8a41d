import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from patients.models import ConsentUse
from tests.browser.conftest import open_tab, sign_in
from tests.factories import PatientFactory, PhotoConsentFactory
from treatments.models import ClinicalPhoto

pytestmark = [pytest.mark.browser]


def photo_bytes(scars: int) -> bytes:
    image = Image.new("RGB", (800, 600), (230, 200, 180))
    draw = ImageDraw.Draw(image)
    for n in range(scars):
        draw.ellipse((100 + 30 * n, 300, 108 + 30 * n, 308), fill=(120, 70, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def upload_frontal(page, live_server, patient, day: str, scars: int) -> None:
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    open_tab(page, "Photos")
    page.get_by_role("link", name="Upload photos").click()
    page.get_by_label("Taken on").fill(day)
    page.get_by_label("Frontal").set_input_files(
        {"name": f"IMG_{day}.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes(scars)}
    )
    page.get_by_role("button", name="Upload photos").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 photo stored.")


def test_dermatologist_uploads_baseline_and_follow_up_and_compares_them(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = PatientFactory(first_name="Lena", last_name="Marsh")
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
    sign_in(page, live_server, dermatologist.username)

    upload_frontal(page, live_server, patient, "2026-01-05", scars=14)
    upload_frontal(page, live_server, patient, "2026-04-20", scars=5)
    assert ClinicalPhoto.objects.filter(patient=patient).count() == 2

    photos = page.locator("#photos")
    expect(photos.locator("img.photo-thumb")).to_have_count(2)
    photos.get_by_role("link", name="Compare").click()

    before = page.locator("[data-compare=before]")
    after = page.locator("[data-compare=after]")
    expect(before).to_contain_text("Before: 5 Jan 2026")
    expect(after).to_contain_text("After: 20 Apr 2026")
    for figure in (before, after):
        image = figure.locator("img")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") == 800
    page.locator("#compare-slider").fill("80")
    clip = page.locator("#compare-top img").evaluate("img => img.style.clipPath")
    assert clip == "inset(0px 20% 0px 0px)"
    assert console_errors == []
