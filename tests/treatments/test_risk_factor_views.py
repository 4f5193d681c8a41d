"""The second-pass safety rules through the pages: skin tests read later, the pregnancy warning
on a peel and on a topical retinoid, antiviral prophylaxis on the session."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.treatments.factories import SkinTestFactory
from tests.treatments.test_session_views import session_data
from treatments.models import SkinTest, TopicalRegimen, TreatmentSession

TODAY = timezone.localdate()
TCA_PEEL = {"agent": "tca", "concentration_percent": "35", "frost_level": "2",
            "regions": ["left_cheek"]}  # fmt: skip


@pytest.fixture
def unread_test(patient):
    return SkinTestFactory(
        patient=patient, tested_on=TODAY - dt.timedelta(days=28), read_on=None, result=""
    )


def test_a_skin_test_can_be_placed_now_and_read_later(derm_client, patient):
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/skin-tests/new/",
        {"product": "Bellafill", "material": "pmma_collagen", "tested_on": TODAY.isoformat()},
    )
    assert response["Location"] == f"/patients/{patient.pk}/?tab=treatments"
    test = SkinTest.objects.get()
    assert (test.read_on, test.result) == (None, "")
    chart = derm_client.get(response["Location"]).content.decode()
    assert "awaiting reading" in chart
    assert f"/treatments/skin-tests/{test.pk}/read/" in chart


def test_a_reading_needs_its_date_and_result(derm_client, unread_test):
    url = f"/treatments/skin-tests/{unread_test.pk}/read/"
    refused = derm_client.post(url, {"read_on": TODAY.isoformat(), "result": ""})
    assert refused.status_code == 200
    unread_test.refresh_from_db()
    assert unread_test.read_on is None
    derm_client.post(url, {"read_on": TODAY.isoformat(), "result": "negative"})
    unread_test.refresh_from_db()
    assert (unread_test.read_on, unread_test.result) == (TODAY, "negative")
    assert unread_test.history.count() == 2


def test_a_result_without_a_reading_date_is_refused(derm_client, patient):
    response = derm_client.post(
        f"/treatments/patients/{patient.pk}/skin-tests/new/",
        {"product": "Bellafill", "material": "pmma_collagen", "tested_on": TODAY.isoformat(),
         "result": "negative"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Record the reading date and the result together." in response.content.decode()
    assert SkinTest.objects.count() == 0


def test_reading_a_skin_test_by_role(client, desk_client, derm_client, unread_test):
    url = f"/treatments/skin-tests/{unread_test.pk}/read/"
    assert client.get(url).status_code == 302
    assert desk_client.get(url).status_code == 403
    assert desk_client.post(url, {"read_on": TODAY, "result": "negative"}).status_code == 403
    assert derm_client.get(url).status_code == 200


def test_a_read_test_is_not_read_again(derm_client, patient):
    test = SkinTestFactory(patient=patient)
    response = derm_client.post(
        f"/treatments/skin-tests/{test.pk}/read/", {"read_on": TODAY, "result": "positive"}
    )
    assert response.status_code == 302
    test.refresh_from_db()
    assert test.result == "negative"


def test_a_pregnant_patients_peel_needs_the_warning_ticked(dermatologist):
    patient = PatientFactory(
        fitzpatrick_type=2, pregnancy_status="pregnant", pregnancy_status_recorded_on=TODAY
    )
    client = client_for(dermatologist)
    url = f"/treatments/patients/{patient.pk}/sessions/new/"
    data = session_data(dermatologist, peel=[TCA_PEEL])
    first = client.post(url, data)
    assert first.status_code == 200
    assert "Patient is pregnant: a TCA or salicylic acid peel" in first.content.decode()
    assert TreatmentSession.objects.count() == 0
    client.post(url, {**data, "acknowledge": ["pregnancy"]})
    assert TreatmentSession.objects.get().acknowledged_warnings.get().code == "pregnancy"


def test_antiviral_prophylaxis_clears_the_cold_sore_warning(dermatologist):
    patient = PatientFactory(fitzpatrick_type=2, herpes_labialis_history=True)
    client = client_for(dermatologist)
    url = f"/treatments/patients/{patient.pk}/sessions/new/"
    data = session_data(dermatologist, peel=[TCA_PEEL])
    assert "without antiviral prophylaxis" in client.post(url, data).content.decode()
    client.post(url, {**data, "antiviral_prophylaxis": "on"})  # nothing left to acknowledge
    session = TreatmentSession.objects.get()
    assert session.antiviral_prophylaxis
    assert session.acknowledged_warnings.count() == 0


def test_a_retinoid_for_a_pregnant_patient_needs_acknowledging(dermatologist):
    patient = PatientFactory(pregnancy_status="pregnant", pregnancy_status_recorded_on=TODAY)
    client = client_for(dermatologist)
    url = f"/treatments/patients/{patient.pk}/topicals/new/"
    data = {"agent": "tretinoin", "strength_percent": "0.05", "frequency": "nightly",
            "started_on": TODAY.isoformat()}  # fmt: skip
    first = client.post(url, data)
    assert first.status_code == 200
    assert "topical retinoids (tretinoin, adapalene) are avoided in pregnancy" in (
        first.content.decode()
    )
    assert TopicalRegimen.objects.count() == 0
    client.post(url, {**data, "acknowledge": "on"})
    regimen = TopicalRegimen.objects.get()
    assert "avoided in pregnancy" in regimen.acknowledged_warning


def test_azelaic_acid_in_pregnancy_saves_without_a_warning(dermatologist):
    patient = PatientFactory(pregnancy_status="pregnant", pregnancy_status_recorded_on=TODAY)
    client_for(dermatologist).post(
        f"/treatments/patients/{patient.pk}/topicals/new/",
        {"agent": "azelaic_acid", "strength_percent": "15", "frequency": "twice daily",
         "started_on": TODAY.isoformat()},
    )  # fmt: skip
    assert TopicalRegimen.objects.get().acknowledged_warning == ""
