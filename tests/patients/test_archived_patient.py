"""An archived patient's record is read as before, but nothing new is added to it until the
patient is restored: assessments, sessions, photos, topicals, skin tests, adverse events,
risk-factor edits and appointments are all refused with a clear message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import PatientArchived, ScarAssessment
from tests.factories import PatientFactory
from tests.treatments.factories import TreatmentSessionFactory, cross
from treatments.models import ClinicalPhoto, SkinTest, TopicalRegimen, TreatmentSession
from treatments.services import session_log

MESSAGE = "is archived: restore the patient before adding records."


@pytest.fixture
def archived(clinic_admin, dermatologist):
    patient = PatientFactory(first_name="Ada", last_name="Archer")
    TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    patient.archive(by=clinic_admin, reason="Moved abroad")
    return patient


def adding_pages(patient, session):
    return [
        f"/patients/{patient.pk}/assessments/new/",
        f"/patients/{patient.pk}/edit/",
        f"/treatments/patients/{patient.pk}/sessions/new/",
        f"/treatments/patients/{patient.pk}/photos/new/",
        f"/treatments/patients/{patient.pk}/topicals/new/",
        f"/treatments/patients/{patient.pk}/skin-tests/new/",
        f"/treatments/sessions/{session.pk}/adverse-events/new/",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_adding_page_sends_back_to_the_chart_with_the_reason(derm_client, archived, method):
    session = archived.sessions.get()
    for url in adding_pages(archived, session):
        response = getattr(derm_client, method)(url, follow=True)
        assert response.redirect_chain == [(f"/patients/{archived.pk}/", 302)], url
        assert f"Ada Archer {MESSAGE}" in response.content.decode(), url
    assert ScarAssessment.objects.count() == 0
    assert TreatmentSession.objects.count() == 1
    assert ClinicalPhoto.objects.count() == TopicalRegimen.objects.count() == 0
    assert SkinTest.objects.count() == 0


def test_reads_still_work(derm_client, archived):
    session = archived.sessions.get()
    for url in (f"/patients/{archived.pk}/", f"/patients/{archived.pk}/history/",
                f"/treatments/sessions/{session.pk}/"):  # fmt: skip
        assert derm_client.get(url).status_code == 200, url


def test_the_chart_offers_no_adding_buttons(derm_client, archived):
    html = derm_client.get(f"/patients/{archived.pk}/").content.decode()
    for url in adding_pages(archived, archived.sessions.get())[:6]:
        assert f'href="{url}' not in html, url


def test_the_services_refuse_too(dermatologist, archived):
    session = TreatmentSession(
        patient=archived,
        clinician=dermatologist,
        performed_at=timezone.now(),
        consent_confirmed=True,
    )
    with pytest.raises(PatientArchived):
        session_log(session=session, procedures=[cross()], by=dermatologist)
    assert isinstance(PatientArchived(archived), ValidationError)


def test_booking_is_refused_with_a_clear_message(clinic_admin, dermatologist, archived):
    from scheduling.services import appointment_book

    starts = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=7
    )
    with pytest.raises(ValidationError) as refused:
        appointment_book(
            patient=archived,
            dermatologist=dermatologist,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=30),
            kind="follow_up",
            by=clinic_admin,
            allow_outside_hours=True,
        )
    assert "Ada Archer is archived" in str(refused.value)


def test_restoring_allows_adding_again(admin_client_, derm_client, archived):
    admin_client_.post(f"/patients/{archived.pk}/archive/", {"restore": "1"})
    assert derm_client.get(f"/patients/{archived.pk}/assessments/new/").status_code == 200


def test_archiving_needs_a_reason(admin_client_, patient):
    response = admin_client_.post(f"/patients/{patient.pk}/archive/", {"reason": "  "}, follow=True)
    assert "Give a reason for archiving; nothing was changed." in response.content.decode()
    patient.refresh_from_db()
    assert not patient.is_archived
    admin_client_.post(f"/patients/{patient.pk}/archive/", {"reason": "Duplicate of MRN 123"})
    patient.refresh_from_db()
    assert (patient.is_archived, patient.archive_reason) == (True, "Duplicate of MRN 123")
