"""Safety flags at the top of the chart (patients/flags.py): pure rules, no database.

Each case gives the patient's state and the flag codes a dermatologist must see, in order.
"""

import datetime as dt

import pytest

from clinic.lib.dates import add_months
from patients.flags import FlagLevel, SafetyFlag, safety_flags

TODAY = dt.date(2026, 7, 15)

# A patient with nothing to flag: every case below changes one thing from here.
CALM = {
    "today": TODAY,
    "fitzpatrick_type": 3,
    "active_acne": False,
    "on_isotretinoin": False,
    "isotretinoin_stopped_on": None,
    "allergies": "",
    "has_clinical_photo_consent": True,
}


def codes(**changes) -> list[str]:
    return [flag.code for flag in safety_flags(**{**CALM, **changes})]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="nothing to flag"),
        pytest.param({"on_isotretinoin": True}, ["isotretinoin_current"], id="isotretinoin now"),
        pytest.param(
            {"on_isotretinoin": True, "isotretinoin_stopped_on": dt.date(2020, 1, 1)},
            ["isotretinoin_current"],
            id="taking again after an old course: current, not recent",
        ),
        pytest.param(
            {"isotretinoin_stopped_on": dt.date(2026, 7, 14)},
            ["isotretinoin_recent"],
            id="stopped yesterday",
        ),
        pytest.param(
            {"isotretinoin_stopped_on": dt.date(2026, 1, 16)},
            ["isotretinoin_recent"],
            id="stopped 5 months 30 days ago",
        ),
        pytest.param(
            {"isotretinoin_stopped_on": dt.date(2026, 1, 15)},
            [],
            id="stopped exactly 6 months ago: clear",
        ),
        pytest.param({"isotretinoin_stopped_on": dt.date(2024, 3, 1)}, [], id="stopped years ago"),
        pytest.param(
            {"today": dt.date(2027, 2, 27), "isotretinoin_stopped_on": dt.date(2026, 8, 31)},
            ["isotretinoin_recent"],
            id="stopped 31 Aug: still flagged on 27 Feb",
        ),
        pytest.param(
            {"today": dt.date(2027, 2, 28), "isotretinoin_stopped_on": dt.date(2026, 8, 31)},
            [],
            id="stopped 31 Aug: clear on 28 Feb (no 31 Feb)",
        ),
        pytest.param({"active_acne": True}, ["active_acne"], id="active acne"),
        pytest.param({"fitzpatrick_type": 1}, [], id="Fitzpatrick I"),
        pytest.param({"fitzpatrick_type": 3}, [], id="Fitzpatrick III: no PIH flag"),
        pytest.param({"fitzpatrick_type": 4}, ["pih_risk"], id="Fitzpatrick IV: PIH flag"),
        pytest.param({"fitzpatrick_type": 6}, ["pih_risk"], id="Fitzpatrick VI: PIH flag"),
        pytest.param(
            {"fitzpatrick_type": None}, ["fitzpatrick_unknown"], id="Fitzpatrick not yet assessed"
        ),
        pytest.param({"allergies": "Lidocaine"}, ["allergies"], id="allergy"),
        pytest.param({"allergies": "  \n "}, [], id="blank allergy text is no allergy"),
        pytest.param(
            {"has_clinical_photo_consent": False}, ["no_photo_consent"], id="no photo consent"
        ),
        pytest.param(
            {
                "on_isotretinoin": True,
                "active_acne": True,
                "fitzpatrick_type": 5,
                "allergies": "Latex",
                "has_clinical_photo_consent": False,
            },
            ["isotretinoin_current", "active_acne", "pih_risk", "allergies", "no_photo_consent"],
            id="everything at once, most serious first",
        ),
    ],
)
def test_safety_flag_codes(changes, expected):
    assert codes(**changes) == expected


def test_current_isotretinoin_is_a_danger_flag():
    assert safety_flags(**{**CALM, "on_isotretinoin": True}) == [
        SafetyFlag(
            "isotretinoin_current",
            FlagLevel.DANGER,
            "Currently taking isotretinoin: no fully ablative laser or dermabrasion.",
        )
    ]


