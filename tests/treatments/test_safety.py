"""Unit tests for treatments.safety: every rule of DOMAIN.md "Safety rules" and its boundary.

Pure Python: no Django and no database, so these run with plain pytest. Each test builds a
patient who triggers nothing else, so the exact list of warnings can be asserted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from treatments.modalities import IntervalKind, Modality
from treatments.safety import (
    PatientFacts,
    PeelDepth,
    PlannedProcedure,
    PriorProcedure,
    SafetyWarning,
    Severity,
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
