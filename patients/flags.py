"""Safety flags shown at the top of a patient's chart: pure rules, no database.

Sources: docs/clinical-rules.md. Isotretinoin: the 2017 consensus statements found no reason to
delay superficial peels, fractional lasers or skin surgery, but still advise caution for six months
after stopping before fully ablative laser or mechanical dermabrasion.
"""

import datetime as dt
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
    flags: list[SafetyFlag] = []
    if pregnancy_status in ("pregnant", "breastfeeding"):
        asked = (
            f" (recorded {pregnancy_status_recorded_on:%d %b %Y}"
            + (
                ": ask again"
                if pregnancy_status_recorded_on
                and (today - pregnancy_status_recorded_on).days > PREGNANCY_STATUS_RECHECK_DAYS
                else ""
            )
            + ")"
            if pregnancy_status_recorded_on
            else ""
        )
        flags.append(
            SafetyFlag(
                "pregnancy",
                FlagLevel.DANGER,
                f"{pregnancy_status.capitalize()}{asked}: defer peels, CROSS and lasers; no "
                "topical retinoids in pregnancy.",
            )
        )
    if on_anticoagulant:
        agent = anticoagulant_agent.strip() or "agent not named"
        flags.append(
            SafetyFlag(
                "anticoagulant",
                FlagLevel.WARNING,
                f"Anticoagulant or antiplatelet ({agent}): bruising and haematoma after "
                "subcision, punch surgery and fillers.",
            )
        )
    if keloid_history:
        flags.append(
            SafetyFlag(
                "keloid_history",
                FlagLevel.WARNING,
                "History of keloid or hypertrophic scarring: caution with punch excision, "
                "ablative laser, deep peels and subcision.",
            )
        )
    if herpes_labialis_history:
        flags.append(
            SafetyFlag(
                "herpes_labialis",
                FlagLevel.WARNING,
                "Cold sores: antiviral prophylaxis before ablative laser and medium or deep peels.",
            )
        )
    if on_isotretinoin:
        flags.append(
            SafetyFlag(
                "isotretinoin_current",
                FlagLevel.DANGER,
                "Currently taking isotretinoin: no fully ablative laser or dermabrasion.",
            )
        )
    elif isotretinoin_stopped_on is not None:
        clear_on = add_months(isotretinoin_stopped_on, ISOTRETINOIN_CAUTION_MONTHS)
        if today < clear_on:
            flags.append(
                SafetyFlag(
                    "isotretinoin_recent",
                    FlagLevel.WARNING,
                    f"Isotretinoin stopped {isotretinoin_stopped_on:%d %b %Y} (under 6 months): "
                    f"avoid fully ablative laser and dermabrasion until {clear_on:%d %b %Y}.",
                )
            )
    if active_acne:
        flags.append(
            SafetyFlag(
                "active_acne",
                FlagLevel.WARNING,
                "Active inflammatory acne: do not treat over active lesions.",
            )
        )
    if fitzpatrick_type is None:
        flags.append(
            SafetyFlag(
                "fitzpatrick_unknown",
                FlagLevel.WARNING,
                "Fitzpatrick skin type not recorded: assess it before any peel or laser.",
            )
        )
    elif fitzpatrick_type >= 4:
        flags.append(
            SafetyFlag(
                "pih_risk",
                FlagLevel.WARNING,
                "Fitzpatrick IV-VI: risk of post-inflammatory hyperpigmentation with medium or "
                "deep peels, TCA peels over 40 % and ablative lasers.",
            )
        )
    if allergies.strip():
        flags.append(SafetyFlag("allergies", FlagLevel.DANGER, f"Allergies: {allergies.strip()}"))
    if not has_clinical_photo_consent:
        flags.append(
            SafetyFlag(
                "no_photo_consent",
                FlagLevel.INFO,
                "No photo consent for the clinical record: photographs cannot be taken.",
            )
        )
    return flags
