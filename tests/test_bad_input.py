"""Never a 500 on user input: hand-edited links and forged form posts on the pages that take
input get an answer below 500 (a page with errors, a 403 or a 404), for each role."""

import pytest

from tests.conftest import client_for
from tests.factories import ScarAssessmentFactory
from tests.treatments.factories import ClinicalPhotoFactory, TreatmentSessionFactory

BAD = ["abc", "99999999999999999999", "2026-13-45"]
FIELDS = [
    "first_name", "last_name", "date_of_birth", "fitzpatrick_type", "assessed_on", "gb_grade",
    "performed_at", "clinician", "consent_confirmed", "patient", "dermatologist", "date", "start",
    "kind", "duration", "count", "interval_min", "interval_max", "event_type", "severity",
    "onset_on", "use", "given_on", "cross-TOTAL_FORMS", "cross-INITIAL_FORMS",
    "photo-TOTAL_FORMS", "photo-INITIAL_FORMS", "keloid_area_cm2", "cadi_1",
]  # fmt: skip


@pytest.mark.django_db
def test_bad_input_never_causes_a_server_error(dermatologist, front_desk, patient):
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    photo = ClinicalPhotoFactory(patient=patient)
    ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    links = [
        "/patients/?q={v}&page={v}&archived={v}",
        "/schedule/?date={v}",
        "/schedule/rooms/?date={v}",
        f"/schedule/week/{dermatologist.pk}/?date={{v}}",
        "/schedule/book/?patient={v}&dermatologist={v}&date={v}&kind={v}&starts_at={v}",
        "/schedule/series/?patient={v}",
        f"/treatments/patients/{patient.pk}/photos/compare/?series={{v}}&before={{v}}&after={{v}}",
        f"/patients/{patient.pk}/?modality={{v}}",
        f"/treatments/patients/{patient.pk}/sessions/new/?add={{v}}",
        f"/treatments/patients/{patient.pk}/photos/new/?session={{v}}",
        f"/treatments/photos/{photo.pk}/file/{{v}}.jpg",
        f"/treatments/photos/{photo.pk}/export/{{v}}/",
    ]
    forms = [
        f"/patients/{patient.pk}/edit/",
        "/patients/new/",
        f"/patients/{patient.pk}/assessments/new/",
        f"/treatments/patients/{patient.pk}/sessions/new/",
        f"/treatments/patients/{patient.pk}/photos/new/",
        "/schedule/book/",
        "/schedule/series/",
        f"/treatments/sessions/{session.pk}/adverse-events/new/",
        f"/patients/{patient.pk}/consents/new/",
    ]
    for user in (dermatologist, front_desk):
        client = client_for(user)
        for value in BAD:
            for link in links:
                url = link.format(v=value)
                assert client.get(url).status_code < 500, (user.username, url)
            for url in forms:
                response = client.post(url, dict.fromkeys(FIELDS, value))
                assert response.status_code < 500, (user.username, url, value)


@pytest.mark.django_db
def test_a_forged_form_count_cannot_make_the_server_build_thousands_of_forms(
    derm_client, dermatologist, patient
):
    data = {"cross-TOTAL_FORMS": "99999", "cross-INITIAL_FORMS": "0"}
    response = derm_client.post(f"/treatments/patients/{patient.pk}/sessions/new/", data)
    cross = next(fs for fs in response.context["formsets"] if fs.prefix == "cross")
    assert len(cross.forms) == 10
