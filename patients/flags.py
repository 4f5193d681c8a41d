"""Safety flags shown at the top of a patient's chart: pure rules, no database.

Sources: docs/clinical-rules.md. Isotretinoin: the 2017 consensus statements found no reason to
delay superficial peels, fractional lasers or skin surgery, but still advise caution for six months
after stopping before fully ablative laser or mechanical dermabrasion.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from clinic.lib.dates import add_months

ISOTRETINOIN_CAUTION_MONTHS = 6
# Pregnancy changes within months: an answer older than this is shown as needing asking again.
PREGNANCY_STATUS_RECHECK_DAYS = 90


class FlagLevel(StrEnum):
    DANGER = "danger"
    WARNING = "warning"
    INFO = "info"


class RiskFactors(TypedDict):
    """The patient's answers that both the chart's flags and the session safety rules read
    (Patient.risk_factors() gives them), so the two can never read different fields."""

    fitzpatrick_type: int | None
    active_acne: bool
    on_isotretinoin: bool
    isotretinoin_stopped_on: dt.date | None
    pregnancy_status: str
    on_anticoagulant: bool
    anticoagulant_agent: str
    keloid_history: bool
    herpes_labialis_history: bool


@dataclass(frozen=True)
class SafetyFlag:
    code: str
    level: FlagLevel
    message: str


@dataclass(frozen=True)
class FlagFacts:
    """What the flags read: safety_flags' arguments, in one value."""

    today: dt.date
    fitzpatrick_type: int | None
    active_acne: bool
    on_isotretinoin: bool
    isotretinoin_stopped_on: dt.date | None
    allergies: str
    has_clinical_photo_consent: bool
    pregnancy_status: str
    pregnancy_status_recorded_on: dt.date | None
    on_anticoagulant: bool
    anticoagulant_agent: str
    keloid_history: bool
    herpes_labialis_history: bool


# One function per flag: None when it does not apply.
FlagRule = Callable[[FlagFacts], SafetyFlag | None]


def _pregnancy(f: FlagFacts) -> SafetyFlag | None:
    if f.pregnancy_status not in ("pregnant", "breastfeeding"):
        return None
    asked = (
        f" (recorded {f.pregnancy_status_recorded_on:%d %b %Y}"
        + (
            ": ask again"
            if f.pregnancy_status_recorded_on
            and (f.today - f.pregnancy_status_recorded_on).days > PREGNANCY_STATUS_RECHECK_DAYS
            else ""
        )
        + ")"
        if f.pregnancy_status_recorded_on
        else ""
    )
    return SafetyFlag(
        "pregnancy",
        FlagLevel.DANGER,
        f"{f.pregnancy_status.capitalize()}{asked}: defer peels, CROSS and lasers; no "
        "topical retinoids in pregnancy.",
    )


def _anticoagulant(f: FlagFacts) -> SafetyFlag | None:
    if not f.on_anticoagulant:
        return None
    agent = f.anticoagulant_agent.strip() or "agent not named"
    return SafetyFlag(
        "anticoagulant",
        FlagLevel.WARNING,
        f"Anticoagulant or antiplatelet ({agent}): bruising and haematoma after "
        "subcision, punch surgery and fillers.",
    )


def _keloid_history(f: FlagFacts) -> SafetyFlag | None:
    if not f.keloid_history:
        return None
    return SafetyFlag(
        "keloid_history",
        FlagLevel.WARNING,
        "History of keloid or hypertrophic scarring: caution with punch excision, "
        "ablative laser, deep peels and subcision.",
    )


def _herpes_labialis(f: FlagFacts) -> SafetyFlag | None:
    if not f.herpes_labialis_history:
        return None
    return SafetyFlag(
        "herpes_labialis",
        FlagLevel.WARNING,
        "Cold sores: antiviral prophylaxis before ablative laser and medium or deep peels.",
    )


def _isotretinoin_current(f: FlagFacts) -> SafetyFlag | None:
    if not f.on_isotretinoin:
        return None
    return SafetyFlag(
        "isotretinoin_current",
        FlagLevel.DANGER,
        "Currently taking isotretinoin: no fully ablative laser or dermabrasion.",
    )


