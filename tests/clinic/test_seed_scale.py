"""seed_scale: the data set for measuring the app at scale, made small here.

It runs only on PostgreSQL (its SQL and the exclusion constraints it must respect exist only
there); on SQLite the test checks that it refuses.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from patients.models import AccessLog, Patient, ScarAssessment
from scheduling.models import Appointment, CalendarChange, Room
from tests.factories import PatientFactory
from treatments.models import ClinicalPhoto, CrossProcedure, SubcisionProcedure, TreatmentSession

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="seed_scale writes PostgreSQL SQL and must respect PostgreSQL's exclusion constraints",
)
SMALL = {
    "patients": 200,
    "assessments": 300,
    "sessions": 250,
    "appointments": 4000,
    "photos": 400,
    "access_logs": 500,
    "dermatologists": 10,
    "rooms": 6,
}

OVERLAPS = """
    SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
      ON a.id < b.id AND a.{column} = b.{column}
     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
     AND a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')
"""


@on_postgresql
def test_seed_scale_makes_every_table_to_size_within_the_constraints(db):
    call_command("seed_scale", **SMALL, stdout=None)

    assert Patient.objects.count() == 200
    assert ScarAssessment.objects.count() == 300
    assert TreatmentSession.objects.count() == 250
    # Every session has one procedure.
    assert CrossProcedure.objects.count() + SubcisionProcedure.objects.count() == 250
    assert Appointment.objects.count() == 4000
    assert ClinicalPhoto.objects.count() == 400
    assert AccessLog.objects.count() == 500
    # A booking's write for every appointment at least, and the renames.
    assert CalendarChange.objects.filter(day__isnull=False).count() >= 4000
    assert CalendarChange.objects.filter(day__isnull=True).count() == 2
    assert Room.objects.count() == 6
    assert Appointment.objects.values("dermatologist").distinct().count() == 10
    # Both visits that hold their slot and cancelled / no-show ones, which free it.
    assert Appointment.objects.active().count() > 1000
    assert Appointment.objects.exclude(status__in=["booked", "completed"]).count() > 1000

    # The exclusion constraints are in place, and no active visits overlap for anyone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'appointment_no_overlap_%%'"
        )
        assert cursor.fetchone()[0] == 3
        for column in ("dermatologist_id", "room_id", "patient_id"):
            cursor.execute(OVERLAPS.format(column=column))
            assert cursor.fetchone()[0] == 0, column

    # Stored scores are what the stored counts give.
    for assessment in ScarAssessment.objects.prefetch_related("scar_counts")[:50]:
        assert assessment.scar_counts.all()
        recomputed = assessment.recomputed_scores()
        assert recomputed["ecca_score"] == assessment.ecca_score
        assert recomputed["gb_quantitative_score"] == assessment.gb_quantitative_score
    # A few heavy charts, like a long-treated patient's.
    heaviest = Patient.objects.order_by("pk").first()
    assert heaviest.sessions.count() >= 20
    assert heaviest.photos.count() >= 20
    # Photos share a handful of stored images.
    assert ClinicalPhoto.objects.values("image").distinct().count() == 6


@on_postgresql
def test_seed_scale_refuses_a_database_with_patients_unless_forced(db):
    PatientFactory()
    with pytest.raises(CommandError, match="already has patients"):
        call_command("seed_scale", **SMALL)
    call_command("seed_scale", **{**SMALL, "patients": 20, "appointments": 100}, force=True)
    assert Patient.objects.count() == 21


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
def test_seed_scale_refuses_sqlite(db):
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", **SMALL)
    assert not Patient.objects.exists()
