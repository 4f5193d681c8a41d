"""The progress tab reads assessments as plain rows (ScarAssessment.objects.chart_rows): each
carries what the model instance would tell the tab, under the same names."""

import datetime as dt

import pytest

from patients.models import ScarAssessment, ScarCount
from tests.factories import ScarAssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERED = {f"dlqi_{n}": "a_little" for n in range(1, 11)} | {"dlqi_7": "no"}
SHOWN = [
    "pk", "assessed_on", "created_at", "updated_at", "ecca_score", "gb_grade",
    "gb_quantitative_score", "cadi_score", "dlqi_score", "dlqi_band", "dlqi_recorded",
    "was_amended",
]  # fmt: skip


@pytest.mark.parametrize(
    "recorded",
    [
        {},  # neither CADI nor DLQI
        {"cadi_1": 2, "cadi_2": 1, "cadi_3": 0, "cadi_4": 3, "cadi_5": 1, **ANSWERED},
        {"dlqi_7": "no", "dlqi_7_problem": "a_lot"},  # a DLQI begun, not scored
        {"dlqi_7": "no", "dlqi_7_problem": "not_at_all"},
    ],
    ids=["scores only", "cadi and dlqi", "dlqi unscored", "work problem only"],
)
def test_a_chart_row_says_what_the_assessment_says(patient, recorded):
    assessor = UserFactory(first_name="Ngozi", last_name="Okafor")
    made = ScarAssessmentFactory(
        patient=patient,
        assessor=assessor,
        grid={("left_cheek", "ice_pick"): 7, ("nose", "ice_pick"): 2, ("chin", "boxcar"): 4},
        **recorded,
    )
    (row,) = ScarAssessment.objects.chart_rows(patient)
    model = ScarAssessment.objects.get(pk=made.pk)
    assert {name: getattr(row, name) for name in SHOWN} == {
        name: getattr(model, name) for name in SHOWN
    }
    assert row.ice_pick == 9
    assert row.assessor.get_full_name() == "Ngozi Okafor" == model.assessor.get_full_name()
    assert row.assessor.username == model.assessor.username
    assert row == model and model == row


def test_without_a_grid_there_is_no_ice_pick_count_and_an_amendment_shows(patient, dermatologist):
    made = ScarAssessmentFactory(patient=patient, assessor=dermatologist)
    ScarCount.objects.filter(assessment=made).delete()  # as recorded before the grid existed
    ScarAssessment.objects.filter(pk=made.pk).update(
        updated_at=made.created_at + dt.timedelta(minutes=3)
    )
    (row,) = ScarAssessment.objects.chart_rows(patient)
    assert row.ice_pick is None
    assert row.was_amended
    assert row.assessor.get_full_name() == dermatologist.get_full_name()