def _isotretinoin_recent(f: FlagFacts) -> SafetyFlag | None:
    """Stopped under six months ago; not shown while still taking it (_isotretinoin_current)."""
    if f.on_isotretinoin or f.isotretinoin_stopped_on is None:
        return None
    clear_on = add_months(f.isotretinoin_stopped_on, ISOTRETINOIN_CAUTION_MONTHS)
    if f.today >= clear_on:
        return None
    return SafetyFlag(
        "isotretinoin_recent",
        FlagLevel.WARNING,
        f"Isotretinoin stopped {f.isotretinoin_stopped_on:%d %b %Y} (under 6 months): "
        f"avoid fully ablative laser and dermabrasion until {clear_on:%d %b %Y}.",
    )


def _active_acne(f: FlagFacts) -> SafetyFlag | None:
    if not f.active_acne:
        return None
    return SafetyFlag(
        "active_acne",
        FlagLevel.WARNING,
        "Active inflammatory acne: do not treat over active lesions.",
    )


def _fitzpatrick_unknown(f: FlagFacts) -> SafetyFlag | None:
    if f.fitzpatrick_type is not None:
        return None
    return SafetyFlag(
        "fitzpatrick_unknown",
        FlagLevel.WARNING,
        "Fitzpatrick skin type not recorded: assess it before any peel or laser.",
    )


def _pih_risk(f: FlagFacts) -> SafetyFlag | None:
    if f.fitzpatrick_type is None or f.fitzpatrick_type < 4:
        return None
    return SafetyFlag(
        "pih_risk",
        FlagLevel.WARNING,
        "Fitzpatrick IV-VI: risk of post-inflammatory hyperpigmentation with medium or "
        "deep peels, TCA peels over 40 % and ablative lasers.",
    )


def _allergies(f: FlagFacts) -> SafetyFlag | None:
    if not f.allergies.strip():
        return None
    return SafetyFlag("allergies", FlagLevel.DANGER, f"Allergies: {f.allergies.strip()}")


def _no_photo_consent(f: FlagFacts) -> SafetyFlag | None:
    if f.has_clinical_photo_consent:
        return None
    return SafetyFlag(
        "no_photo_consent",
        FlagLevel.INFO,
        "No photo consent for the clinical record: photographs cannot be taken.",
    )


# In the order the chart shows them.
FLAG_RULES: tuple[FlagRule, ...] = (
    _pregnancy,
    _anticoagulant,
    _keloid_history,
    _herpes_labialis,
    _isotretinoin_current,
    _isotretinoin_recent,
    _active_acne,
    _fitzpatrick_unknown,
    _pih_risk,
    _allergies,
    _no_photo_consent,
)


def safety_flags(
    *,
    today: dt.date,
    fitzpatrick_type: int | None,
    active_acne: bool,
    on_isotretinoin: bool,
    isotretinoin_stopped_on: dt.date | None,
    allergies: str,
    has_clinical_photo_consent: bool,
    pregnancy_status: str = "no",
    pregnancy_status_recorded_on: dt.date | None = None,
    on_anticoagulant: bool = False,
    anticoagulant_agent: str = "",
    keloid_history: bool = False,
    herpes_labialis_history: bool = False,
) -> list[SafetyFlag]:
    """The flags that apply, in FLAG_RULES order."""
    facts = FlagFacts(
        today=today,
        fitzpatrick_type=fitzpatrick_type,
        active_acne=active_acne,
        on_isotretinoin=on_isotretinoin,
        isotretinoin_stopped_on=isotretinoin_stopped_on,
        allergies=allergies,
        has_clinical_photo_consent=has_clinical_photo_consent,
        pregnancy_status=pregnancy_status,
        pregnancy_status_recorded_on=pregnancy_status_recorded_on,
        on_anticoagulant=on_anticoagulant,
        anticoagulant_agent=anticoagulant_agent,
        keloid_history=keloid_history,
        herpes_labialis_history=herpes_labialis_history,
    )
    return [flag for rule in FLAG_RULES if (flag := rule(facts)) is not None]
