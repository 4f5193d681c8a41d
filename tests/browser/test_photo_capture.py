"""Photos taken on the tablet: the camera with the baseline ghosted over it (Chromium's fake
camera), the file fallback when the camera is refused, the upload rows at tablet width, and zoom
kept in step on compare."""

import io
import itertools
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from patients.models import ConsentUse
from tests.browser.conftest import TABLET_PORTRAIT, open_tab, sign_in
from tests.factories import PatientFactory, PhotoConsentFactory
from tests.treatments.images import photo_like
from treatments.models import ClinicalPhoto
from treatments.photos import photo_store

pytestmark = [pytest.mark.browser]


def jpeg_upload(seed: int) -> SimpleUploadedFile:
    image = photo_like((800, 600)).rotate(seed)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile(f"b{seed}.jpg", buffer.getvalue(), "image/jpeg")


def consented_patient():
    patient = PatientFactory(first_name="Ines", last_name="Okafor")
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
    return patient


def baseline(patient, user, view: str, seed: int, day=date(2026, 1, 5)) -> ClinicalPhoto:
    return photo_store(
        patient=patient,
        upload=jpeg_upload(seed),
        view=view,
        lighting="diffuse",
        taken_on=day,
        by=user,
    )


def collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_dermatologist_photographs_two_views_with_the_baseline_ghosted(
    transactional_db, live_server, camera_page, dermatologist
):
    page = camera_page
    errors = collect_errors(page)
    patient = consented_patient()
    frontal = baseline(patient, dermatologist, "frontal", 1)
    oblique = baseline(patient, dermatologist, "left_oblique", 2)
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    open_tab(page, "Photos")
    page.get_by_role("link", name="Take photos").click()

    camera = page.locator("#capture-camera")
    expect(camera).to_be_visible()
    expect(camera).to_have_attribute("data-ready", "true")
    expect(page.locator("#capture-fallback")).to_be_hidden()
    assert page.locator("#capture-video").evaluate("v => v.videoWidth") > 0
    ghost = page.locator("#capture-ghost")
    expect(ghost).to_be_visible()
    expect(ghost).to_have_attribute("src", f"/treatments/photos/{frontal.pk}/file/display.jpg")
    page.wait_for_function("() => document.getElementById('capture-ghost').naturalWidth > 0")
    assert ghost.evaluate("g => g.style.opacity") == "0.4"
    page.get_by_label("Baseline opacity").fill("70")
    assert ghost.evaluate("g => g.style.opacity") == "0.7"
    # The guides are drawn over the picture and can be turned off.
    expect(page.locator(".capture-guide-eyes")).to_be_visible()
    page.get_by_label("Alignment guides (eye line, midline)").uncheck()
    expect(page.locator(".capture-guide-eyes")).to_be_hidden()

    round_trips = []
    for label, following in (("Frontal", oblique), ("Left oblique (45°)", None)):
        page.get_by_role("button", name="Take picture").click()
        expect(page.locator("#capture-review")).to_be_visible()
        expect(page.locator("#capture-review-baseline")).to_be_visible()
        assert page.locator("#capture-shot").evaluate("c => c.width") > 0
        page.get_by_role("button", name="Keep").click()
        status = page.locator("#capture-status")
        expect(status).to_contain_text(f"{label} stored")
        round_trips.append(int(status.get_attribute("data-round-trip-ms")))
        expect(camera).to_be_visible()
        if following is not None:
            # On to the next view of the standard series, with its own baseline ghosted.
            expect(page.locator("#capture-view")).to_have_value("left_oblique")
            expect(ghost).to_have_attribute(
                "src", f"/treatments/photos/{following.pk}/file/display.jpg"
            )
    expect(page.locator("#capture-kept li")).to_have_count(2)
    print(f"\ncapture browser round trip per photo (take+keep to stored): {round_trips} ms")

    taken = ClinicalPhoto.objects.filter(patient=patient).exclude(pk__in=[frontal.pk, oblique.pk])
    assert sorted(taken.values_list("view", "lighting")) == [
        ("frontal", "diffuse"),
        ("left_oblique", "diffuse"),
    ]
    for photo in taken:
        assert photo.uploaded_by == dermatologist
        with photo.image.open("rb") as stored:
            data = stored.read()
        assert not Image.open(io.BytesIO(data)).getexif()
        assert b"Exif\x00\x00" not in data

    # On the timeline, and the thumbnails are there when the chart is printed.
    page.get_by_role("link", name="Done: back to the chart").click()
    for view in ("frontal", "left_oblique"):
        row = page.locator(f"[data-series='{view}||diffuse'] img.photo-thumb")
        expect(row).to_have_count(2)
    page.emulate_media(media="print")
    thumbs = page.locator("#photos img.photo-thumb")
    assert thumbs.evaluate_all("imgs => imgs.every(i => i.loading !== 'lazy')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#photos img.photo-thumb')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert errors == []


def test_the_standard_series_is_photographed_in_well_under_two_minutes(
    transactional_db, live_server, camera_page, dermatologist
):
    page = camera_page
    errors = collect_errors(page)
    server_ms: list[float] = []
    patient = consented_patient()
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/treatments/patients/{patient.pk}/photos/capture/")
    expect(page.locator("#capture-camera")).to_have_attribute("data-ready", "true")

    started = time.perf_counter()
    views = ["frontal", "left_oblique", "right_oblique", "left_lateral", "right_lateral"]
    for taken, view in enumerate([*views, "close_up"], start=1):
        expect(page.locator("#capture-view")).to_have_value(view)
        if view == "close_up":
            page.get_by_label("Region (close-ups)").select_option("left_cheek")
        page.get_by_role("button", name="Take picture").click()
        # Each kept photo's store response, awaited here: a "response" listener can run after
        # the page has already shown the photo as kept.
        with page.expect_response(lambda r: r.url.endswith("/capture/store/")) as stored:
            page.get_by_role("button", name="Keep").click()
        timing = stored.value.header_value("server-timing") or ""
        server_ms.append(float(timing.split("dur=")[1]))
        expect(page.locator("#capture-kept li")).to_have_count(taken)
    elapsed = time.perf_counter() - started
    print(
        f"\nstandard series of 6 in {elapsed:.1f} s (browser driving, no human posing); "
        f"server store per photo: {[round(ms) for ms in server_ms]} ms"
    )
    assert elapsed < 120
    stored = ClinicalPhoto.objects.filter(patient=patient)
    print("frame size stored:", {(p.width, p.height) for p in stored})
    assert sorted(stored.values_list("view", flat=True)) == sorted([*views, "close_up"])
    assert stored.get(view="close_up").close_up_region == "left_cheek"
    assert len(server_ms) == 6
    assert errors == []


@pytest.mark.parametrize(
    ("stub", "reason"),
    [
        (
            "navigator.mediaDevices.getUserMedia = () => "
            "Promise.reject(new DOMException('denied', 'NotAllowedError'));",
            "Camera permission was refused",
        ),
        (
            "Object.defineProperty(navigator, 'mediaDevices', {value: undefined});",
            "This browser cannot use the camera",
        ),
    ],
)
def test_without_the_camera_the_page_says_why_and_the_file_input_stores(
    transactional_db, live_server, page, console_errors, dermatologist, stub, reason
):
    page.add_init_script(stub)
    patient = consented_patient()
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/treatments/patients/{patient.pk}/photos/capture/")

    expect(page.locator("#capture-reason")).to_contain_text(reason)
    expect(page.locator("#capture-camera")).to_be_hidden()
    file_input = page.get_by_label("Photo", exact=True)
    expect(file_input).to_be_visible()
    expect(file_input).to_have_attribute("capture", "environment")
    file_input.set_input_files(
        {"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": jpeg_upload(3).read()}
    )
    page.get_by_role("button", name="Store photo").click()
    expect(page.get_by_role("alert").first).to_contain_text("Frontal photo stored.")
    expect(page.locator("#capture-view")).to_have_value("left_oblique")
    assert ClinicalPhoto.objects.get(patient=patient).view == "frontal"
    assert console_errors == []


def test_upload_row_controls_never_overlap_at_tablet_width(
    transactional_db, live_server, page, console_errors, dermatologist
):
    page.set_viewport_size(TABLET_PORTRAIT)
    patient = consented_patient()
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/treatments/patients/{patient.pk}/photos/new/")
    rows = page.locator(".photo-row")
    expect(rows).to_have_count(6)
    for index in range(6):
        row = rows.nth(index)
        controls = row.locator("label, input, select")
        boxes = [controls.nth(i).bounding_box() for i in range(controls.count())]
        assert len(boxes) == 10
        for a, b in itertools.combinations(boxes, 2):
            apart = (
                a["x"] + a["width"] <= b["x"] + 0.5
                or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5
                or b["y"] + b["height"] <= a["y"] + 0.5
            )
            assert apart, (index, a, b)
        card = row.bounding_box()
        for box in boxes:
            assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
        for control in row.locator("input, select").all():
            assert control.bounding_box()["height"] >= 44
        # Each select is wide enough for its longest option: no text cut off.
        cut = row.locator("select").evaluate_all(
            """selects => selects.filter(s => {
                const style = getComputedStyle(s);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = style.font;
                const room = s.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                return [...s.options].some(o => ctx.measureText(o.text).width > room);
            }).map(s => s.name)"""
        )
        assert cut == []
    assert console_errors == []


def test_compare_zooms_and_pans_both_photos_together(
    transactional_db, live_server, page, console_errors, dermatologist
):
    patient = consented_patient()
    baseline(patient, dermatologist, "frontal", 4)
    baseline(patient, dermatologist, "frontal", 5, day=date(2026, 4, 5))
    sign_in(page, live_server, dermatologist.username)
    page.goto(f"{live_server.url}/treatments/patients/{patient.pk}/photos/compare/")
    before = page.locator("[data-compare=before] [data-zoom-viewport]")
    after = page.locator("[data-compare=after] [data-zoom-viewport]")
    expect(before).to_be_visible()

    def transforms():
        return [v.locator("img").evaluate("i => i.style.transform") for v in (before, after)]

    box = before.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    expect(after).not_to_have_attribute("data-zoom", "1.00")
    zoomed = transforms()
    assert zoomed[0] == zoomed[1] and "scale(1)" not in zoomed[0]
    assert float(before.get_attribute("data-zoom")) > 1.5

    # Dragging the later photo pans the earlier one the same way.
    box = after.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 + 30, steps=4)
    page.mouse.up()
    panned = transforms()
    assert panned[0] == panned[1] != zoomed[0]

    page.get_by_role("button", name="Reset").click()
    assert transforms() == ["translate(0%, 0%) scale(1)"] * 2

    # A pinch on the earlier photo (two touch pointers moving apart) zooms both.
    after.evaluate(
        """viewport => {
            const box = viewport.getBoundingClientRect();
            const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
            const send = (type, id, x) => viewport.dispatchEvent(new PointerEvent(type, {
                pointerId: id, pointerType: 'touch', isPrimary: id === 1, bubbles: true,
                clientX: x, clientY: cy}));
            send('pointerdown', 1, cx - 20);
            send('pointerdown', 2, cx + 20);
            for (const spread of [20, 40, 60, 80]) send('pointermove', 2, cx + spread);
            send('pointerup', 2, cx + 80);
            send('pointerup', 1, cx - 20);
        }"""
    )
    pinched = transforms()
    assert pinched[0] == pinched[1]
    assert float(before.get_attribute("data-zoom")) > 1.5
    page.get_by_role("button", name="Reset").click()
    grid = page.locator("[data-compare=before] .compare-grid")
    expect(grid).to_be_hidden()
    page.get_by_role("button", name="Grid").click()
    expect(grid).to_be_visible()
    # The slider overlay works as before.
    page.locator("#compare-slider").fill("80")
    clip = page.locator("#compare-top img").evaluate("img => img.style.clipPath")
    assert clip == "inset(0px 20% 0px 0px)"
    assert console_errors == []
