"""The photo capture page and the endpoint its script stores each picture through: who may use
them, the camera allowed on this page only, and the same pipeline as uploads."""

import io
import time
from datetime import date

import pytest
from django.urls import reverse
from PIL import Image

from patients.models import AccessLog, ConsentUse
from tests.conftest import client_for
from tests.factories import PhotoConsentFactory, ScarAssessmentFactory
from tests.treatments.factories import TreatmentSessionFactory
from tests.treatments.images import jpeg_with_metadata
from tests.treatments.test_photo_views import jpeg, upload
from treatments.capture import next_view
from treatments.models import ClinicalPhoto
from treatments.photos import photo_store

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def consented(patient):
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
    return patient


def page_url(patient) -> str:
    return reverse("treatments:photo_capture", args=[patient.pk])


def store_url(patient) -> str:
    return reverse("treatments:photo_capture_store", args=[patient.pk])


def picture(data: dict | None = None, **fields) -> dict:
    return {"view": "frontal", "lighting": "diffuse", "file": upload(), **(data or {}), **fields}


# Who may open the page and store through it ---------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, consented):
    for response in (client.get(page_url(consented)), client.post(store_url(consented))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_front_desk_is_refused_the_page_and_the_store(desk_client, consented):
    assert desk_client.get(page_url(consented)).status_code == 403
    assert desk_client.post(store_url(consented), picture(), **JSON).status_code == 403
    assert not ClinicalPhoto.objects.exists()


@pytest.mark.parametrize("role", ["dermatologist", "clinic_admin"])
def test_clinical_roles_open_the_page_with_the_camera(request, role, consented):
    response = client_for(request.getfixturevalue(role)).get(page_url(consented))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="capture-video"' in body
    assert "js/photo_capture.js" in body
    # The fallback is in the page from the start: a phone's camera app through the file input.
    assert 'capture="environment"' in body


def test_without_photo_consent_the_page_says_so_and_the_store_refuses(derm_client, patient):
    response = derm_client.get(page_url(patient))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="no-consent"' in body
    assert 'id="capture-video"' not in body and "photo_capture.js" not in body
    assert derm_client.post(store_url(patient), picture(), **JSON).status_code == 403
    assert not ClinicalPhoto.objects.exists()


def test_the_store_takes_only_posts(derm_client, consented):
    assert derm_client.get(store_url(consented)).status_code == 405


# Permissions-Policy: the camera on this page only ---------------------------------------------


def test_the_camera_is_allowed_on_the_capture_page_only(derm_client, consented):
    policy = derm_client.get(page_url(consented))["Permissions-Policy"]
    assert "camera=(self)" in policy
    assert "microphone=()" in policy
    for url in (
        reverse("treatments:photo_upload", args=[consented.pk]),
        reverse("patients:detail", args=[consented.pk]),
        "/",
        store_url(consented),
    ):
        response = derm_client.get(url)
        assert "camera=()" in response["Permissions-Policy"], url
        assert "camera=(self)" not in response["Permissions-Policy"], url


def test_the_capture_page_keeps_the_strict_csp(derm_client, consented):
    response = derm_client.get(page_url(consented))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "blob:" not in csp
    # The only script element with content is the JSON data block, which is never executed.
    body = response.content.decode()
    assert body.count("<script>") == 0


# The page ------------------------------------------------------------------------------------


def test_the_page_gives_each_series_baseline_through_the_private_photo_url(
    derm_client, consented, dermatologist
):
    first = photo_store(
        patient=consented,
        upload=upload(),
        view="frontal",
        lighting="diffuse",
        taken_on=date(2026, 1, 5),
        by=dermatologist,
    )
    photo_store(
        patient=consented,
        upload=upload(jpeg((10, 10, 200))),
        view="frontal",
        lighting="diffuse",
        taken_on=date(2026, 3, 5),
        by=dermatologist,
    )
    response = derm_client.get(page_url(consented))
    baselines = response.context["baselines"]
    assert baselines == {
        "frontal||diffuse": {
            "url": f"/treatments/photos/{first.pk}/file/display.jpg",
            "taken_on": "05 Jan 2026",
        }
    }
    assert 'id="capture-baselines"' in response.content.decode()
    # Opening the page is an access to the patient's record.
    assert AccessLog.objects.filter(patient=consented, action="view").exists()


def test_started_from_a_session_the_page_carries_it(derm_client, consented, dermatologist):
    session = TreatmentSessionFactory(patient=consented, clinician=dermatologist)
    response = derm_client.get(f"{page_url(consented)}?session={session.pk}")
    assert f'name="session" value="{session.pk}"' in response.content.decode()
    # Someone else's session, or nonsense, links nothing.
    other = TreatmentSessionFactory(clinician=dermatologist)
    for value in (str(other.pk), "x"):
        response = derm_client.get(f"{page_url(consented)}?session={value}")
        assert 'name="session"' not in response.content.decode()


# The store endpoint --------------------------------------------------------------------------


def test_a_picture_is_stored_stripped_with_its_view_and_lighting(derm_client, consented):
    data = picture(
        view="left_oblique",
        lighting="side_lit",
        file=upload(jpeg_with_metadata((640, 480)), "cap.jpg"),
    )
    started = time.perf_counter()
    response = derm_client.post(store_url(consented), data, **JSON)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.content
    photo = ClinicalPhoto.objects.get()
    assert (photo.view, photo.lighting) == ("left_oblique", "side_lit")
    assert response.json()["id"] == photo.pk
    assert response.json()["display"] == f"/treatments/photos/{photo.pk}/file/display.jpg"
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert not image.getexif()
    timing = response["Server-Timing"]
    assert timing.startswith("store;dur=")
    print(f"\ncapture store: server {timing}, test client round trip {elapsed * 1000:.0f} ms")


def test_a_picture_from_a_session_or_assessment_is_linked_to_it(
    derm_client, consented, dermatologist
):
    session = TreatmentSessionFactory(patient=consented, clinician=dermatologist)
    assessment = ScarAssessmentFactory(patient=consented, assessor=dermatologist)
    data = picture(session=session.pk, assessment=assessment.pk)
    assert derm_client.post(store_url(consented), data, **JSON).status_code == 201
    photo = ClinicalPhoto.objects.get()
    assert (photo.session, photo.assessment) == (session, assessment)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": upload(b"not an image at all", "x.jpg")}, ""),
        ({"view": "close_up", "close_up_region": ""}, "region"),
        ({"view": "sideways"}, "valid choice"),
        ({"file": ""}, "No picture was received"),
    ],
)
def test_a_refused_picture_says_why_and_nothing_is_kept(derm_client, consented, data, message):
    response = derm_client.post(store_url(consented), picture(data), **JSON)
    assert response.status_code == 400
    assert message in response.json()["error"] and response.json()["error"]
    assert not ClinicalPhoto.objects.exists()


