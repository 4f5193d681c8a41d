"""Hard stops: conditions under which a session cannot be saved at all; sources in
docs/clinical-rules.md."""

import datetime as dt
from collections.abc import Iterable, Sequence

from treatments.modalities import Modality
from treatments.safety.plan import (
    PMMA_COLLAGEN,
    SKIN_TEST_WAIT,
    HardStop,
    HardStopRule,
    PlannedProcedure,
    SessionPlan,
    SkinTestFact,
)

# ----------------------------------------------------------------------------------------------
# Hard stops
# ----------------------------------------------------------------------------------------------


def _fillers(plan: SessionPlan) -> Iterable[tuple[int, PlannedProcedure]]:
    return ((i, p) for i, p in enumerate(plan.procedures) if p.modality == Modality.FILLER)


def filler_without_lot(plan: SessionPlan) -> list[HardStop]:
    """Every filler needs its product and lot number, for recalls."""
    return [
        HardStop(i, "A filler needs its product and lot number (for recalls).")
        for i, p in _fillers(plan)
        if not p.filler_product.strip() or not p.filler_lot_number.strip()
    ]


def filler_lot_expired(plan: SessionPlan) -> list[HardStop]:
    return [
        HardStop(i, f"This filler lot expired on {p.filler_expiry:%d %b %Y}.")
        for i, p in _fillers(plan)
        if p.filler_expiry is not None and p.filler_expiry < plan.performed_on
    ]


def _pmma_skin_test_problem(tests: Sequence[SkinTestFact], day: dt.date) -> str | None:
    if not tests:
        return (
            "PMMA-collagen filler needs a negative skin test recorded for this patient before "
            "treatment."
        )
    latest = tests[-1]  # the most recent test decides, even after an earlier negative one
    if latest.read_on is None or latest.result is None:
        return (
            f"The latest PMMA-collagen skin test (placed {latest.tested_on:%d %b %Y}) has not "
            "been read yet."
        )
    if latest.result != "negative":
        return (
            f"The latest PMMA-collagen skin test was read {latest.result} on "
            f"{latest.read_on:%d %b %Y}: no PMMA-collagen filler."
        )
    if day - latest.read_on < SKIN_TEST_WAIT:
        return (
            f"The PMMA-collagen skin test was read negative on {latest.read_on:%d %b %Y}; "
            "treatment needs 4 weeks after a negative reading, from "
            f"{latest.read_on + SKIN_TEST_WAIT:%d %b %Y}."
        )
    return None


def pmma_without_skin_test(plan: SessionPlan) -> list[HardStop]:
    """PMMA-collagen (Bellafill): a skin test read negative at least 4 weeks before treatment
    (ASDS; product labelling); the most recent test decides."""
    problem = _pmma_skin_test_problem(plan.patient.pmma_skin_tests, plan.performed_on)
    if problem is None:
        return []
    return [HardStop(i, problem) for i, p in _fillers(plan) if p.filler_material == PMMA_COLLAGEN]


HARD_STOP_RULES: tuple[HardStopRule, ...] = (
    filler_without_lot,
    filler_lot_expired,
    pmma_without_skin_test,
)
