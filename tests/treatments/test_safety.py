"""Unit tests for treatments.safety: every rule of DOMAIN.md "Safety rules" and its boundary.

Pure Python: no Django and no database, so these run with plain pytest. Each test builds a
patient who triggers nothing else, so the exact list of warnings can be asserted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from treatments.modalities import INTERVAL_DAYS, IntervalKind, Modality
from treatments.safety import (
    HardStop,
    PatientFacts,
    PeelDepth,
    PlannedProcedure,
    PriorProcedure,
    SafetyWarning,
    Severity,
    SkinTestFact,
    hard_stops,
    session_warnings,
)

SESSION_DAY = dt.date(2026, 3, 15)

# A patient who triggers no warning: Fitzpatrick II, no acne, no isotretinoin, photo consent.
SAFE_PATIENT = PatientFacts(
    fitzpatrick_type=2,
    active_acne=False,
    on_isotretinoin=False,
    isotretinoin_stopped_on=None,
    has_clinical_photo_consent=True,
)


def patient(**changes) -> PatientFacts:
    return dataclasses.replace(SAFE_PATIENT, **changes)


def days_before(days: int) -> dt.date:
    return SESSION_DAY - dt.timedelta(days=days)


# The tables below each isolate one rule. The same procedures may also draw the parameter and
# same-day warnings added later (CROSS below 65 %, TCA peel above 35 %, a second session the same
# day); those have their own tables in test_safety_rules.py and are left out here.
LATER_RULE_CODES = {"cross_tca_low", "tca_peel_strong", "same_day_session"}


def warnings_for(procedures, *, prior=(), photos_taken=False, **patient_changes):
    found = session_warnings(
        patient=patient(**patient_changes),
        procedures=procedures,
        performed_on=SESSION_DAY,
        prior=prior,
        photos_taken=photos_taken,
    )
    return [w for w in found if w.code not in LATER_RULE_CODES]


def codes(warnings: list[SafetyWarning]) -> list[str]:
    return [w.code for w in warnings]


# Planned procedures, named as a clinician would.
SUPERFICIAL_PEEL = PlannedProcedure(Modality.PEEL, IntervalKind.PEEL_SUPERFICIAL)
MEDIUM_PEEL = PlannedProcedure(
    Modality.PEEL, IntervalKind.PEEL_MEDIUM, tca_percent=Decimal(35), peel_depth=PeelDepth.MEDIUM
)
FRACTIONAL_CO2 = PlannedProcedure(
    Modality.LASER,
    IntervalKind.LASER_ABLATIVE,
    is_ablative_laser=True,
    laser_density_percent=Decimal(15),
)
FULLY_ABLATIVE_CO2 = PlannedProcedure(
    Modality.LASER,
    IntervalKind.LASER_ABLATIVE,
    is_ablative_laser=True,
    is_fully_ablative_laser=True,
)
NON_ABLATIVE_1550 = PlannedProcedure(
    Modality.LASER, IntervalKind.LASER_NON_ABLATIVE, laser_density_percent=Decimal(50)
)
CROSS_100 = PlannedProcedure(Modality.CROSS, IntervalKind.CROSS, tca_percent=Decimal(100))
SUBCISION = PlannedProcedure(Modality.SUBCISION, IntervalKind.SUBCISION)
PUNCH = PlannedProcedure(Modality.PUNCH, IntervalKind.PUNCH)
HA_FILLER = PlannedProcedure(
    Modality.FILLER,
    IntervalKind.FILLER,
    filler_material="hyaluronic_acid",
    filler_product="Restylane",
    filler_lot_number="LOT-123",
    filler_expiry=dt.date(2027, 1, 31),
)


def cross(tca: str) -> PlannedProcedure:
    return PlannedProcedure(Modality.CROSS, IntervalKind.CROSS, tca_percent=Decimal(tca))


def tca_peel(tca: str) -> PlannedProcedure:
    return PlannedProcedure(Modality.PEEL, IntervalKind.PEEL_SUPERFICIAL, tca_percent=Decimal(tca))


def ablative_laser_at(density: str) -> PlannedProcedure:
    return PlannedProcedure(
        Modality.LASER,
        IntervalKind.LASER_ABLATIVE,
        is_ablative_laser=True,
        laser_density_percent=Decimal(density),
    )


# ---------------------------------------------------------------------------------------------
# Post-inflammatory hyperpigmentation in Fitzpatrick IV-VI
# ---------------------------------------------------------------------------------------------

# (procedure, reason quoted in the warning, or None when the procedure is not a PIH trigger)
PIH_TRIGGERS = [
    pytest.param(MEDIUM_PEEL, "a medium-depth peel", id="medium-depth peel"),
    pytest.param(tca_peel("40"), None, id="TCA peel at exactly 40 % (limit)"),
    pytest.param(tca_peel("40.1"), "a TCA peel with TCA above 40 %", id="TCA peel 40.1 %"),
    pytest.param(tca_peel("50"), "a TCA peel with TCA above 40 %", id="TCA peel 50 %"),
    pytest.param(cross("40"), None, id="CROSS at exactly 40 % (limit)"),
    pytest.param(cross("40.1"), "CROSS with TCA above 40 %", id="CROSS 40.1 %"),
    pytest.param(cross("50"), "CROSS with TCA above 40 %", id="CROSS 50 %"),
    pytest.param(CROSS_100, "CROSS with TCA above 40 %", id="CROSS 100 %"),
    pytest.param(FULLY_ABLATIVE_CO2, "fully ablative laser resurfacing", id="fully ablative laser"),
    pytest.param(ablative_laser_at("20"), None, id="ablative laser at 20 % density (limit)"),
    pytest.param(
        ablative_laser_at("21"),
        "ablative laser at 21 % density (over 20 %)",
        id="ablative laser at 21 % density",
    ),
    pytest.param(NON_ABLATIVE_1550, None, id="non-ablative laser at 50 % density"),
    pytest.param(SUPERFICIAL_PEEL, None, id="superficial peel"),
    pytest.param(SUBCISION, None, id="subcision"),
    pytest.param(PUNCH, None, id="punch"),
    pytest.param(HA_FILLER, None, id="HA filler"),
]


@pytest.mark.parametrize(("procedure", "reason"), PIH_TRIGGERS)
@pytest.mark.parametrize(
    ("fitzpatrick", "numeral"),
    [
        pytest.param(4, "IV", id="Fitzpatrick IV"),
        pytest.param(5, "V", id="Fitzpatrick V"),
        pytest.param(6, "VI", id="Fitzpatrick VI"),
    ],
)
def test_pih_warning_in_darker_skin(fitzpatrick, numeral, procedure, reason):
    warnings = warnings_for([procedure], fitzpatrick_type=fitzpatrick)
    if reason is None:
        assert warnings == []
        return
    [warning] = warnings
    assert warning.code == "pih_skin_type"
    assert warning.severity == Severity.CAUTION
    assert warning.message.startswith(f"Fitzpatrick type {numeral} with {reason}: ")
    assert "risk of post-inflammatory hyperpigmentation" in warning.message


@pytest.mark.parametrize(("procedure", "reason"), PIH_TRIGGERS)
@pytest.mark.parametrize(
    "fitzpatrick",
    [
        pytest.param(1, id="Fitzpatrick I"),
        pytest.param(3, id="Fitzpatrick III (boundary: no PIH warning)"),
    ],
)
def test_no_pih_warning_in_fitzpatrick_i_to_iii(fitzpatrick, procedure, reason):
    assert warnings_for([procedure], fitzpatrick_type=fitzpatrick) == []


@pytest.mark.parametrize(
    ("procedures", "reasons"),
    [
        pytest.param(
            [cross("50"), cross("65")],
            "CROSS with TCA above 40 %",
            id="two high-strength CROSS: reason named once",
        ),
        pytest.param(
            [CROSS_100, SUBCISION, FULLY_ABLATIVE_CO2],
            "CROSS with TCA above 40 %, fully ablative laser resurfacing",
            id="CROSS 100 % + fully ablative laser: both reasons, one warning",
        ),
    ],
)
def test_pih_warning_lists_every_reason_once(procedures, reasons):
    [warning] = warnings_for(procedures, fitzpatrick_type=5)
    assert warning.code == "pih_skin_type"
    assert warning.message.startswith(f"Fitzpatrick type V with {reasons}: risk of ")


# ---------------------------------------------------------------------------------------------
# Fitzpatrick type not recorded
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedures", "expected"),
    [
        pytest.param([SUPERFICIAL_PEEL], ["skin_type_unknown"], id="superficial peel"),
        pytest.param([MEDIUM_PEEL], ["skin_type_unknown"], id="medium-depth peel"),
        pytest.param([NON_ABLATIVE_1550], ["skin_type_unknown"], id="non-ablative laser"),
        pytest.param(
            [FULLY_ABLATIVE_CO2],
            ["skin_type_unknown"],
            id="fully ablative laser: type unknown, no PIH warning",
        ),
        pytest.param([cross("40")], ["skin_type_unknown"], id="CROSS"),
        pytest.param([SUBCISION, CROSS_100], ["skin_type_unknown"], id="subcision + CROSS"),
        pytest.param([SUBCISION], [], id="subcision only: nothing"),
        pytest.param([PUNCH], [], id="punch only: nothing"),
        pytest.param([HA_FILLER], [], id="filler only: nothing"),
        pytest.param([SUBCISION, PUNCH, HA_FILLER], [], id="subcision + punch + filler: nothing"),
        pytest.param([], [], id="no procedures: nothing"),
    ],
)
def test_fitzpatrick_not_recorded(procedures, expected):
    warnings = warnings_for(procedures, fitzpatrick_type=None)
    assert codes(warnings) == expected
    for warning in warnings:
        assert warning.severity == Severity.CAUTION
        assert "Fitzpatrick skin type is not recorded" in warning.message


def test_fitzpatrick_recorded_gives_no_skin_type_unknown():
    assert warnings_for([SUPERFICIAL_PEEL, NON_ABLATIVE_1550, cross("40")]) == []


# ---------------------------------------------------------------------------------------------
# Isotretinoin (2017 consensus): strong only for fully ablative resurfacing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_isotretinoin", "stopped_on", "procedures", "expected_code", "expected_severity", "when"),
    [
        pytest.param(
            True,
            None,
            [FRACTIONAL_CO2],
            "isotretinoin_recent",
            Severity.CAUTION,
            "currently taking isotretinoin",
            id="taking isotretinoin + fractional CO2: caution",
        ),
        pytest.param(
            True,
            None,
            [SUPERFICIAL_PEEL],
            "isotretinoin_recent",
            Severity.CAUTION,
            "currently taking isotretinoin",
            id="taking isotretinoin + superficial peel: caution",
        ),
        pytest.param(
            True,
            None,
            [FULLY_ABLATIVE_CO2],
            "isotretinoin_ablative",
            Severity.STRONG,
            "currently taking isotretinoin",
            id="taking isotretinoin + fully ablative laser: strong only",
        ),
        pytest.param(
            True,
            None,
            [SUBCISION, FULLY_ABLATIVE_CO2],
            "isotretinoin_ablative",
            Severity.STRONG,
            "currently taking isotretinoin",
            id="taking isotretinoin + subcision + fully ablative laser: strong only",
        ),
        pytest.param(
            False,
            dt.date(2025, 9, 16),
            [FRACTIONAL_CO2],
            "isotretinoin_recent",
            Severity.CAUTION,
            "isotretinoin stopped 16 Sep 2025",
            id="stopped 6 months less a day before + fractional CO2: caution",
        ),
        pytest.param(
            False,
            dt.date(2025, 9, 16),
            [FULLY_ABLATIVE_CO2],
            "isotretinoin_ablative",
            Severity.STRONG,
            "isotretinoin stopped 16 Sep 2025",
            id="stopped 6 months less a day before + fully ablative laser: strong",
        ),
        pytest.param(
            False,
            days_before(10),
            [HA_FILLER],
            "isotretinoin_recent",
            Severity.CAUTION,
            "isotretinoin stopped 05 Mar 2026",
            id="stopped 10 days before + filler: caution",
        ),
        pytest.param(
            False,
            dt.date(2025, 9, 15),
            [FRACTIONAL_CO2],
            None,
            None,
            None,
            id="stopped exactly 6 months before + fractional CO2: nothing",
        ),
        pytest.param(
            False,
            dt.date(2025, 9, 15),
            [FULLY_ABLATIVE_CO2],
            None,
            None,
            None,
            id="stopped exactly 6 months before + fully ablative laser: nothing",
        ),
        pytest.param(
            False,
            None,
            [FULLY_ABLATIVE_CO2],
            None,
            None,
            None,
            id="never took isotretinoin: nothing",
        ),
        pytest.param(
            True, None, [], None, None, None, id="taking isotretinoin, no procedures: nothing"
        ),
        pytest.param(
            False,
            days_before(10),
            [],
            None,
            None,
            None,
            id="stopped 10 days before, no procedures: nothing",
        ),
    ],
)
def test_isotretinoin(
    on_isotretinoin, stopped_on, procedures, expected_code, expected_severity, when
):
    warnings = warnings_for(
        procedures, on_isotretinoin=on_isotretinoin, isotretinoin_stopped_on=stopped_on
    )
    if expected_code is None:
        assert warnings == []
        return
    [warning] = warnings  # never both the strong and the caution warning
    assert warning.code == expected_code
    assert warning.severity == expected_severity
    assert warning.message.startswith(f"Patient {when} (under 6 months): ")
    if expected_code == "isotretinoin_ablative":
        assert "fully ablative resurfacing is not advised" in warning.message
    else:
        assert "no reason to delay peels, fractional lasers or surgery" in warning.message


def test_isotretinoin_caution_ends_on_the_same_calendar_day_as_the_chart_flag():
    # The chart flag and the session check must agree: both count six calendar months.
    from clinic.lib.dates import add_months

    stopped = dt.date(2025, 8, 31)
    clear = add_months(stopped, 6)  # 28 Feb 2026
    on_the_eve = session_warnings(
        patient=patient(isotretinoin_stopped_on=stopped),
        procedures=[FRACTIONAL_CO2],
        performed_on=clear - dt.timedelta(days=1),
    )
    on_the_day = session_warnings(
        patient=patient(isotretinoin_stopped_on=stopped),
        procedures=[FRACTIONAL_CO2],
        performed_on=clear,
    )
    assert [w.code for w in on_the_eve] == ["isotretinoin_recent"]
    assert on_the_day == []


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


# ---------------------------------------------------------------------------------------------
# Active acne and photo consent
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active_acne", "procedures", "expected"),
    [
        pytest.param(True, [SUBCISION], ["active_acne"], id="active acne + subcision: caution"),
        pytest.param(
            True, [SUPERFICIAL_PEEL, HA_FILLER], ["active_acne"], id="active acne + peel + filler"
        ),
        pytest.param(True, [], [], id="active acne, no procedures: nothing"),
        pytest.param(False, [SUBCISION], [], id="no active acne: nothing"),
    ],
)
def test_active_acne(active_acne, procedures, expected):
    warnings = warnings_for(procedures, active_acne=active_acne)
    assert codes(warnings) == expected
    for warning in warnings:
        assert warning.severity == Severity.CAUTION
        assert "do not treat over active lesions" in warning.message


@pytest.mark.parametrize(
    ("photos_taken", "consent", "procedures", "expected"),
    [
        pytest.param(
            True, False, [SUBCISION], ["no_photo_consent"], id="photos without consent: strong"
        ),
        pytest.param(
            True, False, [], ["no_photo_consent"], id="photos without consent, no procedures"
        ),
        pytest.param(True, True, [SUBCISION], [], id="photos with consent: nothing"),
        pytest.param(False, False, [SUBCISION], [], id="no photos, no consent: nothing"),
    ],
)
def test_photo_consent(photos_taken, consent, procedures, expected):
    warnings = warnings_for(
        procedures, photos_taken=photos_taken, has_clinical_photo_consent=consent
    )
    assert codes(warnings) == expected
    for warning in warnings:
        assert warning.severity == Severity.STRONG
        assert "no photo consent" in warning.message


def test_every_rule_at_once_gives_one_warning_per_code():
    warnings = session_warnings(
        patient=PatientFacts(
            fitzpatrick_type=5,
            active_acne=True,
            on_isotretinoin=True,
            isotretinoin_stopped_on=None,
            has_clinical_photo_consent=False,
        ),
        procedures=[CROSS_100, FULLY_ABLATIVE_CO2],
        performed_on=SESSION_DAY,
        prior=[PriorProcedure(Modality.CROSS, days_before(7))],
        photos_taken=True,
    )
    assert [(w.code, w.severity) for w in warnings] == [
        ("pih_skin_type", Severity.CAUTION),
        ("isotretinoin_ablative", Severity.STRONG),
        ("interval_cross", Severity.CAUTION),
        ("active_acne", Severity.CAUTION),
        ("no_photo_consent", Severity.STRONG),
    ]


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
