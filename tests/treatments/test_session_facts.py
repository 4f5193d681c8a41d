"""The response per modality reads each session's day and modalities straight from the database
(treatments.patient_outcomes.session_facts): the day is the clinic's, not UTC's, and a session's
modalities keep the order its procedures were logged in."""

import datetime as dt

import pytest

from tests.treatments.factories import TreatmentSessionFactory, cross, subcision
from treatments.models import TreatmentSession
from treatments.outcomes import SessionFact
from treatments.patient_outcomes import session_facts

pytestmark = pytest.mark.django_db


def test_a_session_after_midnight_in_london_counts_on_the_clinics_day(patient, dermatologist):
    # 23:30 UTC on 12 June is 00:30 on 13 June in London (summer time); in winter they agree.
    TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        performed_at=dt.datetime(2026, 6, 12, 23, 30, tzinfo=dt.UTC),
        procedures=[subcision(), cross()],
    )
    TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        performed_at=dt.datetime(2026, 1, 12, 23, 30, tzinfo=dt.UTC),
        procedures=[cross()],
    )
    assert session_facts(patient) == [
        SessionFact(dt.date(2026, 1, 12), ("cross",)),
        SessionFact(dt.date(2026, 6, 13), ("subcision", "cross")),
    ]


def test_archived_sessions_and_other_patients_are_left_out(patient, dermatologist):
    kept = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    archived = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    archived.archive(reason="Logged on the wrong chart", by=dermatologist)
    TreatmentSessionFactory(clinician=dermatologist)
    assert TreatmentSession.objects.filter(patient=patient).count() == 2
    assert session_facts(patient) == [SessionFact(kept.performed_on, ("cross",))]
