"""Logging a session: one transaction, rules applied, warnings acknowledged and recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments.factories import SkinTestFactory, TreatmentSessionFactory, cross, subcision
from treatments.models import (
    CrossProcedure,
    FillerProcedure,
    SessionWarning,
    SubcisionProcedure,
    TreatmentSession,
)
from treatments.services import (
    HardStopped,
    WarningsNotAcknowledged,
    session_amend,
    session_log,
)

pytestmark = pytest.mark.django_db


def filler(**values) -> FillerProcedure:
    defaults = {
        "product": "Bellafill",
        "material": "pmma_collagen",
        "lot_number": "BF-2291",
        "expiry_date": timezone.localdate() + dt.timedelta(days=300),
        "volume_ml": Decimal("0.8"),
        "device": "needle",
        "gauge": 26,
        "depth": "subdermal",
        "technique": "linear_threading",
        "regions": ["left_cheek"],
    }
    return FillerProcedure(**(defaults | values))


def new_session(patient, clinician, days_ago: int = 0) -> TreatmentSession:
    return TreatmentSession(
        patient=patient,
        clinician=clinician,
        performed_at=timezone.now() - dt.timedelta(days=days_ago),
        consent_confirmed=True,
    )


def test_combination_session_saves_every_procedure_and_copies_the_skin_type(dermatologist):
    patient = PatientFactory(fitzpatrick_type=2)
    session = session_log(
        session=new_session(patient, dermatologist),
        procedures=[cross(), subcision()],
        by=dermatologist,
    )
    session.refresh_from_db()
    assert session.fitzpatrick_type == 2
    assert [p.MODALITY.value for p in session.procedures()] == ["cross", "subcision"]
    # CROSS and subcision both usually repeat at 4 weeks.
    assert session.next_session_due == session.performed_on + dt.timedelta(days=28)


def test_a_next_session_date_entered_by_the_clinician_is_kept(dermatologist, patient):
    draft = new_session(patient, dermatologist)
    draft.next_session_due = draft.performed_on + dt.timedelta(days=42)
    session = session_log(session=draft, procedures=[cross()], by=dermatologist)
    assert session.next_session_due == draft.performed_on + dt.timedelta(days=42)


def test_unacknowledged_warning_saves_nothing(dermatologist):
    patient = PatientFactory(fitzpatrick_type=5)  # CROSS with 100 % TCA: PIH risk
    with pytest.raises(WarningsNotAcknowledged) as raised:
        session_log(
            session=new_session(patient, dermatologist), procedures=[cross()], by=dermatologist
        )
    assert [w.code for w in raised.value.warnings] == ["pih_skin_type"]
    assert TreatmentSession.objects.count() == 0
    assert CrossProcedure.objects.count() == 0


def test_acknowledged_warnings_are_recorded_with_who_and_when(dermatologist):
    patient = PatientFactory(fitzpatrick_type=5, active_acne=True)
    session = session_log(
        session=new_session(patient, dermatologist),
        procedures=[cross()],
        acknowledged=["pih_skin_type", "active_acne"],
        by=dermatologist,
    )
    rows = SessionWarning.objects.filter(session=session).order_by("code")
    assert [(w.code, w.acknowledged_by) for w in rows] == [
        ("active_acne", dermatologist),
        ("pih_skin_type", dermatologist),
    ]
    assert all(abs(w.acknowledged_at - timezone.now()) < dt.timedelta(minutes=1) for w in rows)
    assert "Fitzpatrick type V" in rows.get(code="pih_skin_type").message


def test_hard_stop_blocks_the_whole_session(dermatologist, patient):
    with pytest.raises(HardStopped) as raised:
        session_log(
            session=new_session(patient, dermatologist),
            procedures=[subcision(), filler()],  # PMMA-collagen without a skin test
            by=dermatologist,
        )
    assert raised.value.stops[0].procedure_index == 1
    assert "skin test" in raised.value.stops[0].message
    assert TreatmentSession.objects.count() == SubcisionProcedure.objects.count() == 0


def test_pmma_filler_is_allowed_after_a_negative_skin_test(dermatologist, patient):
    SkinTestFactory(
        patient=patient,
        tested_on=timezone.localdate() - dt.timedelta(days=60),
        read_on=timezone.localdate() - dt.timedelta(days=28),  # read negative 4 weeks before
    )
    session = session_log(
        session=new_session(patient, dermatologist), procedures=[filler()], by=dermatologist
    )
    assert session.filler_procedures.get().lot_number == "BF-2291"


def test_an_invalid_procedure_rolls_back_the_session_and_earlier_procedures(dermatologist, patient):
    with pytest.raises(ValidationError):
        session_log(
            session=new_session(patient, dermatologist),
            procedures=[subcision(), cross(tca_concentration_percent=Decimal(5))],
            acknowledged=["cross_tca_low"],  # the low-strength warning, ticked
            by=dermatologist,
        )
    assert TreatmentSession.objects.count() == 0
    assert SubcisionProcedure.objects.count() == 0


def test_a_session_needs_at_least_one_procedure(dermatologist, patient):
    with pytest.raises(ValidationError, match="at least one procedure"):
        session_log(session=new_session(patient, dermatologist), procedures=[], by=dermatologist)


def test_repeating_cross_too_soon_must_be_acknowledged(dermatologist, patient):
    TreatmentSessionFactory(
        patient=patient,
        clinician=dermatologist,
        performed_at=timezone.now() - dt.timedelta(days=10),
    )
    with pytest.raises(WarningsNotAcknowledged) as raised:
        session_log(
            session=new_session(patient, dermatologist), procedures=[cross()], by=dermatologist
        )
    assert [w.code for w in raised.value.warnings] == ["interval_cross"]
    assert "10 days ago" in raised.value.warnings[0].message


def test_amending_keeps_history_and_asks_only_for_new_warnings(dermatologist):
    patient = PatientFactory(fitzpatrick_type=5)
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    procedure = session.cross_procedures.get()
    procedure.tca_concentration_percent = Decimal(65)
    session.notes = "Frost slower on the left."

    amended = session_amend(
        session=session, procedures=[procedure], changed=[procedure], by=dermatologist
    )  # pih_skin_type was acknowledged when logged, so nothing new to tick

    assert amended.cross_procedures.get().tca_concentration_percent == Decimal(65)
    assert [h.tca_concentration_percent for h in procedure.history.order_by("history_date")] == [
        Decimal(100),
        Decimal(65),
    ]
    assert session.history.count() == 2
    assert SessionWarning.objects.filter(session=session).count() == 1


def test_adding_a_fully_ablative_laser_on_amend_needs_a_new_acknowledgement(dermatologist):
    from treatments.models import LaserProcedure

    patient = PatientFactory(on_isotretinoin=True)
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    laser = LaserProcedure(
        device_name="UltraPulse",
        laser_type="fully_ablative",
        wavelength_nm=10600,
        passes=1,
        cooling="air",
    )
    existing = session.cross_procedures.get()
    with pytest.raises(WarningsNotAcknowledged) as raised:
        session_amend(
            session=session, procedures=[existing, laser], changed=[laser], by=dermatologist
        )
    assert [w.code for w in raised.value.warnings] == ["isotretinoin_ablative"]
    assert session.laser_procedures.count() == 0
