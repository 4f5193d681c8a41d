"""The progress timeline's sessions (treatments.patient_outcomes.timeline_sessions_since): the
patient's current sessions from a day, each with its own procedures in the order logged; archived
sessions, earlier sessions and other patients' procedures are left out."""

import datetime as dt

import pytest

from tests.factories import PatientFactory
from tests.treatments.factories import TreatmentSessionFactory, cross, filler, subcision
from treatments.patient_outcomes import session_summary, timeline_sessions_since

pytestmark = pytest.mark.django_db


def _session(patient, clinician, day: dt.date, procedures):
    at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)
    return TreatmentSessionFactory(
        patient=patient, clinician=clinician, performed_at=at, procedures=procedures
    )


def test_current_sessions_from_the_day_with_their_own_procedures(patient, dermatologist):
    _session(patient, dermatologist, dt.date(2025, 1, 10), [cross()])  # before the window
    first = _session(patient, dermatologist, dt.date(2026, 2, 1), [subcision(), cross()])
    archived = _session(patient, dermatologist, dt.date(2026, 3, 1), [filler()])
    archived.archive(reason="Logged on the wrong chart", by=dermatologist)
    second = _session(patient, dermatologist, dt.date(2026, 4, 1), [cross(scars_treated=3)])
    _session(PatientFactory(), dermatologist, dt.date(2026, 4, 1), [filler()])  # someone else
    modalities = {"cross", "subcision", "filler"}

    shown = timeline_sessions_since(patient, dt.date(2026, 1, 1), modalities)

    assert [s.day for s in shown] == [dt.date(2026, 2, 1), dt.date(2026, 4, 1)]
    assert [s.modalities for s in shown] == [
        (("subcision", "Subcision"), ("cross", "CROSS (TCA)")),
        (("cross", "CROSS (TCA)"),),
    ]
    assert [s.summary for s in shown] == [session_summary(first), session_summary(second)]
    assert len(timeline_sessions_since(patient, None, modalities)) == 3  # the whole history
    assert timeline_sessions_since(patient, dt.date(2026, 5, 1), modalities) == []
