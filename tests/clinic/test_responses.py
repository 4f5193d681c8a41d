"""No response to a signed-in user may be kept by a browser or proxy cache; static files may."""

import pytest
from django.test import Client, override_settings
from django.utils.cache import get_max_age

from tests.factories import ScarAssessmentFactory
from tests.treatments.factories import ClinicalPhotoFactory, TreatmentSessionFactory


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def clinical_urls(patient, dermatologist):
    photo = ClinicalPhotoFactory(patient=patient)
    assessment = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    return {
        "patient list": "/patients/",
        "chart": f"/patients/{patient.pk}/",
        "history": f"/patients/{patient.pk}/history/",
        "assessment": f"/patients/assessments/{assessment.pk}/",
        "session": f"/treatments/sessions/{session.pk}/",
        "photo": f"/treatments/photos/{photo.pk}/",
        "photo file": f"/treatments/photos/{photo.pk}/file/display.jpg",
        "compare": f"/treatments/patients/{patient.pk}/photos/compare/",
        "dashboard": "/",
        "calendar": "/schedule/",
        "two-factor": "/accounts/two-factor/",
    }


def test_every_clinical_page_says_no_store_private(derm_client, clinical_urls):
    for name, url in clinical_urls.items():
        response = derm_client.get(url)
        assert response.status_code == 200, name
        assert {"no-store", "private"} <= directives(response), name
        assert "public" not in directives(response), name


def test_the_photo_files_own_header_is_kept_as_it_was(derm_client, clinical_urls):
    response = derm_client.get(clinical_urls["photo file"])
    assert response["Cache-Control"] == "private, no-store"


def test_refusals_and_redirects_to_a_signed_in_user_are_not_cached_either(desk_client, patient):
    refused = desk_client.get(f"/patients/{patient.pk}/assessments/new/")
    assert refused.status_code == 403
    assert {"no-store", "private"} <= directives(refused)
    missing = desk_client.get("/patients/999999/")
    assert {"no-store", "private"} <= directives(missing)


def test_a_clinic_admin_in_the_admin_site_gets_no_store(admin_client_, patient):
    response = admin_client_.get(f"/admin/patients/patient/{patient.pk}/change/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_a_static_file_keeps_its_public_caching_for_a_signed_in_user(derm_client):
    response = derm_client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)
    assert get_max_age(response) is not None and get_max_age(response) > 0


def test_the_sign_in_page_for_an_anonymous_visitor_is_left_to_its_own_headers(db):
    response = Client().get("/accounts/login/")
    # LoginView is never_cache already; the middleware adds nothing for anonymous visitors.
    assert "no-store" in directives(response)
