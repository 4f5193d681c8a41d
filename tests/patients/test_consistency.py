"""Contradiction rules of an assessment (patients.consistency), each at its boundaries.

Pure functions: no database. One table per rule; each row is the smallest change that turns the
warning on or off.
"""

import datetime as dt
from decimal import Decimal

import pytest

from patients.consistency import (
    ATROPHIC_GB_SUBTYPES,
    RULES,
    AssessmentFacts,
    SameDayAssessment,
    assessment_warnings,
    dlqi_unanswered_items,
    keloid_area_without_keloid_count,
    macular_grade_with_atrophic_scars,
    second_assessment_same_day,
    severe_grade_without_scars,
)
from patients.scoring import EccaScarType as E
from patients.scoring import GoodmanBaronSubtype as G

DAY = dt.date(2026, 3, 2)


def facts(grade=3, ecca=None, gb=None, area=0, **kwargs) -> AssessmentFacts:
    return AssessmentFacts(
        gb_grade=grade,
        ecca_counts=dict.fromkeys(E, 0) | (ecca or {}),
        gb_counts=dict.fromkeys(G, 0) | (gb or {}),
        keloid_area_cm2=Decimal(str(area)),
        assessed_on=DAY,
        **kwargs,
    )


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


# ---------------------------------------------------------------------------------------------
# Grade 1 (macular) with atrophic scars
# ---------------------------------------------------------------------------------------------

MACULAR = "grade_macular_with_atrophic_scars"


@pytest.mark.parametrize(
    ("grade", "ecca", "gb", "warned"),
    [
        (1, {}, {}, False),  # nothing counted
        (1, {E.ICE_PICK: 1}, {}, True),  # one atrophic scar is enough
        (1, {E.BOXCAR: 1}, {}, True),
        (1, {E.ROLLING: 1}, {}, True),
        (1, {E.ELASTOLYSIS: 5}, {}, False),  # not atrophic in ECCA's sense
        (1, {E.HYPERTROPHIC_RECENT: 3}, {}, False),  # raised, not atrophic
        (1, {E.KELOID_OR_OLD_HYPERTROPHIC: 3}, {}, False),
        (1, {}, {G.MACULAR: 30}, False),  # flat marks are what grade 1 is
        (1, {}, {G.PAPULAR: 2}, False),  # raised papules are not atrophic
        (1, {}, {G.MILD_DISH_ATROPHIC: 1}, True),  # mildly atrophic is already grade 2
        (2, {E.ICE_PICK: 1}, {}, False),  # grade 2 allows atrophy
        (2, {}, {G.DEEP_BROAD_ATROPHIC: 40}, False),
        (4, {E.ICE_PICK: 30}, {}, False),
    ],
)
def test_macular_grade_with_atrophic_scars(grade, ecca, gb, warned):
    result = macular_grade_with_atrophic_scars(facts(grade, ecca, gb))
    assert codes(result) == ([MACULAR] if warned else [])


@pytest.mark.parametrize("subtype", sorted(ATROPHIC_GB_SUBTYPES))
def test_every_goodman_baron_atrophic_subtype_contradicts_grade_1(subtype):
    assert codes(macular_grade_with_atrophic_scars(facts(1, gb={subtype: 1}))) == [MACULAR]
    assert macular_grade_with_atrophic_scars(facts(1, gb={subtype: 0})) == []


def test_atrophic_subtypes_are_every_counted_subtype_but_macular_and_papular():
    assert set(G) - ATROPHIC_GB_SUBTYPES == {G.MACULAR, G.PAPULAR}
    assert len(ATROPHIC_GB_SUBTYPES) == 8


def test_macular_message_names_what_was_counted():
    [warning] = macular_grade_with_atrophic_scars(
        facts(1, {E.ICE_PICK: 2, E.ROLLING: 3}, {G.MILD_DISH_ATROPHIC: 4})
    )
    assert "5 ice pick, boxcar or rolling in the region grid" in warning.message
    assert "4 in the Goodman & Baron atrophic subtypes" in warning.message
    assert warning.message.startswith("Goodman & Baron grade 1 (macular)")


# ---------------------------------------------------------------------------------------------
# Grade 4 (severe) with no scars
# ---------------------------------------------------------------------------------------------

SEVERE = "grade_severe_without_scars"