def test_recent_isotretinoin_warning_names_the_stop_date_and_the_clear_date():
    flags = safety_flags(**{**CALM, "isotretinoin_stopped_on": dt.date(2026, 1, 16)})

    assert flags == [
        SafetyFlag(
            "isotretinoin_recent",
            FlagLevel.WARNING,
            "Isotretinoin stopped 16 Jan 2026 (under 6 months): avoid fully ablative laser and "
            "dermabrasion until 16 Jul 2026.",
        )
    ]


def test_recent_isotretinoin_clear_date_is_clamped_to_the_end_of_february():
    flags = safety_flags(
        **{**CALM, "today": dt.date(2027, 2, 1), "isotretinoin_stopped_on": dt.date(2026, 8, 31)}
    )

    assert flags[0].message.endswith("until 28 Feb 2027.")


def test_allergy_flag_is_danger_and_quotes_the_allergy_trimmed():
    assert safety_flags(**{**CALM, "allergies": "  Latex; chlorhexidine \n"}) == [
        SafetyFlag("allergies", FlagLevel.DANGER, "Allergies: Latex; chlorhexidine")
    ]


def test_pih_risk_and_active_acne_are_warnings():
    flags = safety_flags(**{**CALM, "fitzpatrick_type": 4, "active_acne": True})

    assert [(flag.code, flag.level) for flag in flags] == [
        ("active_acne", FlagLevel.WARNING),
        ("pih_risk", FlagLevel.WARNING),
    ]


def test_missing_photo_consent_is_information_only():
    assert safety_flags(**{**CALM, "has_clinical_photo_consent": False}) == [
        SafetyFlag(
            "no_photo_consent",
            FlagLevel.INFO,
            "No photo consent for the clinical record: photographs cannot be taken.",
        )
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28), id="31 Aug + 6 = 28 Feb"),
        pytest.param(
            dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29), id="31 Aug + 6 = 29 Feb in a leap year"
        ),
        pytest.param(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28), id="31 Jan + 1"),
        pytest.param(dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30), id="31 Mar + 1 = 30 Apr"),
        pytest.param(dt.date(2026, 1, 15), 6, dt.date(2026, 7, 15), id="same day number"),
        pytest.param(dt.date(2026, 11, 15), 2, dt.date(2027, 1, 15), id="into the next year"),
        pytest.param(dt.date(2026, 12, 31), 12, dt.date(2027, 12, 31), id="a whole year"),
        pytest.param(dt.date(2026, 5, 20), 0, dt.date(2026, 5, 20), id="zero months"),
        pytest.param(dt.date(2026, 1, 15), -1, dt.date(2025, 12, 15), id="back a month"),
        pytest.param(dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28), id="29 Feb + 12"),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# Risk factors asked before procedures (issue: safety engine, second pass).
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"pregnancy_status": "pregnant", "pregnancy_status_recorded_on": TODAY},
            ["pregnancy"],
            id="pregnant",
        ),
        pytest.param(
            {"pregnancy_status": "breastfeeding", "pregnancy_status_recorded_on": TODAY},
            ["pregnancy"],
            id="breastfeeding",
        ),
        pytest.param(
            {"pregnancy_status": "no", "pregnancy_status_recorded_on": TODAY}, [], id="no"
        ),
        pytest.param(
            {"on_anticoagulant": True, "anticoagulant_agent": "apixaban"},
            ["anticoagulant"],
            id="anticoagulant",
        ),
        pytest.param({"keloid_history": True}, ["keloid_history"], id="keloid history"),
        pytest.param({"herpes_labialis_history": True}, ["herpes_labialis"], id="cold sores"),
    ],
)
def test_risk_factor_flags(changes, expected):
    assert codes(**changes) == expected


@pytest.mark.parametrize(
    ("days_ago", "ask_again"), [(90, False), (91, True)], ids=["asked 90 days ago", "91 days ago"]
)
def test_an_old_pregnancy_answer_asks_to_be_checked_again(days_ago, ask_again):
    [flag] = safety_flags(
        **CALM,
        pregnancy_status="pregnant",
        pregnancy_status_recorded_on=TODAY - dt.timedelta(days=days_ago),
    )
    assert flag.level == FlagLevel.DANGER
    assert ("ask again" in flag.message) == ask_again


def test_anticoagulant_flag_names_the_agent():
    [flag] = safety_flags(**CALM, on_anticoagulant=True, anticoagulant_agent="warfarin")
    assert "(warfarin)" in flag.message
