"""Table tests for the second-pass safety rules, each at its boundaries.

Pure Python, no database. Each table calls the one rule it covers (the rule functions are
public), and a last table checks that `session_warnings` / `hard_stops` run every rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from treatments import safety
from treatments.modalities import IntervalKind, Modality
from treatments.safety import (
    PatientFacts,
    PeelDepth,
    PlannedProcedure,
    PriorProcedure,
    SessionPlan,
    Severity,
    SkinTestFact,
)

DAY = dt.date(2026, 3, 15)
SAFE = PatientFacts(
    fitzpatrick_type=2,
    active_acne=False,
    on_isotretinoin=False,
    isotretinoin_stopped_on=None,
    has_clinical_photo_consent=True,
    date_of_birth=dt.date(1990, 6, 1),
)


def before(days: int) -> dt.date:
    return DAY - dt.timedelta(days=days)


def plan(procedures, *, prior=(), antiviral=False, **patient) -> SessionPlan:
    return SessionPlan(
        dataclasses.replace(SAFE, **patient),
        procedures,
        DAY,
        prior,
        antiviral_prophylaxis=antiviral,
    )


def codes(found) -> list[str]:
    return [w.code for w in found]


def peel(agent: str, percent: str | None, depth: PeelDepth = PeelDepth.SUPERFICIAL):
    kind = (
        IntervalKind.PEEL_SUPERFICIAL
        if depth == PeelDepth.SUPERFICIAL
        else IntervalKind.PEEL_MEDIUM
    )
    return PlannedProcedure(
        Modality.PEEL,
        kind,
        tca_percent=Decimal(percent) if agent == "tca" and percent else None,
        peel_agent=agent,
        peel_depth=depth,
    )


GLYCOLIC = peel("glycolic", "35")
LACTIC = peel("lactic", "50")
SALICYLIC = peel("salicylic", "30")
JESSNER = peel("jessner", None)
TCA_SUPERFICIAL = peel("tca", "20")
TCA_MEDIUM = peel("tca", "35", PeelDepth.MEDIUM)
TCA_DEEP = peel("tca", "50", PeelDepth.DEEP)
COMBINATION = peel("combination", "35", PeelDepth.MEDIUM)
CO2 = PlannedProcedure(Modality.LASER, IntervalKind.LASER_ABLATIVE, is_ablative_laser=True)
FULLY_ABLATIVE = dataclasses.replace(CO2, is_fully_ablative_laser=True)
NON_ABLATIVE = PlannedProcedure(Modality.LASER, IntervalKind.LASER_NON_ABLATIVE)
CROSS = PlannedProcedure(Modality.CROSS, IntervalKind.CROSS, tca_percent=Decimal(100))
SUBCISION = PlannedProcedure(Modality.SUBCISION, IntervalKind.SUBCISION)
EXCISION = PlannedProcedure(Modality.PUNCH, IntervalKind.PUNCH, punch_technique="excision")
GRAFT = PlannedProcedure(Modality.PUNCH, IntervalKind.PUNCH, punch_technique="graft")
ELEVATION = PlannedProcedure(Modality.PUNCH, IntervalKind.PUNCH, punch_technique="elevation")
HA = PlannedProcedure(
    Modality.FILLER,
    IntervalKind.FILLER,
    filler_material="hyaluronic_acid",
    filler_product="Restylane",
    filler_lot_number="L1",
)
PMMA = dataclasses.replace(HA, filler_material="pmma_collagen", filler_product="Bellafill")

ALL_PROCEDURES = {
    "glycolic peel": GLYCOLIC,
    "lactic peel": LACTIC,
    "salicylic peel": SALICYLIC,
    "Jessner's": JESSNER,
    "TCA 20 % peel": TCA_SUPERFICIAL,
    "TCA 35 % peel (medium)": TCA_MEDIUM,
    "TCA 50 % peel (deep)": TCA_DEEP,
    "Jessner's + TCA (medium)": COMBINATION,
    "fractional CO2": CO2,
    "fully ablative laser": FULLY_ABLATIVE,
    "non-ablative laser": NON_ABLATIVE,
    "CROSS": CROSS,
    "subcision": SUBCISION,
    "punch excision": EXCISION,
    "punch graft": GRAFT,
    "punch elevation": ELEVATION,
    "HA filler": HA,
    "PMMA filler": PMMA,
}


def expect_per_procedure(triggered: dict[str, Severity | None]):
    """Params over every procedure: the expected severity, or None for no warning."""
    return [
        pytest.param(procedure, triggered.get(name), id=name)
        for name, procedure in ALL_PROCEDURES.items()
    ]


# ---------------------------------------------------------------------------------------------
# Pregnancy and breastfeeding (Trivedi et al. 2017)
# ---------------------------------------------------------------------------------------------

PREGNANCY = {
    "glycolic peel": Severity.CAUTION,
    "lactic peel": Severity.CAUTION,
    "salicylic peel": Severity.STRONG,
    "Jessner's": Severity.STRONG,
    "TCA 20 % peel": Severity.STRONG,
    "TCA 35 % peel (medium)": Severity.STRONG,
    "TCA 50 % peel (deep)": Severity.STRONG,
    "Jessner's + TCA (medium)": Severity.STRONG,
    "fractional CO2": Severity.STRONG,
    "fully ablative laser": Severity.STRONG,
    "non-ablative laser": Severity.STRONG,
    "CROSS": Severity.STRONG,
}


@pytest.mark.parametrize("status", ["pregnant", "breastfeeding"])
@pytest.mark.parametrize(("procedure", "severity"), expect_per_procedure(PREGNANCY))
def test_pregnancy_or_breastfeeding(status, procedure, severity):
    found = safety.pregnancy_or_breastfeeding(plan([procedure], pregnancy_status=status))
    if severity is None:
        assert found == []
        return
    [warning] = found
    assert (warning.code, warning.severity) == ("pregnancy", severity)
    assert f"Patient is {status}" in warning.message


def test_not_pregnant_draws_nothing():
    assert safety.pregnancy_or_breastfeeding(plan(list(ALL_PROCEDURES.values()))) == []


def test_a_glycolic_peel_with_a_laser_is_one_strong_warning():
    [warning] = safety.pregnancy_or_breastfeeding(
        plan([GLYCOLIC, CO2], pregnancy_status="pregnant")
    )
    assert warning.severity == Severity.STRONG
    assert "a chemical peel and laser resurfacing: elective" in warning.message


@pytest.mark.parametrize(
    ("status", "agent", "expected"),
    [
        ("pregnant", "tretinoin", ["retinoid_in_pregnancy"]),
        ("pregnant", "adapalene", ["retinoid_in_pregnancy"]),
        ("pregnant", "adapalene_bpo", ["retinoid_in_pregnancy"]),
        ("pregnant", "azelaic_acid", []),
        ("pregnant", "benzoyl_peroxide", []),
        ("breastfeeding", "tretinoin", []),
        ("no", "tretinoin", []),
    ],
)
def test_topical_retinoid_started_in_pregnancy(status, agent, expected):
    facts = dataclasses.replace(SAFE, pregnancy_status=status)
    assert codes(safety.topical_warnings(patient=facts, agent=agent)) == expected


# ---------------------------------------------------------------------------------------------
# Anticoagulants, keloid history, cold sores
# ---------------------------------------------------------------------------------------------

BLEEDING = dict.fromkeys(
    ["subcision", "punch excision", "punch graft", "punch elevation", "HA filler", "PMMA filler"],
    Severity.CAUTION,
)


@pytest.mark.parametrize(("procedure", "severity"), expect_per_procedure(BLEEDING))
def test_anticoagulant(procedure, severity):
    found = safety.anticoagulant(
        plan([procedure], on_anticoagulant=True, anticoagulant_agent="apixaban")
    )
    assert [w.severity for w in found] == ([severity] if severity else [])
    if found:
        assert found[0].message.startswith("Patient takes apixaban: ")


def test_no_anticoagulant_no_warning():
    assert safety.anticoagulant(plan([SUBCISION, EXCISION, HA])) == []


KELOID = {
    "punch excision": Severity.CAUTION,
    "punch graft": Severity.CAUTION,
    "fractional CO2": Severity.CAUTION,
    "fully ablative laser": Severity.CAUTION,
    "TCA 50 % peel (deep)": Severity.CAUTION,
    "subcision": Severity.CAUTION,
}


@pytest.mark.parametrize(("procedure", "severity"), expect_per_procedure(KELOID))
def test_keloid_history(procedure, severity):
    found = safety.keloid_history(plan([procedure], keloid_history=True))
    assert [w.severity for w in found] == ([severity] if severity else [])


def test_no_keloid_history_no_warning():
    assert safety.keloid_history(plan(list(ALL_PROCEDURES.values()))) == []


HERPES = {
    "fractional CO2": Severity.STRONG,
    "fully ablative laser": Severity.STRONG,
    "TCA 35 % peel (medium)": Severity.STRONG,
    "TCA 50 % peel (deep)": Severity.STRONG,
    "Jessner's + TCA (medium)": Severity.STRONG,
}


@pytest.mark.parametrize(("procedure", "severity"), expect_per_procedure(HERPES))
def test_cold_sores_without_prophylaxis(procedure, severity):
    found = safety.herpes_without_prophylaxis(plan([procedure], herpes_labialis_history=True))
    assert [w.severity for w in found] == ([severity] if severity else [])


@pytest.mark.parametrize("procedure", [CO2, TCA_MEDIUM, TCA_DEEP], ids=["CO2", "medium", "deep"])
def test_cold_sores_with_prophylaxis_recorded_draw_nothing(procedure):
    found = safety.herpes_without_prophylaxis(
        plan([procedure], herpes_labialis_history=True, antiviral=True)
    )
    assert found == []


# ---------------------------------------------------------------------------------------------
# Isotretinoin: the strong warning covers medium and deep peels too
# ---------------------------------------------------------------------------------------------

ISOTRETINOIN = dict.fromkeys(ALL_PROCEDURES, Severity.CAUTION) | {
    "fully ablative laser": Severity.STRONG,
    "TCA 35 % peel (medium)": Severity.STRONG,
    "TCA 50 % peel (deep)": Severity.STRONG,
    "Jessner's + TCA (medium)": Severity.STRONG,
}


@pytest.mark.parametrize(("procedure", "severity"), expect_per_procedure(ISOTRETINOIN))
@pytest.mark.parametrize(
    ("stopped_on", "applies"),
    [
        (dt.date(2025, 9, 16), True),  # six calendar months less a day
        (dt.date(2025, 9, 15), False),  # exactly six months
        (dt.date(2025, 9, 14), False),
    ],
    ids=["stopped 6 months - 1 day", "stopped 6 months", "stopped 6 months + 1 day"],
)
def test_isotretinoin_stopped(stopped_on, applies, procedure, severity):
    found = safety.isotretinoin_recent(plan([procedure], isotretinoin_stopped_on=stopped_on))
    assert [w.severity for w in found] == ([severity] if applies else [])


def test_medium_peel_on_isotretinoin_names_the_peel():
    [warning] = safety.isotretinoin_recent(plan([TCA_MEDIUM], on_isotretinoin=True))
    assert warning.code == "isotretinoin_deep_peel"
    assert "a medium peel is not advised" in warning.message


# ---------------------------------------------------------------------------------------------
# Parameters: CROSS below 65 %, TCA peels above 35 %
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "expected"),
    [("50", ["cross_tca_low"]), ("64.9", ["cross_tca_low"]), ("65", []), ("100", [])],
)
def test_cross_below_the_usual_strength(percent, expected):
    cross = dataclasses.replace(CROSS, tca_percent=Decimal(percent))
    assert codes(safety.cross_tca_below_usual(plan([cross]))) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [("35", []), ("35.1", ["tca_peel_strong"]), ("50", ["tca_peel_strong"]), ("20", [])],
)
def test_tca_peel_above_35(percent, expected):
    assert codes(safety.tca_peel_unpredictable(plan([peel("tca", percent)]))) == expected


def test_cross_at_100_is_not_a_strong_peel():
    assert safety.tca_peel_unpredictable(plan([CROSS])) == []


# ---------------------------------------------------------------------------------------------
# PMMA-collagen: age, and the skin test (a hard stop)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (dt.date(2005, 3, 16), ["pmma_under_21"]),  # 21 tomorrow
        (dt.date(2005, 3, 15), []),  # 21 today
        (dt.date(2005, 3, 14), []),
    ],
    ids=["20 (birthday tomorrow)", "21 today", "21 yesterday"],
)
def test_pmma_under_21(born, expected):
    assert codes(safety.pmma_under_21(plan([PMMA], date_of_birth=born))) == expected


def test_hyaluronic_acid_under_21_is_not_warned():
    assert safety.pmma_under_21(plan([HA], date_of_birth=dt.date(2008, 1, 1))) == []


def negative(read_days_before: int, placed_days_before: int | None = None) -> SkinTestFact:
    placed = placed_days_before if placed_days_before is not None else read_days_before + 28
    return SkinTestFact(before(placed), before(read_days_before), "negative")


@pytest.mark.parametrize(
    ("tests", "blocked", "says"),
    [
        pytest.param((), True, "needs a negative skin test", id="no test"),
        pytest.param((negative(27),), True, "4 weeks after a negative", id="read 27 days before"),
        pytest.param((negative(28),), False, "", id="read 28 days before"),
        pytest.param((negative(29),), False, "", id="read 29 days before"),
        pytest.param(
            (SkinTestFact(before(1), before(0), "negative"),),
            True,
            "4 weeks after a negative",
            id="placed yesterday, read today",
        ),
        pytest.param(
            (negative(60), SkinTestFact(before(40), before(35), "positive")),
            True,
            "read positive",
            id="later positive after an earlier negative",
        ),
        pytest.param(
            (negative(60), SkinTestFact(before(40), before(35), "equivocal")),
            True,
            "read equivocal",
            id="later equivocal after an earlier negative",
        ),
        pytest.param(
            (negative(60), SkinTestFact(before(10))),
            True,
            "has not been read yet",
            id="later test not read yet",
        ),
        pytest.param(
            (SkinTestFact(before(90), before(60), "positive"), negative(30)),
            False,
            "",
            id="negative retest after an earlier positive",
        ),
    ],
)
def test_pmma_skin_test_hard_stop(tests, blocked, says):
    stops = safety.pmma_without_skin_test(plan([HA, PMMA], pmma_skin_tests=tests))
    if not blocked:
        assert stops == []
        return
    [stop] = stops
    assert stop.procedure_index == 1
    assert says in stop.message


def test_the_skin_test_does_not_stop_other_fillers():
    assert safety.pmma_without_skin_test(plan([HA])) == []


@pytest.mark.parametrize(
    ("placed_days_before", "expected"),
    [(55, ["pmma_skin_test_short"]), (56, []), (60, [])],
    ids=["observed 27 days", "observed 28 days", "observed 32 days"],
)
def test_a_skin_test_read_before_its_4_week_observation_is_warned(placed_days_before, expected):
    tests = (negative(28, placed_days_before),)
    found = safety.pmma_skin_test_observed_briefly(plan([PMMA], pmma_skin_tests=tests))
    assert codes(found) == expected


# ---------------------------------------------------------------------------------------------
# Across modalities: resurfacing after punch, two sessions a day
# ---------------------------------------------------------------------------------------------


def punched(days: int, technique: str = "excision", regions=("left_cheek",)):
    return PriorProcedure(
        Modality.PUNCH, before(days), IntervalKind.PUNCH, punch_technique=technique, regions=regions
    )


@pytest.mark.parametrize(
    ("prior", "planned", "expected"),
    [
        pytest.param([punched(27)], CO2, ["resurfacing_after_punch"], id="laser 27 days after"),
        pytest.param([punched(28)], CO2, [], id="laser 28 days after"),
        pytest.param([punched(0)], CO2, ["resurfacing_after_punch"], id="laser the same day"),
        pytest.param([punched(10, "graft")], NON_ABLATIVE, ["resurfacing_after_punch"], id="graft"),
        pytest.param([punched(10, "elevation")], CO2, [], id="elevation: no open wound"),
        pytest.param([punched(10)], TCA_MEDIUM, ["resurfacing_after_punch"], id="medium peel"),
        pytest.param([punched(10)], GLYCOLIC, [], id="superficial peel"),
        pytest.param([punched(10)], CROSS, [], id="CROSS"),
        pytest.param(
            [punched(10, regions=("forehead",))],
            dataclasses.replace(CO2, regions=("left_cheek",)),
            [],
            id="another region",
        ),
        pytest.param(
            [punched(10)],
            dataclasses.replace(CO2, regions=("left_cheek", "nose")),
            ["resurfacing_after_punch"],
            id="overlapping region",
        ),
        pytest.param(
            [punched(10, regions=())], CO2, ["resurfacing_after_punch"], id="regions unrecorded"
        ),
        pytest.param([punched(-3)], CO2, [], id="punch after this session (amendment)"),
    ],
)
def test_resurfacing_after_punch(prior, planned, expected):
    assert codes(safety.resurfacing_after_punch(plan([planned], prior=prior))) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, []), (0, ["same_day_session"]), (-1, [])],
    ids=["day before", "same day", "day after"],
)
def test_two_sessions_on_one_day(days, expected):
    prior = [PriorProcedure(Modality.SUBCISION, before(days), IntervalKind.SUBCISION)]
    assert codes(safety.same_day_session(plan([CROSS], prior=prior))) == expected


# ---------------------------------------------------------------------------------------------
# The entry points run every rule
# ---------------------------------------------------------------------------------------------


def test_session_warnings_runs_every_rule():
    facts = dataclasses.replace(
        SAFE,
        fitzpatrick_type=5,
        active_acne=True,
        on_isotretinoin=True,
        has_clinical_photo_consent=False,
        date_of_birth=dt.date(2008, 1, 1),
        pregnancy_status="pregnant",
        on_anticoagulant=True,
        anticoagulant_agent="aspirin",
        keloid_history=True,
        herpes_labialis_history=True,
        pmma_skin_tests=(negative(28, 30),),
    )
    low_cross = dataclasses.replace(CROSS, tca_percent=Decimal(50))
    prior = [punched(0), PriorProcedure(Modality.CROSS, before(0), IntervalKind.CROSS)]
    found = safety.session_warnings(
        patient=facts,
        procedures=[low_cross, FULLY_ABLATIVE, TCA_DEEP, SUBCISION, PMMA],
        performed_on=DAY,
        prior=prior,
        photos_taken=True,
    )
    assert len(safety.WARNING_RULES) == 16
    assert set(codes(found)) == {
        "pih_skin_type",
        "isotretinoin_ablative",
        "interval_cross",
        "active_acne",
        "no_photo_consent",
        "pregnancy",
        "anticoagulant",
        "keloid_history",
        "herpes_no_prophylaxis",
        "cross_tca_low",
        "tca_peel_strong",
        "pmma_under_21",
        "pmma_skin_test_short",
        "resurfacing_after_punch",
        "same_day_session",
    }  # every rule but skin_type_unknown, which a recorded type rules out


def test_hard_stops_runs_every_rule():
    expired = dataclasses.replace(PMMA, filler_lot_number="", filler_expiry=before(1))
    stops = safety.hard_stops(patient=SAFE, procedures=[expired], performed_on=DAY)
    assert len(safety.HARD_STOP_RULES) == 3
    assert len(stops) == 3
