"""Unit tests for treatments.safety's minimum intervals: the same modality again sooner than its
interval allows, for every interval kind and at its boundary. Pure Python, as test_safety.py."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.treatments.test_safety import (
    CROSS_100,
    FRACTIONAL_CO2,
    HA_FILLER,
    NON_ABLATIVE_1550,
    SESSION_DAY,
    SUBCISION,
    SUPERFICIAL_PEEL,
    codes,
    cross,
    days_before,
    warnings_for,
)
from treatments.modalities import INTERVAL_DAYS, IntervalKind, Modality
from treatments.safety import (
    PlannedProcedure,
    PriorProcedure,
    Severity,
)

# ---------------------------------------------------------------------------------------------
# Same modality sooner than its minimum interval
# ---------------------------------------------------------------------------------------------

MODALITY_OF_KIND = {
    IntervalKind.CROSS: Modality.CROSS,
    IntervalKind.LASER_ABLATIVE: Modality.LASER,
    IntervalKind.LASER_NON_ABLATIVE: Modality.LASER,
    IntervalKind.PUNCH: Modality.PUNCH,
    IntervalKind.SUBCISION: Modality.SUBCISION,
    IntervalKind.FILLER: Modality.FILLER,
    IntervalKind.PEEL_SUPERFICIAL: Modality.PEEL,
    IntervalKind.PEEL_MEDIUM: Modality.PEEL,
}


def planned(kind: IntervalKind) -> PlannedProcedure:
    """A procedure of this interval kind that triggers nothing but the interval rule."""
    if kind == IntervalKind.FILLER:
        return HA_FILLER
    return PlannedProcedure(MODALITY_OF_KIND[kind], kind)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        pytest.param(13, ["interval_cross"], id="CROSS 13 days before: too soon"),
        pytest.param(14, [], id="CROSS 14 days before: minimum reached"),
        pytest.param(28, [], id="CROSS 4 weeks before: fine"),
    ],
)
def test_cross_minimum_interval_two_weeks(days_ago, expected):
    prior = [PriorProcedure(Modality.CROSS, days_before(days_ago))]
    warnings = warnings_for([CROSS_100], prior=prior, fitzpatrick_type=2)
    assert codes(warnings) == expected
    if expected:
        [warning] = warnings
        assert warning.severity == Severity.CAUTION
        assert warning.message == (
            "CROSS (TCA) was done 13 days ago (02 Mar 2026); the minimum interval is 2 weeks."
        )


@pytest.mark.parametrize("kind", list(IntervalKind), ids=lambda kind: f"{kind.value}")
@pytest.mark.parametrize(
    ("days_short", "warns"),
    [
        pytest.param(1, True, id="one day short of minimum warns"),
        pytest.param(0, False, id="exactly the minimum is fine"),
    ],
)
def test_minimum_interval_boundary_for_every_kind(kind, days_short, warns):
    days_ago = INTERVAL_DAYS[kind][1] - days_short
    modality = MODALITY_OF_KIND[kind]
    prior = [PriorProcedure(modality, days_before(days_ago))]
    warnings = warnings_for([planned(kind)], prior=prior)
    if not warns:
        assert warnings == []
        return
    [warning] = warnings
    assert warning.code == f"interval_{modality.value}"
    assert warning.severity == Severity.CAUTION
    assert warning.message.startswith(f"{modality.label} was done {days_ago} days ago (")


@pytest.mark.parametrize(
    ("kind", "weeks"),
    [
        pytest.param(IntervalKind.CROSS, "2 weeks", id="CROSS 2 weeks"),
        pytest.param(IntervalKind.LASER_ABLATIVE, "4 weeks", id="ablative laser 4 weeks"),
        pytest.param(IntervalKind.LASER_NON_ABLATIVE, "3 weeks", id="non-ablative laser 3 weeks"),
        pytest.param(IntervalKind.PUNCH, "4 weeks", id="punch 4 weeks"),
        pytest.param(IntervalKind.SUBCISION, "3 weeks", id="subcision 3 weeks"),
        pytest.param(IntervalKind.FILLER, "4 weeks", id="filler 4 weeks"),
        pytest.param(IntervalKind.PEEL_SUPERFICIAL, "2 weeks", id="superficial peel 2 weeks"),
    ],
)
def test_interval_message_states_minimum(kind, weeks):
    prior = [PriorProcedure(MODALITY_OF_KIND[kind], days_before(INTERVAL_DAYS[kind][1] - 1))]
    [warning] = warnings_for([planned(kind)], prior=prior)
    assert warning.message.endswith(f"; the minimum interval is {weeks}.")


def test_medium_peel_interval_message_does_not_contradict_itself():
    prior = [PriorProcedure(Modality.PEEL, days_before(89))]
    [warning] = warnings_for([planned(IntervalKind.PEEL_MEDIUM)], prior=prior)
    assert "was done 89 days ago" in warning.message
    assert "12 weeks" not in warning.message
    assert "90 days" in warning.message or "3 months" in warning.message


def test_interval_message_singular_day():
    prior = [PriorProcedure(Modality.CROSS, days_before(1))]
    [warning] = warnings_for([cross("40")], prior=prior)
    assert "was done 1 day ago" in warning.message


@pytest.mark.parametrize(
    ("procedures", "prior"),
    [
        pytest.param(
            [cross("40")],
            [PriorProcedure(Modality.SUBCISION, days_before(3))],
            id="CROSS after subcision 3 days before: different modality",
        ),
        pytest.param(
            [SUBCISION, SUPERFICIAL_PEEL],
            [
                PriorProcedure(Modality.CROSS, days_before(5)),
                PriorProcedure(Modality.LASER, days_before(5)),
            ],
            id="subcision + peel after CROSS + laser 5 days before: different modalities",
        ),
        pytest.param(
            [cross("40")],
            [PriorProcedure(Modality.CROSS, SESSION_DAY + dt.timedelta(days=5))],
            id="CROSS 5 days AFTER this session (amending an old session): nothing",
        ),
        pytest.param(
            [cross("40")],
            [PriorProcedure(Modality.CROSS, days_before(400))],
            id="CROSS over a year before: nothing",
        ),
        pytest.param([cross("40")], [], id="no prior procedures: nothing"),
    ],
)
def test_no_interval_warning(procedures, prior):
    assert warnings_for(procedures, prior=prior) == []


def test_same_modality_earlier_the_same_day_is_too_soon():
    prior = [PriorProcedure(Modality.CROSS, SESSION_DAY)]
    assert codes(warnings_for([cross("40")], prior=prior)) == ["interval_cross"]


@pytest.mark.parametrize(
    "prior",
    [
        pytest.param(
            [
                PriorProcedure(Modality.LASER, days_before(20)),
                PriorProcedure(Modality.LASER, days_before(10)),
            ],
            id="lasers 20 then 10 days before",
        ),
        pytest.param(
            [
                PriorProcedure(Modality.LASER, days_before(10)),
                PriorProcedure(Modality.LASER, days_before(20)),
            ],
            id="lasers 10 then 20 days before (listed out of order)",
        ),
    ],
)
def test_two_prior_lasers_too_soon_give_one_warning_with_latest_date(prior):
    [warning] = warnings_for([FRACTIONAL_CO2], prior=prior)
    assert warning.code == "interval_laser"
    assert warning.message == (
        "Laser was done 10 days ago (05 Mar 2026); the minimum interval is 4 weeks."
    )


def test_two_planned_lasers_too_soon_give_one_interval_warning():
    prior = [PriorProcedure(Modality.LASER, days_before(10))]
    warnings = warnings_for([FRACTIONAL_CO2, NON_ABLATIVE_1550], prior=prior)
    assert codes(warnings) == ["interval_laser"]


@pytest.mark.parametrize(
    "procedures",
    [
        pytest.param(
            [NON_ABLATIVE_1550, FRACTIONAL_CO2], id="non-ablative listed first, then ablative"
        ),
        pytest.param(
            [FRACTIONAL_CO2, NON_ABLATIVE_1550],
            id="ablative listed first, then non-ablative",
        ),
    ],
)
def test_deduplicated_interval_warning_states_strictest_minimum(procedures):
    prior = [PriorProcedure(Modality.LASER, days_before(10))]
    [warning] = warnings_for(procedures, prior=prior)
    assert warning.message.endswith("the minimum interval is 4 weeks.")


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(30, ["interval_peel"]), (89, ["interval_peel"]), (90, [])],
    ids=["30 days after a medium peel", "89 days after", "90 days after"],
)
def test_a_superficial_peel_waits_for_an_earlier_medium_peel_to_recover(days_ago, expected):
    superficial = PlannedProcedure(Modality.PEEL, IntervalKind.PEEL_SUPERFICIAL)
    prior = [PriorProcedure(Modality.PEEL, days_before(days_ago), IntervalKind.PEEL_MEDIUM)]
    found = warnings_for([superficial], prior=prior)
    assert [w.code for w in found] == expected
    if found:
        assert "the minimum interval is 90 days" in found[0].message
