"""Unit tests for treatments.safety's hard stops: fillers without a lot, past expiry, or
PMMA-collagen without a negative skin test read in time. Pure Python, as test_safety.py."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.treatments.test_safety import (
    CROSS_100,
    HA_FILLER,
    SESSION_DAY,
    SUBCISION,
    days_before,
    patient,
)
from treatments.modalities import IntervalKind, Modality
from treatments.safety import (
    HardStop,
    PlannedProcedure,
    SkinTestFact,
    hard_stops,
)

# ---------------------------------------------------------------------------------------------
# Hard stops: fillers only
# ---------------------------------------------------------------------------------------------

MISSING_PRODUCT_OR_LOT = "A filler needs its product and lot number (for recalls)."
PMMA_NEEDS_SKIN_TEST = (
    "PMMA-collagen filler needs a negative skin test recorded for this patient before treatment."
)


def filler(**changes) -> PlannedProcedure:
    return dataclasses.replace(HA_FILLER, **changes)


def stops_for(procedures, **patient_changes) -> list[HardStop]:
    return hard_stops(
        patient=patient(**patient_changes), procedures=procedures, performed_on=SESSION_DAY
    )


@pytest.mark.parametrize(
    ("second", "expected_messages"),
    [
        pytest.param(filler(), [], id="complete HA filler: saves"),
        pytest.param(
            filler(filler_product=""), [MISSING_PRODUCT_OR_LOT], id="filler without product"
        ),
        pytest.param(
            filler(filler_product="   "),
            [MISSING_PRODUCT_OR_LOT],
            id="filler with blank (spaces only) product",
        ),
        pytest.param(
            filler(filler_lot_number=""), [MISSING_PRODUCT_OR_LOT], id="filler without lot number"
        ),
        pytest.param(
            filler(filler_lot_number=" \t "),
            [MISSING_PRODUCT_OR_LOT],
            id="filler with blank (whitespace only) lot number",
        ),
        pytest.param(
            filler(filler_product="", filler_lot_number=""),
            [MISSING_PRODUCT_OR_LOT],
            id="filler without product or lot: one stop",
        ),
        pytest.param(
            filler(filler_expiry=dt.date(2026, 3, 14)),
            ["This filler lot expired on 14 Mar 2026."],
            id="lot expired the day before the session",
        ),
        pytest.param(
            filler(filler_expiry=SESSION_DAY), [], id="lot expires on the session day: saves"
        ),
        pytest.param(filler(filler_expiry=None), [], id="no expiry recorded: no expiry stop"),
        pytest.param(
            filler(filler_material="pmma_collagen"),
            [PMMA_NEEDS_SKIN_TEST],
            id="PMMA-collagen without negative skin test",
        ),
        pytest.param(
            filler(filler_material="pmma_collagen", filler_lot_number="", filler_expiry=None),
            [MISSING_PRODUCT_OR_LOT, PMMA_NEEDS_SKIN_TEST],
            id="PMMA-collagen without skin test or lot: two stops",
        ),
    ],
)
def test_filler_hard_stops_point_at_the_filler(second, expected_messages):
    stops = stops_for([CROSS_100, second, SUBCISION])
    assert stops == [HardStop(1, message) for message in expected_messages]


def test_pmma_collagen_with_negative_skin_test_saves():
    pmma = filler(filler_material="pmma_collagen", filler_product="Bellafill")
    negative = SkinTestFact(days_before(60), read_on=days_before(28), result="negative")
    assert stops_for([pmma], pmma_skin_tests=(negative,)) == []


def test_hard_stop_index_is_the_faulty_fillers_position():
    stops = stops_for([filler(), SUBCISION, filler(filler_lot_number="")])
    assert stops == [HardStop(2, MISSING_PRODUCT_OR_LOT)]


@pytest.mark.parametrize(
    "modality",
    [m for m in Modality if m != Modality.FILLER],
    ids=lambda m: f"{m.label} with empty filler fields",
)
def test_non_filler_procedures_never_stop(modality):
    # Every filler field wrong, but the procedure is not a filler: nothing blocks saving.
    procedure = PlannedProcedure(
        modality,
        IntervalKind.CROSS,
        filler_material="pmma_collagen",
        filler_product="",
        filler_lot_number="",
        filler_expiry=dt.date(2020, 1, 1),
    )
    assert stops_for([procedure]) == []


def test_no_procedures_no_stops():
    assert stops_for([]) == []
