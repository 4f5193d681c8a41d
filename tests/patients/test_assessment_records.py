"""Scar assessments as stored: computed scores, database constraints, amendments with history."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients import scoring
from patients.models import FacialRegion, ScarAssessment, ScarCount
from patients.services import assessment_amend
from tests.factories import ScarAssessmentFactory

# DOMAIN.md's worked examples, entered the way a clinician would.
WORKED_GRID = {
    ("left_cheek", "ice_pick"): 8,
    ("right_cheek", "ice_pick"): 4,  # 12 ice pick in all: grade 2, 30 points
    ("forehead", "boxcar"): 4,  # grade 1, 20 points
    ("left_temple", "rolling"): 10,
    ("right_temple", "rolling"): 15,  # 25 rolling: grade 3, 75 points
}
WORKED_GB = {
    "gb_punched_out_deep_abnormal_base": 12,  # C x2: 6
    "gb_shallow_broad_atrophic": 6,  # B x1: 2
    "gb_macular": 25,  # A x3: 3
    "keloid_area_cm2": 3,  # under 5 cm2: 6
}


@pytest.fixture
def worked_example(dermatologist, patient):
    return ScarAssessmentFactory(
        patient=patient, assessor=dermatologist, grid=WORKED_GRID, **WORKED_GB
    )


def test_worked_examples_are_stored_as_ecca_125_and_goodman_baron_17(worked_example):
    worked_example.refresh_from_db()
    assert worked_example.ecca_score == 125
    assert worked_example.gb_quantitative_score == 17
    assert worked_example.ecca_version == scoring.ECCA_VERSION
    assert worked_example.gb_version == scoring.GOODMAN_BARON_VERSION


def test_every_grid_cell_is_stored_including_zeros(worked_example):
    cells = ScarCount.objects.filter(assessment=worked_example)
    assert cells.count() == len(FacialRegion) * len(scoring.EccaScarType) == 54
    assert cells.get(region="left_cheek", scar_type="ice_pick").count == 8
    assert cells.get(region="nose", scar_type="ice_pick").count == 0


@pytest.mark.parametrize("seed", range(12))
def test_recomputing_from_stored_counts_gives_the_stored_scores(dermatologist, patient, seed):
    rng = random.Random(seed)
    grid = {
        (region.value, scar_type.value): rng.choice([0, 0, 1, 4, 5, 9, 20, 21, 60])
        for region in FacialRegion
        for scar_type in scoring.EccaScarType
    }
    gb = {f"gb_{s.value}": rng.choice([0, 1, 10, 11, 20, 21]) for s in scoring.GoodmanBaronSubtype}
    answers = {f"cadi_{n}": rng.randint(0, 3) for n in range(1, 6)}
    # DLQI answers as given, "not relevant", item 7's two parts and unanswered items included.
    answers |= {
        f"dlqi_{n}": rng.choice([None, "very_much", "a_lot", "a_little", "not_at_all"])
        if n < 3
        else rng.choice([None, "very_much", "a_lot", "a_little", "not_at_all", "not_relevant"])
        for n in range(1, 11)
        if n != 7
    }
    answers["dlqi_7"] = rng.choice([None, "yes", "no", "not_relevant"])
    answers["dlqi_7_problem"] = rng.choice([None, "a_lot", "a_little", "not_at_all"])
    created = ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        grid=grid,
        keloid_area_cm2=Decimal(rng.choice(["0", "4.9", "5", "20", "20.1"])),
        **gb,
        **answers,
    )
    stored = ScarAssessment.objects.get(pk=created.pk)
    assert stored.recomputed_scores() == {
        "ecca_score": stored.ecca_score,
        "gb_quantitative_score": stored.gb_quantitative_score,
        "cadi_score": stored.cadi_score,
        "dlqi_score": stored.dlqi_score,
    }
    assert stored.cadi_score == sum(answers[f"cadi_{n}"] for n in range(1, 6))


def test_cadi_and_dlqi_are_optional_and_stored_when_answered(dermatologist, patient):
    without = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    assert (without.cadi_score, without.dlqi_score, without.dlqi_band) == (None, None, None)
    # Every DLQI item answered "a lot" (item 7: not prevented, but a lot of a problem): 2 each.
    answers = {f"dlqi_{n}": "a_lot" for n in range(1, 11)} | {f"cadi_{n}": 3 for n in range(1, 6)}
    answers |= {"dlqi_7": "no", "dlqi_7_problem": "a_lot"}
    answered = ScarAssessmentFactory(patient=patient, assessor=dermatologist, **answers)
    assert answered.cadi_score == 15
    assert answered.dlqi_score == 20
    assert answered.dlqi_band == scoring.DlqiBand.VERY_LARGE_EFFECT


def _violates(queryset, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


@pytest.mark.parametrize(
    "values",
    [
        {"gb_grade": 0},
        {"gb_grade": 5},
        {"gb_macular": 501},
        {"keloid_area_cm2": -1},
        {"cadi_1": 4},
        {"cadi_1": 1},  # one CADI answer without the other four
        {"ecca_score": 541},
        {"gb_quantitative_score": 85},
    ],
    ids=str,
)
def test_database_refuses_impossible_assessment_values(worked_example, values):
    _violates(ScarAssessment.objects.filter(pk=worked_example.pk), **values)


@pytest.mark.parametrize("count", [-1, 501])
def test_database_refuses_impossible_scar_counts(worked_example, count):
    _violates(ScarCount.objects.filter(assessment=worked_example), count=count)


def test_database_refuses_two_counts_for_one_cell(worked_example):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScarCount.objects.create(
            assessment=worked_example, region="nose", scar_type="ice_pick", count=1
        )


def test_amending_recomputes_scores_and_keeps_the_earlier_values(worked_example, dermatologist):
    grid = dict(WORKED_GRID)
    grid[("left_cheek", "ice_pick")] = 0  # 4 ice pick left: grade 1, 15 points
    worked_example.gb_grade = 2
    assessment_amend(assessment=worked_example, grid=grid, by=dermatologist)

    stored = ScarAssessment.objects.get(pk=worked_example.pk)
    assert stored.ecca_score == 125 - 30 + 15
    assert stored.recomputed_scores()["ecca_score"] == stored.ecca_score
    assert [h.gb_grade for h in stored.history.order_by("history_date")] == [3, 2]
    cell_history = ScarCount.history.filter(
        assessment_id=stored.pk, region="left_cheek", scar_type="ice_pick"
    ).order_by("history_date")
    assert [h.count for h in cell_history] == [8, 0]
    assert {h.history_user for h in cell_history} == {dermatologist}


def test_archived_assessments_leave_the_chart_but_stay_stored(worked_example, dermatologist):
    worked_example.archive(reason="Wrong patient", by=dermatologist)
    assert ScarAssessment.objects.chart_rows(worked_example.patient) == []
    stored = ScarAssessment.objects.get(pk=worked_example.pk)
    assert stored.is_archived
    assert stored.archive_reason == "Wrong patient"


def test_assessment_date_cannot_be_in_the_future(worked_example):
    from django.core.exceptions import ValidationError

    worked_example.assessed_on = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        worked_example.full_clean()
