"""Warnings and hard stops before a treatment session: pure rules, no Django.

Sources (see ../shared/DOMAIN.md): post-inflammatory hyperpigmentation risk in Fitzpatrick IV-VI
with medium/deep peels, high-strength TCA and ablative lasers at high density (Lee 2002 studied
CROSS in Fitzpatrick IV-V); isotretinoin within 6 months: the 2017 consensus statements
(Waldman et al., Dermatol Surg 2017; Spring et al., JAMA Dermatol 2017) found no reason to delay
superficial peels, fractional lasers or skin surgery, but keep caution for fully ablative laser and
mechanical dermabrasion; minimum intervals per modality (treatments.modalities); PMMA-collagen
filler needs a prior skin test (product labelling); every filler needs its product and lot number
for recalls.

Warnings are shown on the session form and must be acknowledged; hard stops block saving.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from patients.flags import ISOTRETINOIN_CAUTION_MONTHS, add_months
from treatments.modalities import IntervalKind, Modality, minimum_interval

HIGH_STRENGTH_TCA_PERCENT = Decimal(40)  # "TCA over 40 % is unpredictable" in darker skin
HIGH_DENSITY_PERCENT = Decimal(20)  # typical fractional CO2 density is 10-20 %
PMMA_COLLAGEN = "pmma_collagen"
_NUMERALS = ("I", "II", "III", "IV", "V", "VI")


class Severity(StrEnum):
    STRONG = "strong"
    CAUTION = "caution"


@dataclass(frozen=True)
class SafetyWarning:
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class HardStop:
    procedure_index: int  # position in the planned list, so the form can show it in place
    message: str


@dataclass(frozen=True)
class PatientFacts:
    fitzpatrick_type: int | None
    active_acne: bool
    on_isotretinoin: bool
    isotretinoin_stopped_on: dt.date | None
    has_clinical_photo_consent: bool
    has_negative_pmma_skin_test: bool = False


@dataclass(frozen=True)
class PlannedProcedure:
    modality: Modality
    interval_kind: IntervalKind
    tca_percent: Decimal | None = None  # CROSS, or a TCA peel
    is_medium_depth_peel: bool = False
    is_ablative_laser: bool = False
    is_fully_ablative_laser: bool = False
    laser_density_percent: Decimal | None = None
    filler_material: str | None = None
    filler_product: str = ""
    filler_lot_number: str = ""
    filler_expiry: dt.date | None = None


@dataclass(frozen=True)
class PriorProcedure:
    modality: Modality
    performed_on: dt.date
    # When known, the earlier procedure's own recovery time counts too: a superficial peel
    # after a medium-depth one waits for the medium peel's interval.
    interval_kind: IntervalKind | None = None


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _interval_text(gap: dt.timedelta) -> str:
    if gap.days % 7 == 0:
        weeks = gap.days // 7
        return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return _days(gap.days)


def _darker_skin_risk(procedure: PlannedProcedure) -> str | None:
    if procedure.is_medium_depth_peel:
        return "a medium-depth peel"
    if procedure.tca_percent is not None and procedure.tca_percent > HIGH_STRENGTH_TCA_PERCENT:
        what = "CROSS" if procedure.modality == Modality.CROSS else "a TCA peel"
        return f"{what} with TCA above {HIGH_STRENGTH_TCA_PERCENT} %"
    if procedure.is_fully_ablative_laser:
        return "fully ablative laser resurfacing"
    density = procedure.laser_density_percent
    if procedure.is_ablative_laser and density is not None and density > HIGH_DENSITY_PERCENT:
        return f"ablative laser at {density} % density (over {HIGH_DENSITY_PERCENT} %)"
    return None


def session_warnings(
    *,
    patient: PatientFacts,
    procedures: Sequence[PlannedProcedure],
    performed_on: dt.date,
    prior: Sequence[PriorProcedure] = (),
    photos_taken: bool = False,
) -> list[SafetyWarning]:
    """Every warning the clinician must acknowledge before this session is saved."""
    warnings: list[SafetyWarning] = []

    risky = [reason for p in procedures if (reason := _darker_skin_risk(p))]
    if risky and patient.fitzpatrick_type is not None and patient.fitzpatrick_type >= 4:
        warnings.append(
            SafetyWarning(
                "pih_skin_type",
                Severity.CAUTION,
                f"Fitzpatrick type {_NUMERALS[patient.fitzpatrick_type - 1]} "
                f"with {', '.join(dict.fromkeys(risky))}: risk of post-inflammatory "
                "hyperpigmentation. Consider a test spot, priming and strict sun protection.",
            )
        )
    if patient.fitzpatrick_type is None and any(
        p.modality in (Modality.PEEL, Modality.LASER, Modality.CROSS) for p in procedures
    ):
        warnings.append(
            SafetyWarning(
                "skin_type_unknown",
                Severity.CAUTION,
                "Fitzpatrick skin type is not recorded: record it before peels, CROSS or lasers.",
            )
        )

    # Six calendar months, the same boundary as the chart's safety flag.
    isotretinoin_recent = patient.on_isotretinoin or (
        patient.isotretinoin_stopped_on is not None
        and performed_on < add_months(patient.isotretinoin_stopped_on, ISOTRETINOIN_CAUTION_MONTHS)
    )
    if isotretinoin_recent and procedures:
        when = (
            "currently taking isotretinoin"
            if patient.on_isotretinoin
            else f"isotretinoin stopped {patient.isotretinoin_stopped_on:%d %b %Y}"
        )
        if any(p.is_fully_ablative_laser for p in procedures):
            warnings.append(
                SafetyWarning(
                    "isotretinoin_ablative",
                    Severity.STRONG,
                    f"Patient {when} (under 6 months): fully ablative resurfacing is not "
                    "advised until 6 months after stopping.",
                )
            )
        else:
            warnings.append(
                SafetyWarning(
                    "isotretinoin_recent",
                    Severity.CAUTION,
                    f"Patient {when} (under 6 months): the 2017 consensus found no reason to "
                    "delay peels, fractional lasers or surgery, but healing may be slower.",
                )
            )

    interval_warnings: dict[str, tuple[dt.timedelta, SafetyWarning]] = {}
    for procedure in procedures:
        planned_gap = minimum_interval(procedure.interval_kind)
        too_soon: list[tuple[PriorProcedure, dt.timedelta]] = []
        for p in prior:
            if p.modality != procedure.modality:
                continue
            gap = planned_gap
            if p.interval_kind is not None:
                gap = max(gap, minimum_interval(p.interval_kind))
            if dt.timedelta(0) <= performed_on - p.performed_on < gap:
                too_soon.append((p, gap))
        if not too_soon:
            continue
        last = max(p.performed_on for p, _ in too_soon)
        gap = max(g for _, g in too_soon)
        code = f"interval_{procedure.modality.value}"
        # Two procedures of one modality make one warning: keep the stricter minimum.
        if code in interval_warnings and interval_warnings[code][0] >= gap:
            continue
        interval_warnings[code] = (
            gap,
            SafetyWarning(
                code,
                Severity.CAUTION,
                f"{procedure.modality.label} was done {_days((performed_on - last).days)} ago "
                f"({last:%d %b %Y}); the minimum interval is {_interval_text(gap)}.",
            ),
        )
    warnings.extend(w for _, w in interval_warnings.values())

    if patient.active_acne and procedures:
        warnings.append(
            SafetyWarning(
                "active_acne",
                Severity.CAUTION,
                "Active inflammatory acne is recorded: do not treat over active lesions.",
            )
        )
    if photos_taken and not patient.has_clinical_photo_consent:
        warnings.append(
            SafetyWarning(
                "no_photo_consent",
                Severity.STRONG,
                "Photos are marked as taken but the patient has no photo consent for the "
                "clinical record: record consent first, or do not take photos.",
            )
        )
    # One warning per code: two lasers too soon are one interval warning.
    return list({w.code: w for w in warnings}.values())


def hard_stops(
    *, patient: PatientFacts, procedures: Sequence[PlannedProcedure], performed_on: dt.date
) -> list[HardStop]:
    """Conditions under which the session cannot be saved at all."""
    stops: list[HardStop] = []
    for index, p in enumerate(procedures):
        if p.modality != Modality.FILLER:
            continue
        if not p.filler_product.strip() or not p.filler_lot_number.strip():
            stops.append(
                HardStop(index, "A filler needs its product and lot number (for recalls).")
            )
        if p.filler_expiry is not None and p.filler_expiry < performed_on:
            stops.append(HardStop(index, f"This filler lot expired on {p.filler_expiry:%d %b %Y}."))
        if p.filler_material == PMMA_COLLAGEN and not patient.has_negative_pmma_skin_test:
            stops.append(
                HardStop(
                    index,
                    "PMMA-collagen filler needs a negative skin test recorded for this patient "
                    "before treatment.",
                )
            )
    return stops
