"""The outcomes report computed by PostgreSQL gives what the portable path gives, on a generated
clinic with every awkward case the rules name: combinations (more than the three shown), two
sessions on one day, sessions just before and after local midnight, archived sessions and
assessments, two assessments on one day recorded out of id order, no Fitzpatrick type, ECCA 0
at baseline, adverse events, sessions with no procedure.

PostgreSQL only: on SQLite the portable path is the only one.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from clinic.roles import Role
from patients.models import ScarAssessment
from patients.scoring import EccaScarType
from tests.factories import PatientFactory, UserFactory
from tests.treatments.factories import cross, filler, subcision
from treatments import report_sql
from treatments.models import AdverseEvent, AdverseEventType, TreatmentSession
from treatments.report import (
    ReportFilters,
    dataset_records_python,
    outcomes_report,
    outcomes_report_python,
)
from treatments.report_sql import dataset_records_sql, outcomes_report_sql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's"),
]

MAKERS = {"cross": cross, "subcision": subcision, "filler": filler}
SETS = [
    ("cross",),
    ("subcision",),
    ("filler",),
    ("cross", "subcision"),
    ("cross", "filler"),
    ("subcision", "filler"),
    ("cross", "subcision", "filler"),
    (),  # a session logged with no procedure: not in the report
]
START = dt.date(2024, 1, 1)


def _templates() -> list[dict]:
    """Assessment field sets with their scores as the model computes them (ECCA 0 included)."""
    found = []
    for ice_pick, rolling, grade in [(0, 0, 1), (3, 2, 2), (8, 5, 3), (15, 9, 3), (25, 20, 4)]:
        fields = {"gb_grade": grade, "gb_shallow_broad_atrophic": rolling % 8}
        fields["keloid_area_cm2"] = Decimal(0)
        sample = ScarAssessment(**fields)
        counts = {EccaScarType.ICE_PICK: ice_pick, EccaScarType.ROLLING: rolling}
        sample.set_scores({k: v for k, v in counts.items() if v})
        fields.update(
            ecca_score=sample.ecca_score,
            gb_quantitative_score=sample.gb_quantitative_score,
            ecca_version=sample.ecca_version,
            gb_version=sample.gb_version,
        )
        found.append(fields)
    return found


def _local(day: dt.date, minutes: int) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time.min)
    return timezone.make_aware(midnight + dt.timedelta(minutes=minutes))


def make_clinic(patients: int = 200, seed: int = 14) -> list:
    """A seeded random clinic, written with bulk_create (the rules under test read the tables,
    not the services). Returns the dermatologists."""
    rng = random.Random(seed)
    derms = [UserFactory(role=Role.DERMATOLOGIST) for _ in range(3)]
    templates = _templates()
    skin_types = [None, 1, 2, 3, 4, 5, 6]
    people = [PatientFactory(fitzpatrick_type=rng.choice(skin_types)) for _ in range(patients)]
    assessments, sessions, kinds = [], [], []
    for patient in people:
        start = START + dt.timedelta(days=rng.randrange(540))
        for _ in range(rng.randrange(7)):
            day = start + dt.timedelta(days=rng.randint(-200, 260))
            for _ in range(rng.choice([1, 1, 1, 2])):  # now and then two on one day
                assessments.append(
                    ScarAssessment(
                        patient=patient,
                        assessed_on=day,
                        assessor=rng.choice(derms),
                        archived_at=timezone.now() if rng.random() < 0.05 else None,
                        **rng.choice(templates),
                    )
                )
        day = start
        for _ in range(rng.randint(1, 5)):
            for _ in range(rng.choice([1, 1, 1, 2])):  # now and then two on one day
                minutes = rng.choice([15, 600, 720, 1410, rng.randrange(0, 1440, 15)])
                sessions.append(
                    TreatmentSession(
                        patient=patient,
                        performed_at=_local(day, minutes),
                        clinician=rng.choice(derms),
                        consent_confirmed=True,
                        fitzpatrick_type=rng.choice(skin_types),
                        archived_at=timezone.now() if rng.random() < 0.04 else None,
                    )
                )
                kinds.append(rng.choices(SETS, weights=[8, 5, 3, 4, 2, 2, 1, 1])[0])
            day += dt.timedelta(days=rng.randint(14, 90))
    ScarAssessment.objects.bulk_create(assessments)
    # Recorded times out of id order, so "the last recorded that day" is not "the highest id".
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_scarassessment SET created_at = assessed_on + time '08:00'"
            " + (id * 7919 %% 600) * interval '1 minute'",
            [],
        )
    TreatmentSession.objects.bulk_create(sessions)
    procedures = {name: [] for name in MAKERS}
    events = []
    for session, kind in zip(sessions, kinds, strict=True):
        for name in kind:
            procedures[name].append(MAKERS[name](session=session))
        for _ in range(rng.choice([0] * 8 + [1, 2])):
            events.append(
                AdverseEvent(
                    session=session,
                    event_type=rng.choice(AdverseEventType.values),
                    severity="mild",
                    onset_on=session.performed_at.date() + dt.timedelta(days=2),
                )
            )
    for name, rows in procedures.items():
        type(MAKERS[name]()).objects.bulk_create(rows)
    AdverseEvent.objects.bulk_create(events)
    return derms


def test_sql_and_python_give_the_same_report_and_data_set(monkeypatch):
    derms = make_clinic()
    # The data set is read a few patients at a time: make the steps small, so rows cross them.
    monkeypatch.setattr(report_sql, "PATIENTS_PER_QUERY", 7)
    cases = [
        ReportFilters(),
        ReportFilters(dt.date(2024, 6, 1), dt.date(2025, 5, 31)),
        ReportFilters(dermatologist_id=derms[0].pk),
        ReportFilters(dt.date(2024, 3, 1), dt.date(2024, 12, 31), derms[1].pk),
        ReportFilters(dt.date(2030, 1, 1)),  # nothing
    ]
    for filters in cases:
        python = outcomes_report_python(filters)
        assert outcomes_report_sql(filters) == python, filters
        assert list(dataset_records_sql(filters)) == list(dataset_records_python(filters))

    # The data set exercises what it claims to: every group, combinations beyond the three
    # shown, figures from 10 or more patients and from fewer, adverse events.
    rows = {(r.group, r.band): r for r in outcomes_report_python(ReportFilters())}
    groups = {group for group, _ in rows}
    assert {"cross", "subcision", "filler"} < groups
    assert len(groups) == 6  # three modalities and the three commonest of four combinations
    figures = [f.ecca for r in rows.values() for f in r.follow_ups]
    assert any(f.n >= 10 for f in figures) and any(0 < f.n < 10 for f in figures)
    assert any(r.adverse_events for r in rows.values())


def test_the_report_uses_the_sql_path_on_postgresql(django_assert_num_queries):
    make_clinic(patients=20)
    # Savepoint (the test's transaction; BEGIN in the app), SET LOCAL jit, SET LOCAL work_mem,
    # the one statement, release.
    with django_assert_num_queries(5):
        rows = outcomes_report(ReportFilters())
    assert rows == outcomes_report_python(ReportFilters())


def test_the_data_set_reads_a_step_of_patients_at_a_time(monkeypatch, django_assert_num_queries):
    make_clinic(patients=20)
    monkeypatch.setattr(report_sql, "PATIENTS_PER_QUERY", 8)
    records = list(dataset_records_python(ReportFilters()))
    patients = TreatmentSession.objects.current().values("patient").distinct().count()
    steps = patients // 8 + 1
    # Per step: the next patients' ids, their sessions, their assessments; the last step finds
    # fewer than 8 patients (or none).
    with django_assert_num_queries(3 * steps - (2 if patients % 8 == 0 else 0)):
        assert list(dataset_records_sql(ReportFilters())) == records