@pytest.mark.parametrize(
    ("grade", "ecca", "gb", "area", "warned"),
    [
        (4, {}, {}, 0, True),  # nothing at all
        (4, {E.ICE_PICK: 1}, {}, 0, False),  # one scar in the grid
        (4, {E.ELASTOLYSIS: 1}, {}, 0, False),  # any type counts
        (4, {}, {G.MACULAR: 1}, 0, False),  # one Goodman & Baron count
        (4, {}, {G.PAPULAR: 1}, 0, False),
        (4, {}, {}, "0.1", False),  # smallest keloid area
        (3, {}, {}, 0, False),  # only grade 4 claims severe scarring
        (1, {}, {}, 0, False),
    ],
)
def test_severe_grade_without_scars(grade, ecca, gb, area, warned):
    result = severe_grade_without_scars(facts(grade, ecca, gb, area))
    assert codes(result) == ([SEVERE] if warned else [])


# ---------------------------------------------------------------------------------------------
# Keloid area with no keloid counted
# ---------------------------------------------------------------------------------------------

KELOID = "keloid_area_without_keloid_count"


@pytest.mark.parametrize(
    ("area", "ecca", "gb", "warned"),
    [
        ("0", {}, {}, False),  # no area, nothing to contradict
        ("0.0", {E.ICE_PICK: 12}, {}, False),
        ("0.1", {}, {}, True),  # smallest area the form accepts
        ("0.1", {E.KELOID_OR_OLD_HYPERTROPHIC: 1}, {}, False),  # one keloid explains it
        ("0.1", {E.HYPERTROPHIC_RECENT: 1}, {}, False),  # so does a hypertrophic scar
        ("3", {E.ICE_PICK: 30, E.ROLLING: 10}, {}, True),  # atrophic scars do not
        ("3", {}, {G.PAPULAR: 5}, True),  # papular scars are not keloidal
        ("500", {}, {}, True),  # the largest area allowed
    ],
)
def test_keloid_area_without_keloid_count(area, ecca, gb, warned):
    result = keloid_area_without_keloid_count(facts(3, ecca, gb, area))
    assert codes(result) == ([KELOID] if warned else [])


def test_keloid_message_gives_the_area():
    [warning] = keloid_area_without_keloid_count(facts(area="4.5"))
    assert "4.5 cm²" in warning.message


# ---------------------------------------------------------------------------------------------
# Second assessment on the same day
# ---------------------------------------------------------------------------------------------

SAME_DAY = "second_assessment_same_day"
EARLIER = SameDayAssessment(dt.datetime(2026, 3, 2, 9, 15), "Dr Ada Byrne")


@pytest.mark.parametrize(
    ("same_day", "warned"),
    [
        ((), False),
        ((EARLIER,), True),
        ((EARLIER, SameDayAssessment(dt.datetime(2026, 3, 2, 11, 0), "alice")), True),
    ],
)
def test_second_assessment_same_day(same_day, warned):
    result = second_assessment_same_day(facts(same_day=same_day))
    assert codes(result) == ([SAME_DAY] if warned else [])


def test_same_day_message_says_which_one_counts():
    [warning] = second_assessment_same_day(facts(same_day=(EARLIER,)))
    assert "02 Mar 2026" in warning.message
    assert "recorded 02 Mar 2026 09:15 by Dr Ada Byrne" in warning.message
    assert "superseded" in warning.message


# ---------------------------------------------------------------------------------------------
# DLQI partly answered
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "unanswered", "expected"),
    [
        (False, (), []),  # no DLQI taken
        (False, tuple(range(1, 11)), []),  # nothing entered: not recorded, not a warning
        (True, (), []),  # complete
        (True, (4,), ["dlqi_one_unanswered"]),  # one missing: scored 0
        (True, (4, 9), ["dlqi_not_scored"]),  # two missing: not scored
        (True, (1, 2, 3), ["dlqi_not_scored"]),
    ],
)
def test_dlqi_unanswered_items(answered, unanswered, expected):
    result = dlqi_unanswered_items(facts(dlqi_answered=answered, dlqi_unanswered=unanswered))
    assert codes(result) == expected


# ---------------------------------------------------------------------------------------------
# All rules together
# ---------------------------------------------------------------------------------------------


def test_a_consistent_assessment_raises_nothing():
    consistent = facts(3, {E.ICE_PICK: 12}, {G.PUNCHED_OUT_DEEP_ABNORMAL_BASE: 12})
    assert assessment_warnings(consistent) == []


def test_every_rule_runs_in_a_fixed_order():
    everything = facts(
        1,
        {E.ICE_PICK: 1},
        {},
        "2",
        same_day=(EARLIER,),
        dlqi_answered=True,
        dlqi_unanswered=(3, 5),
    )
    assert codes(assessment_warnings(everything)) == [
        MACULAR,
        KELOID,
        SAME_DAY,
        "dlqi_not_scored",
    ]
    assert len(RULES) == 5
