"""The filler lot register: every patient and session that received a lot, for recalls."""

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.treatments.factories import TreatmentSessionFactory, cross, filler

pytestmark = pytest.mark.django_db

URL = "/treatments/reports/filler-lots/"


def test_anonymous_redirected_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_front_desk_refused(desk_client):
    assert desk_client.get(f"{URL}?lot=HA-1001").status_code == 403


def test_clinic_admin_allowed(clinic_admin):
    assert client_for(clinic_admin).get(f"{URL}?lot=HA-1001").status_code == 200


def test_lot_search_finds_every_patient_and_session(derm_client, dermatologist):
    first, second, other = PatientFactory(), PatientFactory(), PatientFactory()
    expiry = timezone.localdate() + dt.timedelta(days=200)
    hit_1 = TreatmentSessionFactory(
        patient=first,
        clinician=dermatologist,
        procedures=[cross(), filler(lot_number="HA-1001", expiry_date=expiry)],
    )
    hit_2 = TreatmentSessionFactory(
        patient=second,
        clinician=dermatologist,
        performed_at=timezone.now() - dt.timedelta(days=40),
        procedures=[filler(lot_number="ha-1001")],
    )
    TreatmentSessionFactory(
        patient=other, clinician=dermatologist, procedures=[filler(lot_number="HA-2002")]
    )
    response = derm_client.get(f"{URL}?lot=%20HA-1001%20")
    assert response.status_code == 200
    sessions = [p.session for p in response.context["found"]]
    assert sessions == [hit_2, hit_1]
    html = response.content.decode()
    assert first.mrn in html and second.mrn in html and other.mrn not in html
    assert "Restylane Vital" in html
    assert expiry.strftime("%-d %b %Y") in html
    # Each patient shown is in the access trail.
    logged = set(AccessLog.objects.values_list("patient_id", flat=True))
    assert {first.pk, second.pk} <= logged


def test_no_lot_no_search(derm_client):
    response = derm_client.get(URL)
    assert response.status_code == 200
    assert response.context["found"] == []


def test_lot_search_query_count_is_flat(derm_client, dermatologist, django_assert_max_num_queries):
    # Session, user, permissions with the role badge (one query); procedures with sessions,
    # patients and clinicians (one); access-log rows (one bulk insert).
    TreatmentSessionFactory(clinician=dermatologist, procedures=[filler()])
    with django_assert_max_num_queries(5):
        derm_client.get(f"{URL}?lot=HA-1001")
    for _ in range(5):
        TreatmentSessionFactory(clinician=dermatologist, procedures=[filler()])
    with django_assert_max_num_queries(5):
        response = derm_client.get(f"{URL}?lot=HA-1001")
    assert len(response.context["found"]) == 6
