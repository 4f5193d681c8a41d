"""Counts entered once: the Goodman & Baron subtype an ECCA type maps to takes the grid's count
when its field is left empty; a typed number, 0 included, is the dermatologist's and is kept."""

import datetime as dt

import pytest
from django.utils import timezone

from patients import scoring
from patients.models import ScarAssessment
from tests.factories import ScarAssessmentFactory

DAY = timezone.localdate() - dt.timedelta(days=10)
ICE_PICK_FIELD = "gb_punched_out_deep_abnormal_base"


def form_data(assessor, **overrides) -> dict:
    data = {
        "assessed_on": DAY.isoformat(),
        "assessor": assessor.pk,
        "gb_grade": "3",
        "keloid_area_cm2": "0",
        "cell_left_cheek__ice_pick": "8",
        "cell_right_cheek__ice_pick": "4",  # 12 ice pick in all
        "cell_forehead__boxcar": "6",
        "cell_chin__rolling": "9",
    }
    data.update(overrides)
    return data


def post(client, patient, data) -> ScarAssessment:
    response = client.post(f"/patients/{patient.pk}/assessments/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    return ScarAssessment.objects.get()


def test_only_ice_pick_maps_and_to_the_deep_punched_out_row():
    assert dict(scoring.GB_SUBTYPE_FROM_ECCA) == {
        scoring.EccaScarType.ICE_PICK: scoring.GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE
    }
    assert scoring.GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE.group == "C"


@pytest.mark.parametrize(
    ("counts", "implied"),
    [
        ({}, 0),
        ({"ice_pick": 1}, 1),
        ({"ice_pick": 12, "boxcar": 6, "rolling": 9}, 12),  # boxcar and rolling are not copied
        ({"boxcar": 40, "rolling": 40, "keloid_old_hypertrophic": 3}, 0),
    ],
)
def test_gb_counts_from_ecca(counts, implied):
    result = scoring.gb_counts_from_ecca(counts)
    assert result == {scoring.GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE: implied}


def test_gb_counts_from_ecca_checks_its_input():
    with pytest.raises(scoring.ScoringInputError):
        scoring.gb_counts_from_ecca({"ice_pick": -1})
    with pytest.raises(scoring.ScoringInputError):
        scoring.gb_counts_from_ecca({"pitted": 1})


def test_empty_mapped_field_takes_the_grid_total(derm_client, dermatologist, patient):
    assessment = post(derm_client, patient, form_data(dermatologist))
    assert assessment.gb_punched_out_deep_abnormal_base == 12
    # Unmapped subtypes stay as entered (empty: 0), so boxcar and rolling are not guessed.
    assert assessment.gb_punched_out_shallow_small == 0
    assert assessment.gb_moderate_dish_atrophic == 0
    assert assessment.gb_quantitative_score == 6  # group C, 11-20 scars: 3 x 2


def test_typed_count_is_kept(derm_client, dermatologist, patient):
    assessment = post(derm_client, patient, form_data(dermatologist, **{ICE_PICK_FIELD: "5"}))
    assert assessment.gb_punched_out_deep_abnormal_base == 5


def test_typed_zero_is_kept(derm_client, dermatologist, patient):
    assessment = post(derm_client, patient, form_data(dermatologist, **{ICE_PICK_FIELD: "0"}))
    assert assessment.gb_punched_out_deep_abnormal_base == 0


def test_no_ice_pick_in_the_grid_leaves_zero(derm_client, dermatologist, patient):
    data = form_data(dermatologist, cell_left_cheek__ice_pick="", cell_right_cheek__ice_pick="")
    assert post(derm_client, patient, data).gb_punched_out_deep_abnormal_base == 0


def test_form_marks_the_mapped_field_for_the_script(derm_client, patient):
    content = derm_client.get(f"/patients/{patient.pk}/assessments/new/").content.decode()
    assert f'id="id_{ICE_PICK_FIELD}"' in content
    assert content.count("data-from-ecca=") == 1
    assert 'data-from-ecca="ice_pick"' in content
    assert "From the grid&#x27;s ice pick" in content or "From the grid's ice pick" in content
    assert "js/assessment_form.js" in content
    assert "<script>" not in content  # the CSP forbids inline scripts


def _amend_form_value(client, assessment) -> str:
    form = client.get(f"/patients/assessments/{assessment.pk}/amend/").context["form"]
    return form[ICE_PICK_FIELD].value()


def test_amend_form_shows_the_stored_count_zero_included(derm_client, dermatologist, patient):
    grid = {("nose", "ice_pick"): 7}
    overridden = ScarAssessmentFactory(
        patient=patient, assessor=dermatologist, grid=grid, **{ICE_PICK_FIELD: 0}
    )
    # Shown as 0, so saving the amendment unchanged keeps the dermatologist's 0.
    assert _amend_form_value(derm_client, overridden) == 0
    following = ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=dt.date(2026, 1, 1),
        grid=grid,
        **{ICE_PICK_FIELD: 7},
    )
    assert _amend_form_value(derm_client, following) == 7
    empty = ScarAssessmentFactory(
        patient=patient, assessor=dermatologist, assessed_on=dt.date(2025, 1, 1)
    )
    assert _amend_form_value(derm_client, empty) == 0


def test_amending_keeps_a_stored_zero(derm_client, dermatologist, patient):
    assessment = ScarAssessmentFactory(
        patient=patient,
        assessor=dermatologist,
        assessed_on=DAY,
        grid={("nose", "ice_pick"): 7},
        **{ICE_PICK_FIELD: 0},
    )
    data = form_data(dermatologist, cell_nose__ice_pick="7", **{ICE_PICK_FIELD: "0"})
    response = derm_client.post(f"/patients/assessments/{assessment.pk}/amend/", data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.gb_punched_out_deep_abnormal_base == 0
