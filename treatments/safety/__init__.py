"""Warnings and hard stops before a treatment session: pure rules, no Django.

Each rule is a small function of one `SessionPlan` (the patient's facts, the planned procedures,
the patient's earlier procedures and the date) that returns zero or more warnings or hard stops.
`session_warnings` and `hard_stops` only run the lists `WARNING_RULES` and `HARD_STOP_RULES`: a new
rule is a new function added to a list, plus its table test in tests/treatments/test_safety.py.

Every rule's clinical source is given in its docstring and collected in docs/clinical-rules.md.
Warnings are shown on the session form and must be acknowledged; hard stops block saving.
"""

import datetime as dt
from collections.abc import Sequence

from treatments.safety.plan import (
    BREASTFEEDING,
    HIGH_DENSITY_PERCENT,
    HIGH_STRENGTH_TCA_PERCENT,
    PEEL_AGENTS_AVOIDED_IN_PREGNANCY,
    PMMA_APPROVED_FROM_AGE,
    PMMA_COLLAGEN,
    PREGNANT,
    PUNCH_BEFORE_RESURFACING,
    PUNCH_WOUNDS,
    RETINOIDS,
    SKIN_TEST_WAIT,
    HardStop,
    HardStopRule,
    PatientFacts,
    PeelDepth,
    PlannedProcedure,
    PriorProcedure,
    SafetyWarning,
    SessionPlan,
    Severity,
    SkinTestFact,
    WarningRule,
)
from treatments.safety.stop_rules import (
    HARD_STOP_RULES,
    filler_lot_expired,
    filler_without_lot,
    pmma_without_skin_test,
)
from treatments.safety.warning_rules import (
    WARNING_RULES,
    active_acne,
    anticoagulant,
    cross_tca_below_usual,
    herpes_without_prophylaxis,
    isotretinoin_recent,
    keloid_history,
    minimum_intervals,
    photos_without_consent,
    pih_in_darker_skin,
    pmma_skin_test_observed_briefly,
    pmma_under_21,
    pregnancy_or_breastfeeding,
    resurfacing_after_punch,
    same_day_session,
    skin_type_unknown,
    tca_peel_unpredictable,
)

# ----------------------------------------------------------------------------------------------
# Running the rules
# ----------------------------------------------------------------------------------------------


def session_warnings(
    *,
    patient: PatientFacts,
    procedures: Sequence[PlannedProcedure],
    performed_on: dt.date,
    prior: Sequence[PriorProcedure] = (),
    photos_taken: bool = False,
    antiviral_prophylaxis: bool = False,
) -> list[SafetyWarning]:
    """Every warning the clinician must acknowledge before this session is saved."""
    plan = SessionPlan(
        patient, procedures, performed_on, prior, photos_taken, antiviral_prophylaxis
    )
    warnings = [w for rule in WARNING_RULES for w in rule(plan)]
    # One warning per code.
    return list({w.code: w for w in warnings}.values())


def hard_stops(
    *,
    patient: PatientFacts,
    procedures: Sequence[PlannedProcedure],
    performed_on: dt.date,
    prior: Sequence[PriorProcedure] = (),
) -> list[HardStop]:
    """Conditions under which the session cannot be saved at all."""
    plan = SessionPlan(patient, procedures, performed_on, prior)
    return [stop for rule in HARD_STOP_RULES for stop in rule(plan)]


def topical_warnings(*, patient: PatientFacts, agent: str) -> list[SafetyWarning]:
    """Topical retinoids (tretinoin, adapalene) are avoided in pregnancy (Trivedi et al. 2017)."""
    if patient.pregnancy_status != PREGNANT or agent not in RETINOIDS:
        return []
    return [
        SafetyWarning(
            "retinoid_in_pregnancy",
            Severity.STRONG,
            "Patient is pregnant: topical retinoids (tretinoin, adapalene) are avoided in "
            "pregnancy.",
        )
    ]


__all__ = [
    "BREASTFEEDING",
    "HARD_STOP_RULES",
    "HIGH_DENSITY_PERCENT",
    "HIGH_STRENGTH_TCA_PERCENT",
    "PEEL_AGENTS_AVOIDED_IN_PREGNANCY",
    "PMMA_APPROVED_FROM_AGE",
    "PMMA_COLLAGEN",
    "PREGNANT",
    "PUNCH_BEFORE_RESURFACING",
    "PUNCH_WOUNDS",
    "RETINOIDS",
    "SKIN_TEST_WAIT",
    "WARNING_RULES",
    "HardStop",
    "HardStopRule",
    "PatientFacts",
    "PeelDepth",
    "PlannedProcedure",
    "PriorProcedure",
    "SafetyWarning",
    "SessionPlan",
    "Severity",
    "SkinTestFact",
    "WarningRule",
    "active_acne",
    "anticoagulant",
    "cross_tca_below_usual",
    "filler_lot_expired",
    "filler_without_lot",
    "hard_stops",
    "herpes_without_prophylaxis",
    "isotretinoin_recent",
    "keloid_history",
    "minimum_intervals",
    "photos_without_consent",
    "pih_in_darker_skin",
    "pmma_skin_test_observed_briefly",
    "pmma_under_21",
    "pmma_without_skin_test",
    "pregnancy_or_breastfeeding",
    "resurfacing_after_punch",
    "same_day_session",
    "session_warnings",
    "skin_type_unknown",
    "tca_peel_unpredictable",
    "topical_warnings",
]
