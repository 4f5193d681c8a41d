"""Unit tests for patients.scoring: every number in the clinical scales is pinned here.

Pure Python: no Django and no database, so these run with plain pytest.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from patients.scoring import (
    CADI_COPYRIGHT,
    CADI_ITEM_TOPICS,
    CADI_MAX,
    CADI_VERSION,
    DLQI_COPYRIGHT,
    DLQI_ITEM_TOPICS,
    DLQI_MAX,
    DLQI_MEANINGFUL_CHANGE,
    DLQI_VERSION,
    ECCA_MAX,
    ECCA_VERSION,
    ECCA_WEIGHTS,
    GOODMAN_BARON_GRADE_VERSION,
    GOODMAN_BARON_MAX,
    GOODMAN_BARON_VERSION,
    DlqiBand,
    DlqiResult,
    EccaScarType,
    GoodmanBaronGrade,
    GoodmanBaronSubtype,
    ScoringInputError,
    cadi_score,
    dlqi_band,
    dlqi_score,
    ecca_grade,
    ecca_score,
    goodman_baron_multiplier,
    goodman_baron_quantitative,
    keloid_area_points,
)

# ---------------------------------------------------------------------------------------------
# ECCA
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scar_type", "value", "weight"),
    [
        (EccaScarType.ICE_PICK, "ice_pick", 15),
        (EccaScarType.BOXCAR, "boxcar", 20),
        (EccaScarType.ROLLING, "rolling", 25),
        (EccaScarType.ELASTOLYSIS, "elastolysis", 30),
        (EccaScarType.HYPERTROPHIC_RECENT, "hypertrophic_recent", 40),
        (EccaScarType.KELOID_OR_OLD_HYPERTROPHIC, "keloid_old_hypertrophic", 50),
    ],
)
def test_ecca_scar_type_values_and_weights(scar_type: EccaScarType, value: str, weight: int):
    assert scar_type.value == value
    assert scar_type.weight == weight
    assert ECCA_WEIGHTS[scar_type] == weight


def test_ecca_has_exactly_six_types_with_distinct_labels():
    assert len(EccaScarType) == 6
    assert set(ECCA_WEIGHTS) == set(EccaScarType)
    labels = [scar_type.label for scar_type in EccaScarType]
    assert len(set(labels)) == 6
    assert EccaScarType.ICE_PICK.label == "Ice pick (V-shaped, < 2 mm)"


def test_ecca_weights_cannot_be_mutated():
    with pytest.raises(TypeError):
        ECCA_WEIGHTS[EccaScarType.ICE_PICK] = 99  # type: ignore[index]


@pytest.mark.parametrize(
    ("count", "grade"),
    [(0, 0), (1, 1), (4, 1), (5, 2), (20, 2), (21, 3), (500, 3)],
)
def test_ecca_grade_boundaries(count: int, grade: int):
    assert ecca_grade(count) == grade


def test_ecca_worked_example_from_domain():
    counts = {EccaScarType.ICE_PICK: 12, EccaScarType.BOXCAR: 4, EccaScarType.ROLLING: 25}
    assert ecca_score(counts) == 125


def test_ecca_string_keys_give_same_result_as_enum_keys():
    assert ecca_score({"ice_pick": 12, "boxcar": 4, "rolling": 25}) == 125


@pytest.mark.parametrize(
    "counts",
    [{}, dict.fromkeys(EccaScarType, 0), {"elastolysis": 0}],
)
def test_ecca_zero(counts: dict[EccaScarType | str, int]):
    assert ecca_score(counts) == 0


def test_ecca_maximum_is_540():
    assert ecca_score(dict.fromkeys(EccaScarType, 21)) == 540
    assert ECCA_MAX == 540


@pytest.mark.parametrize(
    ("scar_type", "count", "expected"),
    [
        (EccaScarType.ICE_PICK, 1, 15),
        (EccaScarType.BOXCAR, 5, 40),
        (EccaScarType.ROLLING, 21, 75),
        (EccaScarType.ELASTOLYSIS, 4, 30),
        (EccaScarType.HYPERTROPHIC_RECENT, 20, 80),
        (EccaScarType.KELOID_OR_OLD_HYPERTROPHIC, 100, 150),
    ],
)
def test_ecca_single_type(scar_type: EccaScarType, count: int, expected: int):
    assert ecca_score({scar_type: count}) == expected


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"ice_pick": -1}, "Ice pick count cannot be negative (got -1)."),
        ({EccaScarType.BOXCAR: -3}, "Boxcar count cannot be negative (got -3)."),
        ({"foo": 1}, "Unknown ECCA scar type 'foo'."),
        ({"Ice pick": 1}, "Unknown ECCA scar type 'Ice pick'."),
        ({GoodmanBaronSubtype.PAPULAR: 1}, "Unknown ECCA scar type 'papular'."),
        ({3: 1}, "Unknown ECCA scar type 3."),
        ({"rolling": True}, "Rolling count must be a whole number (got True)."),
        ({"rolling": 2.0}, "Rolling count must be a whole number (got 2.0)."),
        ({"rolling": None}, "Rolling count must be a whole number (got None)."),
        ({"rolling": "3"}, "Rolling count must be a whole number (got '3')."),
    ],
)
def test_ecca_score_rejects_bad_input(counts: dict[object, object], message: str):
    with pytest.raises(ValueError) as excinfo:
        ecca_score(counts)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (-1, "Scar count cannot be negative (got -1)."),
        (False, "Scar count must be a whole number (got False)."),
        (1.5, "Scar count must be a whole number (got 1.5)."),
    ],
)
def test_ecca_grade_rejects_bad_input(count: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        ecca_grade(count)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


# ---------------------------------------------------------------------------------------------
# Goodman & Baron quantitative
# ---------------------------------------------------------------------------------------------

GB = GoodmanBaronSubtype


@pytest.mark.parametrize(
    ("subtype", "group", "base_points"),
    [
        (GB.MACULAR, "A", 1),
        (GB.MILD_DISH_ATROPHIC, "A", 1),
        (GB.MODERATE_DISH_ATROPHIC, "B", 2),
        (GB.PUNCHED_OUT_SHALLOW_SMALL, "B", 2),
        (GB.SHALLOW_BROAD_ATROPHIC, "B", 2),
        (GB.PUNCHED_OUT_DEEP_NORMAL_BASE, "C", 3),
        (GB.PUNCHED_OUT_DEEP_ABNORMAL_BASE, "C", 3),
        (GB.LINEAR_TROUGHED, "C", 3),
        (GB.DEEP_BROAD_ATROPHIC, "C", 3),
        (GB.PAPULAR, "D", 2),
    ],
)
def test_goodman_baron_subtype_group_and_base_points(
    subtype: GoodmanBaronSubtype, group: str, base_points: int
):
    assert subtype.group == group
    assert subtype.base_points == base_points
    assert subtype.label


def test_goodman_baron_has_ten_counted_subtypes_and_no_keloid_member():
    assert len(GoodmanBaronSubtype) == 10
    assert not any("keloid" in subtype.value for subtype in GoodmanBaronSubtype)
    assert len({subtype.label for subtype in GoodmanBaronSubtype}) == 10


def test_goodman_baron_ice_pick_is_named_in_group_c():
    (ice_pick,) = [s for s in GoodmanBaronSubtype if "ice pick" in s.label.lower()]
    assert ice_pick.group == "C"


@pytest.mark.parametrize(
    ("count", "multiplier"),
    [(0, 0), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3), (1000, 3)],
)
def test_goodman_baron_multiplier_boundaries(count: int, multiplier: int):
    assert goodman_baron_multiplier(count) == multiplier


@pytest.mark.parametrize(
    ("area", "points"),
    [
        (0, 0),
        (0.0, 0),
        (0.01, 6),
        (4.99, 6),
        (5, 12),
        (5.0, 12),
        (20, 12),
        (20.0, 12),
        (20.01, 18),
        (150, 18),
        (Decimal("0.00"), 0),
        (Decimal("4.99"), 6),
        (Decimal("5.00"), 12),
        (Decimal("20.00"), 12),
        (Decimal("20.01"), 18),
    ],
)
def test_keloid_area_points_boundaries(area: float | Decimal, points: int):
    assert keloid_area_points(area) == points


def test_goodman_baron_worked_example_from_domain():
    counts = {
        GB.PUNCHED_OUT_DEEP_ABNORMAL_BASE: 12,  # ice pick, group C, x2 -> 6
        GB.SHALLOW_BROAD_ATROPHIC: 6,  # group B, x1 -> 2
        GB.MACULAR: 25,  # flat red marks, group A, x3 -> 3
    }
    # one 3 cm2 hypertrophic scar -> 6
    assert goodman_baron_quantitative(counts, keloid_area_cm2=3) == 17


def test_goodman_baron_string_keys_give_same_result_as_enum_keys():
    counts = {"punched_out_deep_abnormal_base": 12, "shallow_broad_atrophic": 6, "macular": 25}
    assert goodman_baron_quantitative(counts, 3) == 17


@pytest.mark.parametrize(
    ("counts", "area"),
    [({}, 0), (dict.fromkeys(GB, 0), 0), ({}, 0.0), ({"papular": 0}, Decimal(0))],
)
def test_goodman_baron_zero(counts: dict[GoodmanBaronSubtype | str, int], area: float):
    assert goodman_baron_quantitative(counts, area) == 0


def test_goodman_baron_default_area_is_zero():
    assert goodman_baron_quantitative({GB.PAPULAR: 1}) == 2


def test_goodman_baron_maximum_is_84():
    all_over_20 = dict.fromkeys(GB, 21)
    assert goodman_baron_quantitative(all_over_20, keloid_area_cm2=20.01) == 84
    assert GOODMAN_BARON_MAX == 84


def test_goodman_baron_all_over_20_without_keloid_is_66():
    assert goodman_baron_quantitative(dict.fromkeys(GB, 21)) == 66


@pytest.mark.parametrize(
    ("subtype", "count", "expected"),
    [
        (GB.MILD_DISH_ATROPHIC, 10, 1),
        (GB.MODERATE_DISH_ATROPHIC, 11, 4),
        (GB.PUNCHED_OUT_SHALLOW_SMALL, 20, 4),
        (GB.LINEAR_TROUGHED, 21, 9),
        (GB.DEEP_BROAD_ATROPHIC, 1, 3),
        (GB.PUNCHED_OUT_DEEP_NORMAL_BASE, 11, 6),
        (GB.PAPULAR, 21, 6),
    ],
)
def test_goodman_baron_single_subtype(subtype: GoodmanBaronSubtype, count: int, expected: int):
    assert goodman_baron_quantitative({subtype: count}) == expected


@pytest.mark.parametrize(
    ("counts", "area", "message"),
    [
        (
            {"macular": -1},
            0,
            "Macular (erythematous or pigmented) count cannot be negative (got -1).",
        ),
        ({"bar": 1}, 0, "Unknown Goodman & Baron scar subtype 'bar'."),
        ({"boxcar": 1}, 0, "Unknown Goodman & Baron scar subtype 'boxcar'."),
        ({"keloid": 1}, 0, "Unknown Goodman & Baron scar subtype 'keloid'."),
        ({EccaScarType.ICE_PICK: 1}, 0, "Unknown Goodman & Baron scar subtype 'ice_pick'."),
        ({"papular": True}, 0, "Papular count must be a whole number (got True)."),
        ({"papular": 3.0}, 0, "Papular count must be a whole number (got 3.0)."),
        ({}, -1, "Keloidal/hypertrophic scar area cannot be negative (got -1)."),
        ({}, -0.5, "Keloidal/hypertrophic scar area cannot be negative (got -0.5)."),
        ({}, math.nan, "Keloidal/hypertrophic scar area must be a finite number of cm² (got nan)."),
        ({}, math.inf, "Keloidal/hypertrophic scar area must be a finite number of cm² (got inf)."),
        (
            {},
            Decimal("NaN"),
            "Keloidal/hypertrophic scar area must be a finite number of cm² (got NaN).",
        ),
        ({}, True, "Keloidal/hypertrophic scar area must be a number of cm² (got True)."),
        ({}, "3", "Keloidal/hypertrophic scar area must be a number of cm² (got '3')."),
        ({}, None, "Keloidal/hypertrophic scar area must be a number of cm² (got None)."),
    ],
)
def test_goodman_baron_rejects_bad_input(counts: dict[object, object], area: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        goodman_baron_quantitative(counts, area)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (-1, "Scar count cannot be negative (got -1)."),
        (True, "Scar count must be a whole number (got True)."),
        (10.0, "Scar count must be a whole number (got 10.0)."),
    ],
)
def test_goodman_baron_multiplier_rejects_bad_input(count: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        goodman_baron_multiplier(count)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


# ---------------------------------------------------------------------------------------------
# Goodman & Baron qualitative grade
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "value", "label", "description_fragment"),
    [
        (GoodmanBaronGrade.MACULAR, 1, "Grade 1: macular", "not of skin contour"),
        (GoodmanBaronGrade.MILD, 2, "Grade 2: mild", "not obvious from 50 cm"),
        (GoodmanBaronGrade.MODERATE, 3, "Grade 3: moderate", "flatten out when the skin is"),
        (GoodmanBaronGrade.SEVERE, 4, "Grade 4: severe", "do not flatten"),
    ],
)
def test_goodman_baron_grade(
    grade: GoodmanBaronGrade, value: int, label: str, description_fragment: str
):
    assert int(grade) == value
    assert GoodmanBaronGrade(value) is grade
    assert grade.label == label
    assert description_fragment in grade.description


def test_goodman_baron_grade_has_four_members():
    assert [int(grade) for grade in GoodmanBaronGrade] == [1, 2, 3, 4]


# ---------------------------------------------------------------------------------------------
# CADI
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ([0, 0, 0, 0, 0], 0),
        ([3, 3, 3, 3, 3], 15),
        ([1, 0, 2, 3, 1], 7),
        ((0, 0, 0, 0, 1), 1),
    ],
)
def test_cadi_score(answers: list[int], total: int):
    assert cadi_score(answers) == total


def test_cadi_maximum_and_metadata():
    assert CADI_MAX == 15
    assert len(CADI_ITEM_TOPICS) == 5
    assert CADI_COPYRIGHT.startswith("©")
    assert "Cardiff Acne Disability Index" in CADI_COPYRIGHT


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0, 1, 2, 3], "CADI needs 5 answers, got 4."),
        ([0, 1, 2, 3, 0, 1], "CADI needs 5 answers, got 6."),
        ([], "CADI needs 5 answers, got 0."),
        ([0, 1, 4, 0, 0], "CADI answer 3 must be between 0 and 3 (got 4)."),
        ([-1, 0, 0, 0, 0], "CADI answer 1 must be between 0 and 3 (got -1)."),
        ([0, 0, 0, 0, 1.0], "CADI answer 5 must be a whole number from 0 to 3 (got 1.0)."),
        ([0, True, 0, 0, 0], "CADI answer 2 must be a whole number from 0 to 3 (got True)."),
        ([0, 0, None, 0, 0], "CADI answer 3 must be a whole number from 0 to 3 (got None)."),
        ("01230", "CADI answers must be a list of 5 numbers from 0 to 3."),
        ({0, 1, 2, 3}, "CADI answers must be a list of 5 numbers from 0 to 3."),
    ],
)
def test_cadi_rejects_bad_input(answers: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        cadi_score(answers)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


# ---------------------------------------------------------------------------------------------
# DLQI
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, DlqiBand.NO_EFFECT),
        (1, DlqiBand.NO_EFFECT),
        (2, DlqiBand.SMALL_EFFECT),
        (5, DlqiBand.SMALL_EFFECT),
        (6, DlqiBand.MODERATE_EFFECT),
        (10, DlqiBand.MODERATE_EFFECT),
        (11, DlqiBand.VERY_LARGE_EFFECT),
        (20, DlqiBand.VERY_LARGE_EFFECT),
        (21, DlqiBand.EXTREMELY_LARGE_EFFECT),
        (30, DlqiBand.EXTREMELY_LARGE_EFFECT),
    ],
)
def test_dlqi_band_boundaries(total: int, band: DlqiBand):
    assert dlqi_band(total) is band
    # Build the same total from ten answers so dlqi_score's banding is pinned too.
    answers = [min(3, max(0, total - 3 * i)) for i in range(10)]
    assert sum(answers) == total
    assert dlqi_score(answers) == DlqiResult(total=total, band=band)


@pytest.mark.parametrize(
    ("band", "value", "label"),
    [
        (DlqiBand.NO_EFFECT, "no_effect", "No effect"),
        (DlqiBand.SMALL_EFFECT, "small_effect", "Small effect"),
        (DlqiBand.MODERATE_EFFECT, "moderate_effect", "Moderate effect"),
        (DlqiBand.VERY_LARGE_EFFECT, "very_large_effect", "Very large effect"),
        (DlqiBand.EXTREMELY_LARGE_EFFECT, "extremely_large_effect", "Extremely large effect"),
    ],
)
def test_dlqi_band_values_and_labels(band: DlqiBand, value: str, label: str):
    assert band.value == value
    assert band.label == label


def test_dlqi_zero_and_maximum():
    assert dlqi_score([0] * 10) == DlqiResult(total=0, band=DlqiBand.NO_EFFECT)
    assert dlqi_score([3] * 10) == DlqiResult(total=30, band=DlqiBand.EXTREMELY_LARGE_EFFECT)
    assert DLQI_MAX == 30


def test_dlqi_result_is_frozen():
    result = dlqi_score([1] * 10)
    assert result.total == 10
    assert result.band is DlqiBand.MODERATE_EFFECT
    with pytest.raises(AttributeError):
        result.total = 0  # type: ignore[misc]


def test_dlqi_constants():
    assert DLQI_MEANINGFUL_CHANGE == 4
    assert len(DLQI_ITEM_TOPICS) == 10
    assert len(set(DLQI_ITEM_TOPICS)) == 10


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 9, "DLQI needs 10 answers, got 9."),
        ([0] * 11, "DLQI needs 10 answers, got 11."),
        ([0, 0, 7, 0, 0, 0, 0, 0, 0, 0], "DLQI answer 3 must be between 0 and 3 (got 7)."),
        ([0] * 9 + [-1], "DLQI answer 10 must be between 0 and 3 (got -1)."),
        ([2.5] + [0] * 9, "DLQI answer 1 must be a whole number from 0 to 3 (got 2.5)."),
        ([0] * 9 + [False], "DLQI answer 10 must be a whole number from 0 to 3 (got False)."),
        ("0" * 10, "DLQI answers must be a list of 10 numbers from 0 to 3."),
    ],
)
def test_dlqi_rejects_bad_input(answers: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        dlqi_score(answers)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("total", "message"),
    [
        (-1, "DLQI total must be between 0 and 30 (got -1)."),
        (31, "DLQI total must be between 0 and 30 (got 31)."),
        (5.0, "DLQI total must be a whole number from 0 to 30 (got 5.0)."),
        (True, "DLQI total must be a whole number from 0 to 30 (got True)."),
    ],
)
def test_dlqi_band_rejects_bad_total(total: object, message: str):
    with pytest.raises(ValueError) as excinfo:
        dlqi_band(total)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


# ---------------------------------------------------------------------------------------------
# Scale versions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (ECCA_VERSION, "ECCA (Dreno 2007)"),
        (GOODMAN_BARON_VERSION, "Goodman & Baron quantitative (2006)"),
        (GOODMAN_BARON_GRADE_VERSION, "Goodman & Baron qualitative (2006)"),
        (CADI_VERSION, "CADI (Motley & Finlay 1992)"),
        (DLQI_VERSION, "DLQI (Finlay & Khan 1994)"),
    ],
)
def test_scale_versions(version: str, expected: str):
    assert version == expected


def test_copyright_lines():
    assert CADI_COPYRIGHT == "© Cardiff Acne Disability Index, Motley RJ, Finlay AY 1992."
    # Cardiff's required statement, complete (issue 10).
    assert DLQI_COPYRIGHT == (
        "© Dermatology Life Quality Index. A Y Finlay, G K Khan, April 1992 "
        "www.dermatology.org.uk, this must not be copied without the permission of the authors."
    )


# ---------------------------------------------------------------------------------------------
# Error type
# ---------------------------------------------------------------------------------------------


def test_scoring_input_error_is_a_value_error():
    assert issubclass(ScoringInputError, ValueError)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ecca_score({"ice_pick": -1}),
        lambda: ecca_score({"foo": 1}),
        lambda: goodman_baron_quantitative({"papular": 1.0}),
        lambda: keloid_area_points(math.nan),
        lambda: cadi_score([0, 0, 0, 0]),
        lambda: dlqi_band(31),
    ],
)
def test_bad_input_raises_scoring_input_error(call):
    with pytest.raises(ScoringInputError):
        call()
