"""Scar register rules: numbering, position bounds, region derivation, status history, links."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments.factories import TreatmentSessionFactory, cross, subcision
from tests.treatments.scar_factories import place_scar
from treatments.models import Scar, ScarTreatment
from treatments.scar_services import (
    active_of_type_in_region,
    assessment_prefill,
    scar_links_set,
    scar_status_record,
    scar_update,
)

pytestmark = pytest.mark.django_db


def test_numbers_are_per_patient_and_never_reused(patient, dermatologist):
    first = place_scar(patient, dermatologist)
    second = place_scar(patient, dermatologist)
    other = place_scar(PatientFactory(), dermatologist)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    second.archive(reason="placed by mistake", by=dermatologist)
    assert place_scar(patient, dermatologist).number == 3


def test_number_unique_in_the_database(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    copy = Scar(**{f.attname: getattr(scar, f.attname) for f in Scar._meta.concrete_fields})
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_region_derived_from_position(patient, dermatologist):
    scar = place_scar(patient, dermatologist, view="frontal", x=0.7, y=0.55)
    assert scar.region == "left_cheek"
    scar.view, scar.x, scar.y = "right", 0.6, 0.55
    scar_update(scar=scar, by=dermatologist)
    scar.refresh_from_db()
    assert scar.region == "right_cheek"


@pytest.mark.parametrize(("x", "y"), [(-0.1, 0.5), (0.5, 1.2)])
def test_position_out_of_bounds_refused(patient, dermatologist, x, y):
    with pytest.raises((ValidationError, ValueError)):
        place_scar(patient, dermatologist, x=x, y=y)
    assert not Scar.objects.exists()


def test_position_bounds_enforced_by_the_database(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scar.objects.filter(pk=scar.pk).update(x=1.5)


def test_width_bounds(patient, dermatologist):
    with pytest.raises(ValidationError):
        place_scar(patient, dermatologist, width_mm=0)
    assert place_scar(patient, dermatologist, width_mm="1.5").width_mm == 1.5


def test_status_history_keeps_each_status_with_its_date(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    today = timezone.localdate()
    scar_status_record(
        scar=scar, status="improved", recorded_on=today - dt.timedelta(days=30), by=dermatologist
    )
    scar_status_record(scar=scar, status="resolved", recorded_on=today, by=dermatologist)
    # Entered late for an earlier visit: kept in the history, the scar shows the latest.
    scar_status_record(
        scar=scar, status="active", recorded_on=today - dt.timedelta(days=60), by=dermatologist
    )
    scar.refresh_from_db()
    assert (scar.status, scar.status_on) == ("resolved", today)
    # Oldest visit first; "active" twice: when placed (today) and the late entry.
    assert [(c.status, c.note) for c in scar.status_changes.all()] == [
        ("active", ""),
        ("improved", ""),
        ("active", "Placed"),
        ("resolved", ""),
    ]
    assert scar.history.count() >= 2


def test_status_cannot_be_in_the_future(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    with pytest.raises(ValidationError):
        scar_status_record(
            scar=scar,
            status="resolved",
            recorded_on=timezone.localdate() + dt.timedelta(days=1),
            by=dermatologist,
        )


def test_archived_patient_gets_no_new_scar(patient, dermatologist):
    patient.archive(reason="duplicate", by=dermatologist)
    with pytest.raises(Exception, match="archived"):
        place_scar(patient, dermatologist)


def test_linking_a_cross_procedure_sets_its_scar_count(patient, dermatologist):
    scars = [place_scar(patient, dermatologist) for _ in range(3)]
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    procedure = session.cross_procedures.get()
    assert procedure.scars_treated == 12
    scar_links_set(procedure=procedure, scars=scars[:2])
    procedure.refresh_from_db()
    assert procedure.scars_treated == 2
    assert set(ScarTreatment.objects.values_list("scar__number", flat=True)) == {1, 2}
    scar_links_set(procedure=procedure, scars=scars[1:])
    procedure.refresh_from_db()
    assert procedure.scars_treated == 2
    assert set(ScarTreatment.objects.values_list("scar__number", flat=True)) == {2, 3}


def test_linking_and_unlinking_scars_is_kept_in_history(patient, dermatologist):
    scars = [place_scar(patient, dermatologist) for _ in range(3)]
    session = TreatmentSessionFactory(patient=patient, clinician=dermatologist)
    procedure = session.cross_procedures.get()
    scar_links_set(procedure=procedure, scars=scars[:2])
    scar_links_set(procedure=procedure, scars=scars[1:])
    history = ScarTreatment.history.order_by("history_id")
    assert [(h.history_type, h.scar.number) for h in history] == [
        ("+", 1),
        ("+", 2),
        ("-", 1),
        ("+", 3),
    ]


def test_only_cross_and_punch_pick_scars(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    session = TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, procedures=[subcision()]
    )
    with pytest.raises(ValueError):
        scar_links_set(procedure=session.subcision_procedures.get(), scars=[scar])


def test_scars_of_another_patient_refused(patient, dermatologist):
    other = place_scar(PatientFactory(), dermatologist)
    session = TreatmentSessionFactory(
        patient=patient, clinician=dermatologist, procedures=[cross()]
    )
    with pytest.raises(ValidationError):
        scar_links_set(procedure=session.cross_procedures.get(), scars=[other])


def test_a_link_names_exactly_one_procedure(patient, dermatologist):
    scar = place_scar(patient, dermatologist)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScarTreatment.objects.create(scar=scar)


def test_active_ice_pick_in_region_and_assessment_prefill(patient, dermatologist):
    a = place_scar(patient, dermatologist, x=0.7, y=0.55)  # left cheek
    place_scar(patient, dermatologist, x=0.72, y=0.5)  # left cheek
    place_scar(patient, dermatologist, x=0.7, y=0.6, scar_type="boxcar")
    place_scar(patient, dermatologist, x=0.3, y=0.55)  # right cheek
    resolved = place_scar(patient, dermatologist, x=0.75, y=0.5)
    scar_status_record(
        scar=resolved, status="resolved", recorded_on=timezone.localdate(), by=dermatologist
    )
    found = active_of_type_in_region(patient, scar_type="ice_pick", region="left_cheek")
    assert len(found) == 2 and a in found
    assert assessment_prefill(Scar.objects.of_patient(patient)) == {
        "cell_left_cheek__ice_pick": 2,
        "cell_left_cheek__boxcar": 1,
        "cell_right_cheek__ice_pick": 1,
    }
