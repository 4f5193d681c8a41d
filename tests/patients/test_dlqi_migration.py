"""Migrations 0004-0006: DLQI scores stored before issue 10 become the answers they stand for,
and every stored total is still what recomputing from the stored answers gives."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("patients", "0003_fitzpatrick_until_assessed_audit_users_optional")
AFTER = ("patients", "0006_dlqi_answers_constraint")

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_latest():
    """Past AFTER to every app's latest migration, so the real models can be used to read."""
    migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    # Going back to 0003 also unapplies any other app's migration that depends on a later
    # patients migration; every app is brought back to its latest state for the next tests.
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_assessment(apps, patient, user, day, dlqi):
    model = apps.get_model("patients", "ScarAssessment")
    values = {f"dlqi_{n}": score for n, score in enumerate(dlqi, 1)} if dlqi else {}
    return model.objects.create(
        patient=patient,
        assessor=user,
        assessed_on=day,
        gb_grade=3,
        ecca_score=0,
        gb_quantitative_score=0,
        dlqi_score=sum(dlqi) if dlqi else None,
        ecca_version="ECCA (Dreno 2007)",
        gb_version="Goodman & Baron quantitative (2006)",
        **values,
    )


def test_stored_scores_become_answers_and_recompute_to_the_same_total():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="migrator")
    patient = old.get_model("patients", "Patient").objects.create(
        mrn="MIG-001", first_name="Old", last_name="Record", date_of_birth=dt.date(1990, 1, 1)
    )
    rows = {
        "mixed": _old_assessment(
            old, patient, user, dt.date(2025, 1, 1), [3, 2, 1, 0, 3, 2, 3, 1, 0, 2]
        ),
        "work_a_lot": _old_assessment(
            old, patient, user, dt.date(2025, 2, 1), [0] * 6 + [2] + [0] * 3
        ),
        "work_a_little": _old_assessment(
            old, patient, user, dt.date(2025, 3, 1), [0] * 6 + [1] + [0] * 3
        ),
        "work_zero": _old_assessment(old, patient, user, dt.date(2025, 4, 1), [1] * 10),
        "none": _old_assessment(old, patient, user, dt.date(2025, 5, 1), None),
    }
    pks = {name: row.pk for name, row in rows.items()}
    migrate_to_latest()

    from patients.models import ScarAssessment

    mixed = ScarAssessment.objects.get(pk=pks["mixed"])
    assert [getattr(mixed, f"dlqi_{n}") for n in range(1, 11)] == [
        "very_much",
        "a_lot",
        "a_little",
        "not_at_all",
        "very_much",
        "a_lot",
        "yes",
        "a_little",
        "not_at_all",
        "a_lot",
    ]
    assert mixed.dlqi_7_problem is None
    expected_items = {
        "work_a_lot": ("no", "a_lot"),
        "work_a_little": ("no", "a_little"),
        "work_zero": ("no", "a_little"),  # item 7 scored 1 in this row
    }
    for name, (prevented, problem) in expected_items.items():
        row = ScarAssessment.objects.get(pk=pks[name])
        assert (row.dlqi_7, row.dlqi_7_problem) == (prevented, problem), name
    none = ScarAssessment.objects.get(pk=pks["none"])
    assert (none.dlqi_1, none.dlqi_score, none.dlqi_recorded) == (None, None, False)
    for row in ScarAssessment.objects.filter(pk__in=pks.values()):
        result = row.dlqi_result()
        assert (None if result is None else result.total) == row.dlqi_score
    assert mixed.dlqi_score == 17
    assert mixed.acknowledged_warnings == []


def test_migrations_reverse_to_scores():
    migrate_to_latest()
    from django.contrib.auth.models import User

    from tests.factories import PatientFactory, ScarAssessmentFactory

    user = User.objects.create(username="reverser")
    answers = {f"dlqi_{n}": "a_lot" for n in range(1, 11)} | {
        "dlqi_7": "no",
        "dlqi_7_problem": "a_little",
        "dlqi_3": "not_relevant",
    }
    pk = ScarAssessmentFactory(patient=PatientFactory(), assessor=user, **answers).pk
    old = migrate(BEFORE)
    row = old.get_model("patients", "ScarAssessment").objects.get(pk=pk)
    assert [getattr(row, f"dlqi_{n}") for n in range(1, 11)] == [2, 2, 0, 2, 2, 2, 1, 2, 2, 2]
    assert row.dlqi_score == sum([2, 2, 0, 2, 2, 2, 1, 2, 2, 2])
