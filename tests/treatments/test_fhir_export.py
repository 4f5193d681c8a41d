"""FHIR R4 export per patient, validated with fhir.resources (R4B models: the same as R4 for the
resources exported)."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import PhotoConsentFactory
from tests.treatments.factories import AdverseEventFactory, ClinicalPhotoFactory
from tests.treatments.test_progress_views import history

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return f"/treatments/patients/{patient.pk}/fhir.json"


def test_anonymous_redirected_front_desk_and_clinic_admin_refused(
    client, desk_client, clinic_admin, patient
):
    response = client.get(url(patient))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert desk_client.get(url(patient)).status_code == 403
    # Dermatologists only: the clinic admin manages the clinic, not the clinical record's exports.
    assert client_for(clinic_admin).get(url(patient)).status_code == 403


def test_bundle_validates_and_holds_every_resource(derm_client, dermatologist, patient):
    _first, combo = history(patient, dermatologist)  # 4 assessments, CROSS then CROSS + subcision
    AdverseEventFactory(session=combo, event_type="bruising")
    PhotoConsentFactory(patient=patient, use="teaching", withdrawn_on=timezone.localdate())
    ClinicalPhotoFactory(patient=patient, taken_on=dt.date(2026, 1, 5))
    response = derm_client.get(url(patient))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)

    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds: dict[str, int] = {}
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        kinds[resource["resourceType"]] = kinds.get(resource["resourceType"], 0) + 1
    # Scores per assessment: ECCA, G&B quantitative, G&B grade, ice pick (no CADI/DLQI): 4 x 4.
    assert kinds == {
        "Patient": 1,
        "Practitioner": 1,
        "Observation": 16,
        "Procedure": 3,
        "AdverseEvent": 1,
        "Consent": 2,  # clinical (from the photo factory) and teaching (withdrawn)
        "Media": 1,
    }
    by_id = {e["resource"]["id"]: e["resource"] for e in data["entry"]}
    event = next(r for r in by_id.values() if r["resourceType"] == "AdverseEvent")
    assert len(event["suspectEntity"]) == 2
    media = next(r for r in by_id.values() if r["resourceType"] == "Media")
    assert "data" not in media["content"]
    assert media["content"]["url"].endswith("/file/full.jpg")
    ice = [
        r["valueInteger"]
        for r in by_id.values()
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "ice-pick-count"
    ]
    assert ice == [12, 9, 6, 3]
    assert {r["status"] for r in by_id.values() if r["resourceType"] == "Consent"} == {
        "active",
        "inactive",
    }
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.patient == patient


def test_fhir_export_query_count_is_flat(
    derm_client, dermatologist, patient, django_assert_max_num_queries
):
    history(patient, dermatologist, sessions=1)
    # Session, user, permissions (one query, clinic/auth_backend.py), patient; assessments, grid
    # rows; sessions (1) and one per modality (6); adverse events; consents; photos; access-log
    # insert.
    with django_assert_max_num_queries(18):
        derm_client.get(url(patient))
    history(patient, dermatologist, sessions=6, start=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(18):
        assert derm_client.get(url(patient)).status_code == 200
