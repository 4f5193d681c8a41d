"""The admin follows the app's rules: clinical fields are read-only for users who are not
dermatologists, clinical records are added in the app, archiving asks for a reason (one record
or many), and every admin change lands in the record's history with the user."""

import pytest

from patients.models import Patient
from tests.factories import PatientFactory
from tests.treatments.factories import (
    SkinTestFactory,
    TopicalRegimenFactory,
    TreatmentSessionFactory,
)

pytestmark = pytest.mark.django_db

ACTION = "_selected_action"


def test_clinic_admin_edits_demographics_but_not_the_skin_history(admin_client_, clinic_admin):
    patient = PatientFactory(allergies="Latex", phone="0123 456")
    url = f"/admin/patients/patient/{patient.pk}/change/"
    page = admin_client_.get(url).content.decode()
    assert 'name="phone"' in page
    for field in ("allergies", "pregnancy_status", "on_anticoagulant", "fitzpatrick_type"):
        assert f'name="{field}"' not in page, field
    data = {
        "mrn": patient.mrn,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex_at_birth": patient.sex_at_birth,
        "phone": "0999 000",
        "allergies": "None",
        "photo_consents-TOTAL_FORMS": "0",
        "photo_consents-INITIAL_FORMS": "0",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    patient.refresh_from_db()
    assert (patient.phone, patient.allergies) == ("0999 000", "Latex")
    latest = patient.history.latest()
    assert (latest.history_user, latest.phone) == (clinic_admin, "0999 000")
    assert patient.updated_by == clinic_admin


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        (TopicalRegimenFactory, "treatments/topicalregimen"),
        (SkinTestFactory, "treatments/skintest"),
    ],
)
def test_clinical_records_are_read_only_in_the_admin(admin_client_, factory, path):
    record = factory()
    assert admin_client_.get(f"/admin/{path}/add/").status_code == 403
    page = admin_client_.get(f"/admin/{path}/{record.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client_.post(f"/admin/{path}/{record.pk}/change/", {}).status_code == 403


def test_archiving_patients_in_bulk_asks_for_a_reason(admin_client_, clinic_admin):
    first, second = PatientFactory(), PatientFactory()
    selection = {"action": "archive_selected", ACTION: [first.pk, second.pk]}
    asked = admin_client_.post("/admin/patients/patient/", selection)
    assert asked.status_code == 200
    assert "Why are these records being archived?" in asked.content.decode()
    assert not Patient.objects.filter(archived_at__isnull=False).exists()
    blank = admin_client_.post("/admin/patients/patient/", {**selection, "reason": " "})
    assert blank.status_code == 200
    assert not Patient.objects.filter(archived_at__isnull=False).exists()
    admin_client_.post("/admin/patients/patient/", {**selection, "reason": "Duplicates"})
    for patient in (first, second):
        patient.refresh_from_db()
        assert (patient.is_archived, patient.archive_reason) == (True, "Duplicates")
        assert patient.archived_by == clinic_admin
        assert patient.history.latest().history_user == clinic_admin


def test_restoring_patients_in_bulk(admin_client_, clinic_admin):
    patient = PatientFactory()
    patient.archive(by=clinic_admin, reason="Moved")
    admin_client_.post(
        "/admin/patients/patient/", {"action": "restore_selected", ACTION: [patient.pk]}
    )
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archiving_sessions_in_the_admin_asks_for_a_reason(
    admin_client_, clinic_admin, dermatologist
):
    session = TreatmentSessionFactory(clinician=dermatologist)
    selection = {"action": "archive_selected", ACTION: [session.pk]}
    admin_client_.post("/admin/treatments/treatmentsession/", selection)
    session.refresh_from_db()
    assert session.archived_at is None
    admin_client_.post(
        "/admin/treatments/treatmentsession/", {**selection, "reason": "Wrong patient"}
    )
    session.refresh_from_db()
    assert (session.archive_reason, session.archived_by) == ("Wrong patient", clinic_admin)
    assert session.history.latest().history_user == clinic_admin


def test_archive_fields_cannot_be_set_by_hand(admin_client_):
    patient = PatientFactory()
    page = admin_client_.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert 'name="is_archived"' not in page
    assert 'name="archive_reason"' not in page