def test_the_same_picture_twice_is_refused(derm_client, consented):
    assert derm_client.post(store_url(consented), picture(), **JSON).status_code == 201
    response = derm_client.post(store_url(consented), picture(), **JSON)
    assert response.status_code == 400
    assert "already stored" in response.json()["error"]


def test_the_plain_form_fallback_stores_and_moves_on_to_the_next_view(derm_client, consented):
    response = derm_client.post(store_url(consented), picture(view="frontal"))
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(consented)}?view=left_oblique"
    assert ClinicalPhoto.objects.get().view == "frontal"
    page = derm_client.get(response["Location"])
    assert "Frontal photo stored." in page.content.decode()


def test_next_view_walks_the_standard_series():
    assert next_view("frontal") == "left_oblique"
    assert next_view("right_lateral") == "close_up"
    assert next_view("close_up") == "close_up"
    assert next_view("nonsense") == "frontal"


CAPTURE_PAGE_QUERIES = 7
# 1. django_session: load the session
# 2. auth_user: the signed-in user with permissions and the role badge's groups, one query
#    (clinic/auth_backend.py)
# 3. patients_patient: the patient (access helper)
# 4. INSERT clinic_accesslog: the page is an access to the record
# 5. patients_photoconsent: clinical photo consent in force
# 6. treatments_treatmentsession: the session the page was started from (?session=)
# 7. treatments_clinicalphoto: every series' baseline, one query whatever the number of photos


@pytest.mark.parametrize("photos", [1, 8])
def test_capture_page_query_count_is_flat(
    derm_client, consented, dermatologist, django_assert_num_queries, photos
):
    session = TreatmentSessionFactory(patient=consented, clinician=dermatologist)
    views = ["frontal", "left_oblique", "right_oblique", "left_lateral"]
    for n in range(photos):
        photo_store(
            patient=consented,
            upload=upload(jpeg((20 * n, 90, 90))),
            view=views[n % len(views)],
            lighting="diffuse",
            taken_on=date(2026, 1, 1 + n),
            by=dermatologist,
        )
    with django_assert_num_queries(CAPTURE_PAGE_QUERIES):
        response = derm_client.get(f"{page_url(consented)}?session={session.pk}")
    assert len(response.context["baselines"]) == min(photos, len(views))


# The timeline on the chart ------------------------------------------------------------------


def test_timeline_shows_consent_badges_once_per_view_and_loads_thumbnails_eagerly(
    derm_client, consented, dermatologist
):
    PhotoConsentFactory(patient=consented, use=ConsentUse.TEACHING)
    for n, view in enumerate(["frontal", "frontal", "frontal", "left_lateral"]):
        photo_store(
            patient=consented,
            upload=upload(jpeg((30 * n, 50, 50))),
            view=view,
            lighting="diffuse",
            taken_on=date(2026, 1, 1 + n),
            by=dermatologist,
        )
    chart = reverse("patients:detail", args=[consented.pk])
    body = derm_client.get(chart, {"tab": "photos"}).content.decode()
    panel = body[body.index('id="photos"') :]
    assert panel.count('class="photo-thumb') == 4
    assert panel.count(">teaching</span>") == 2  # two view rows, not four thumbnails
    assert 'loading="lazy"' not in panel  # lazy thumbnails may be missing from a print
    assert f'href="{page_url(consented)}"' in panel


def test_the_assessment_page_offers_to_take_photos_linked_to_it(derm_client, consented):
    assessment = ScarAssessmentFactory(patient=consented)
    page = derm_client.get(reverse("patients:assessment_detail", args=[assessment.pk]))
    assert f"{page_url(consented)}?assessment={assessment.pk}" in page.content.decode()


def test_an_archived_assessment_offers_no_photos(derm_client, consented, dermatologist):
    assessment = ScarAssessmentFactory(patient=consented)
    assessment.archive(reason="entered on the wrong patient", by=dermatologist)
    page = derm_client.get(reverse("patients:assessment_detail", args=[assessment.pk]))
    assert page_url(consented) not in page.content.decode()
