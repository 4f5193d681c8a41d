"""Row queries compiled once (clinic.lib.compiled.CompiledRows) give what the queryset gives, for
any argument, in any time zone, and refuse a query they cannot stand values into."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from clinic.lib.compiled import CompiledInstances, CompiledRows
from patients.models import Patient, ScarAssessment
from patients.models.assessment import _chart_rows_of
from scheduling.models import Appointment
from tests.factories import PatientFactory, ScarAssessmentFactory
from tests.scheduling.factories import AppointmentFactory
from tests.treatments.factories import ClinicalPhotoFactory
from treatments.patient_outcomes import _photo_day_counts_of

pytestmark = pytest.mark.django_db


def test_rows_are_the_querysets_for_each_argument():
    """Dates (converted from text on SQLite), a subquery's sum, counts; and none at all."""
    first, second, none = PatientFactory(), PatientFactory(), PatientFactory()
    for day in (dt.date(2026, 1, 10), dt.date(2026, 1, 10), dt.date(2026, 3, 2)):
        ClinicalPhotoFactory(patient=first, taken_on=day)
    ClinicalPhotoFactory(patient=second, taken_on=dt.date(2025, 12, 1))
    ScarAssessmentFactory(patient=first, assessed_on=dt.date(2026, 1, 10))
    ScarAssessmentFactory(patient=second, assessed_on=dt.date(2026, 2, 1))
    photo_days, chart_rows = CompiledRows(_photo_day_counts_of), CompiledRows(_chart_rows_of)
    for patient in (first, second, none, first):
        assert photo_days(patient.pk) == list(_photo_day_counts_of(patient.pk))
        assert chart_rows(patient.pk) == list(_chart_rows_of(patient.pk))
    assert photo_days(first.pk) == [(dt.date(2026, 1, 10), 2), (dt.date(2026, 3, 2), 1)]
    (row,) = chart_rows(second.pk)
    assert row[1] == dt.date(2026, 2, 1)
    assert row[13] is not None  # the ice pick count, from the subquery


def test_the_query_is_built_once_per_time_zone_and_its_sql_names_the_zone():
    patient = PatientFactory()
    # 23:30 in London on 1 June is 18:30 in New York, and 1 June; 01:30 on 2 June is 20:30.
    AppointmentFactory(patient=patient, starts_at=dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC))
    AppointmentFactory(patient=patient, starts_at=dt.datetime(2026, 6, 2, 0, 30, tzinfo=dt.UTC))
    built = []

    def days_of(patient_pk: int):
        built.append(patient_pk)
        return (
            Appointment.objects.filter(patient_id=patient_pk)
            .annotate(day=TruncDate("starts_at"))
            .order_by("starts_at")
            .values_list("day")
        )

    days = CompiledRows(days_of)
    with timezone.override("Europe/London"):
        assert days(patient.pk) == [(dt.date(2026, 6, 1),), (dt.date(2026, 6, 2),)]
        assert days(patient.pk) == list(days_of(patient.pk))
    with timezone.override("America/New_York"):
        assert days(patient.pk) == [(dt.date(2026, 6, 1),), (dt.date(2026, 6, 1),)]
    with timezone.override("Europe/London"):
        days(patient.pk)
    compiled_with = [pk for pk in built if pk < 0]
    assert len(compiled_with) == 2  # London, then New York; not again for London


def test_columns_an_ordering_adds_are_not_returned():
    patient = PatientFactory()
    ScarAssessmentFactory(patient=patient, assessed_on=dt.date(2026, 1, 10))
    ScarAssessmentFactory(patient=patient, assessed_on=dt.date(2026, 2, 10))

    def assessors(patient_pk: int):
        rows = ScarAssessment.objects.filter(patient_id=patient_pk).order_by("assessed_on")
        return rows.values_list("assessor_id").distinct()

    rows = CompiledRows(assessors)(patient.pk)
    assert rows == list(assessors(patient.pk))
    assert {len(row) for row in rows} == {1}


def test_two_arguments_each_find_their_place():
    patient = PatientFactory()
    kept = ScarAssessmentFactory(patient=patient)
    ScarAssessmentFactory(patient=patient)

    def one(patient_pk: int, pk: int):
        return ScarAssessment.objects.filter(patient_id=patient_pk, pk=pk).values_list("pk")

    compiled = CompiledRows(one, types=(int, int))
    assert compiled(patient.pk, kept.pk) == [(kept.pk,)]
    assert compiled(kept.pk + 1000, patient.pk) == []
    with pytest.raises(TypeError):
        compiled(patient.pk)


def test_an_argument_that_does_not_reach_the_sql_as_an_integer_is_refused():
    def by_mrn(patient_pk: int):
        return Patient.objects.filter(mrn=str(patient_pk)).values_list("pk")

    with pytest.raises(ImproperlyConfigured):
        CompiledRows(by_mrn)(1)


def test_date_times_are_adapted_as_the_orm_adapts_them():
    """A date-time reaches PostgreSQL as it is and SQLite as UTC text: the real value too."""
    patient = PatientFactory()
    for hour in (8, 12, 16):
        AppointmentFactory(
            patient=patient, starts_at=dt.datetime(2026, 6, 1, hour, 0, tzinfo=dt.UTC)
        )

    def since(patient_pk: int, start: dt.datetime):
        rows = Appointment.objects.filter(patient_id=patient_pk, starts_at__gte=start)
        return rows.order_by("starts_at").values_list("starts_at")

    compiled = CompiledRows(since, types=(int, dt.datetime))
    london_noon = dt.datetime(2026, 6, 1, 13, 0, tzinfo=ZoneInfo("Europe/London"))  # 12:00 UTC
    for start in (london_noon, dt.datetime(2026, 6, 1, 12, 0, 1, tzinfo=dt.UTC)):
        assert compiled(patient.pk, start) == list(since(patient.pk, start))
    assert [row[0].hour for row in compiled(patient.pk, london_noon)] == [12, 16]
    with pytest.raises(TypeError):
        compiled(patient.pk, dt.datetime(2026, 6, 1, 12, 0))  # naive: which 12:00?
    with pytest.raises(ValueError):
        CompiledRows(since, types=(int, str))


def test_instances_are_the_stored_rows_with_their_annotations():
    first, second = PatientFactory(), PatientFactory()
    ScarAssessmentFactory(patient=first)

    def with_count(pk: int):
        return Patient.objects.filter(pk=pk).annotate(visits=Count("assessments"))

    patients = CompiledInstances(Patient, with_count, annotations=("visits",))
    (found,) = patients(first.pk)
    assert found == first and found.first_name == first.first_name and found.visits == 1
    assert not found._state.adding and found._state.db == "default"
    assert patients(second.pk)[0].visits == 0
    assert patients(second.pk + 1000) == []
