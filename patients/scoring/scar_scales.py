"""Clinician-rated scar scales: ECCA and Goodman & Baron (quantitative and qualitative)."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from patients.scoring.inputs import ScoringInputError, _check_count, _parse_key

# --------------------------------------------------------------------------------------------
# ECCA (Echelle d'Evaluation Clinique des Cicatrices d'Acne)
# --------------------------------------------------------------------------------------------


class EccaScarType(enum.StrEnum):
    """The six scar types of the ECCA score (Dreno et al., Dermatology 2007;214:46-51)."""

    ICE_PICK = "ice_pick"
    BOXCAR = "boxcar"
    ROLLING = "rolling"
    ELASTOLYSIS = "elastolysis"
    HYPERTROPHIC_RECENT = "hypertrophic_recent"
    KELOID_OR_OLD_HYPERTROPHIC = "keloid_old_hypertrophic"

    @property
    def label(self) -> str:
        return _ECCA_LABELS[self]

    @property
    def weight(self) -> int:
        return ECCA_WEIGHTS[self]


_ECCA_LABELS: Final[Mapping[EccaScarType, str]] = MappingProxyType(
    {
        EccaScarType.ICE_PICK: "Ice pick (V-shaped, < 2 mm)",
        EccaScarType.BOXCAR: "Boxcar (U-shaped, 2-4 mm)",
        EccaScarType.ROLLING: "Rolling (M-shaped, > 4 mm)",
        EccaScarType.ELASTOLYSIS: "Superficial elastolysis",
        EccaScarType.HYPERTROPHIC_RECENT: "Hypertrophic, inflammatory (< 2 years old)",
        EccaScarType.KELOID_OR_OLD_HYPERTROPHIC: "Keloid, or hypertrophic (> 2 years old)",
    }
)

# Shorter than the labels so that error messages read naturally ("Ice pick count cannot ...").
_ECCA_NAMES: Final[Mapping[EccaScarType, str]] = MappingProxyType(
    {
        EccaScarType.ICE_PICK: "Ice pick",
        EccaScarType.BOXCAR: "Boxcar",
        EccaScarType.ROLLING: "Rolling",
        EccaScarType.ELASTOLYSIS: "Superficial elastolysis",
        EccaScarType.HYPERTROPHIC_RECENT: "Recent hypertrophic",
        EccaScarType.KELOID_OR_OLD_HYPERTROPHIC: "Keloid / old hypertrophic",
    }
)

ECCA_WEIGHTS: Final[Mapping[EccaScarType, int]] = MappingProxyType(
    {
        EccaScarType.ICE_PICK: 15,
        EccaScarType.BOXCAR: 20,
        EccaScarType.ROLLING: 25,
        EccaScarType.ELASTOLYSIS: 30,
        EccaScarType.HYPERTROPHIC_RECENT: 40,
        EccaScarType.KELOID_OR_OLD_HYPERTROPHIC: 50,
    }
)


def ecca_grade(count: int) -> int:
    """Count grade for one ECCA scar type: 0 none, 1 for 1-4, 2 for 5-20, 3 for more than 20.

    Source: Dreno B et al. Dermatology 2007;214:46-51.
    """
    count = _check_count(count, "Scar")
    if count == 0:
        return 0
    if count < 5:
        return 1
    if count <= 20:
        return 2
    return 3


def ecca_score(counts: Mapping[EccaScarType | str, int]) -> int:
    """ECCA total, the sum of weight x count grade over the six scar types (0-540).

    Scar types absent from ``counts`` count as 0 scars. Keys may be ``EccaScarType`` members or
    their stored string values.

    Source: Dreno B et al. Dermatology 2007;214:46-51.
    """
    total = 0
    for key, count in counts.items():
        scar_type = _parse_key(EccaScarType, key, "ECCA scar type")
        checked = _check_count(count, _ECCA_NAMES[scar_type])
        total += scar_type.weight * ecca_grade(checked)
    return total


# --------------------------------------------------------------------------------------------
# Goodman & Baron quantitative global scarring grading system
# --------------------------------------------------------------------------------------------


class GoodmanBaronSubtype(enum.StrEnum):
    """Counted lesion subtypes of the Goodman & Baron quantitative scale.

    Keloidal/hypertrophic scars are deliberately absent: they are scored by area, see
    ``keloid_area_points``. Source: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
    """

    # Group A, milder (1 point each)
    MACULAR = "macular"
    MILD_DISH_ATROPHIC = "mild_dish_atrophic"
    # Group B, moderate (2 points each)
    MODERATE_DISH_ATROPHIC = "moderate_dish_atrophic"
    PUNCHED_OUT_SHALLOW_SMALL = "punched_out_shallow_small"
    SHALLOW_BROAD_ATROPHIC = "shallow_broad_atrophic"
    # Group C, severe (3 points each)
    PUNCHED_OUT_DEEP_NORMAL_BASE = "punched_out_deep_normal_base"
    PUNCHED_OUT_DEEP_ABNORMAL_BASE = "punched_out_deep_abnormal_base"
    LINEAR_TROUGHED = "linear_troughed"
    DEEP_BROAD_ATROPHIC = "deep_broad_atrophic"
    # Group D, hyperplastic (2 points)
    PAPULAR = "papular"

    @property
    def label(self) -> str:
        return _GB_LABELS[self]

    @property
    def group(self) -> str:
        return _GB_GROUPS[self]

    @property
    def base_points(self) -> int:
        return _GB_GROUP_BASE_POINTS[self.group]


_GB_LABELS: Final[Mapping[GoodmanBaronSubtype, str]] = MappingProxyType(
    {
        GoodmanBaronSubtype.MACULAR: "Macular (erythematous or pigmented)",
        GoodmanBaronSubtype.MILD_DISH_ATROPHIC: "Mildly atrophic, dish-like",
        GoodmanBaronSubtype.MODERATE_DISH_ATROPHIC: "Moderately atrophic, dish-like",
        GoodmanBaronSubtype.PUNCHED_OUT_SHALLOW_SMALL: "Punched out, shallow base, small (< 5 mm)",
        GoodmanBaronSubtype.SHALLOW_BROAD_ATROPHIC: "Shallow but broad atrophic areas",
        GoodmanBaronSubtype.PUNCHED_OUT_DEEP_NORMAL_BASE: "Punched out, deep normal base, small",
        # Ice pick scars are scored in group C; naming them here tells the clinician where to
        # count them (both deep punched-out rows are worth 3, so the total is the same either way).
        GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE: (
            "Punched out, deep abnormal base, small (e.g. ice pick)"
        ),
        GoodmanBaronSubtype.LINEAR_TROUGHED: "Linear or troughed dermal scarring",
        GoodmanBaronSubtype.DEEP_BROAD_ATROPHIC: "Deep, broad atrophic areas",
        GoodmanBaronSubtype.PAPULAR: "Papular",
    }
)

_GB_GROUPS: Final[Mapping[GoodmanBaronSubtype, str]] = MappingProxyType(
    {
        GoodmanBaronSubtype.MACULAR: "A",
        GoodmanBaronSubtype.MILD_DISH_ATROPHIC: "A",
        GoodmanBaronSubtype.MODERATE_DISH_ATROPHIC: "B",
        GoodmanBaronSubtype.PUNCHED_OUT_SHALLOW_SMALL: "B",
        GoodmanBaronSubtype.SHALLOW_BROAD_ATROPHIC: "B",
        GoodmanBaronSubtype.PUNCHED_OUT_DEEP_NORMAL_BASE: "C",
        GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE: "C",
        GoodmanBaronSubtype.LINEAR_TROUGHED: "C",
        GoodmanBaronSubtype.DEEP_BROAD_ATROPHIC: "C",
        GoodmanBaronSubtype.PAPULAR: "D",
    }
)

# Points belong to the group in the paper, not to individual subtypes.
_GB_GROUP_BASE_POINTS: Final[Mapping[str, int]] = MappingProxyType({"A": 1, "B": 2, "C": 3, "D": 2})

_KELOID_AREA_NAME: Final = "Keloidal/hypertrophic scar area"


def goodman_baron_multiplier(count: int) -> int:
    """Count multiplier: 0 for no scars, x1 for 1-10, x2 for 11-20, x3 for more than 20.

    Source: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
    """
    count = _check_count(count, "Scar")
    if count == 0:
        return 0
    if count <= 10:
        return 1
    if count <= 20:
        return 2
    return 3


def keloid_area_points(area_cm2: float | Decimal) -> int:
    """Points for keloidal/hypertrophic scars by total area in cm2.

    0 for no area, 6 for under 5 cm2, 12 for 5-20 cm2 (both ends included), 18 for over 20 cm2.
    Accepts ``Decimal`` because the area is likely to come from a DecimalField.

    Source: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
    """
    if isinstance(area_cm2, bool) or not isinstance(area_cm2, (int, float, Decimal, Fraction)):
        raise ScoringInputError(f"{_KELOID_AREA_NAME} must be a number of cm² (got {area_cm2!r}).")
    # Checked before any comparison: NaN compares False with everything and would score 18 points,
    # and a Decimal NaN raises on comparison instead.
    if not math.isfinite(area_cm2):
        raise ScoringInputError(
            f"{_KELOID_AREA_NAME} must be a finite number of cm² (got {area_cm2})."
        )
    if area_cm2 < 0:
        raise ScoringInputError(f"{_KELOID_AREA_NAME} cannot be negative (got {area_cm2}).")
    if area_cm2 == 0:
        return 0
    if area_cm2 < 5:
        return 6
    if area_cm2 <= 20:
        return 12
    return 18


def goodman_baron_quantitative(
    counts: Mapping[GoodmanBaronSubtype | str, int],
    keloid_area_cm2: float | Decimal = 0,
) -> int:
    """Goodman & Baron quantitative total (0-84).

    Sum over subtypes of base points x count multiplier, plus the keloidal/hypertrophic area
    points. Subtypes absent from ``counts`` count as 0 scars. Keys may be ``GoodmanBaronSubtype``
    members or their stored string values. The paper defines no severity bands for the total, so
    none are offered here.

    Source: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
    """
    total = 0
    for key, count in counts.items():
        subtype = _parse_key(GoodmanBaronSubtype, key, "Goodman & Baron scar subtype")
        checked = _check_count(count, subtype.label)
        total += subtype.base_points * goodman_baron_multiplier(checked)
    return total + keloid_area_points(keloid_area_cm2)


# Counts entered once: where an ECCA scar type is, by definition, one Goodman & Baron subtype,
# the subtype's count is the type's total over the region grid. Only unambiguous pairs are here:
# - Ice pick (V-shaped, narrow, deep; Jacob 2001) is a small punched-out scar with a deep,
#   abnormal base: Goodman & Baron's group C names ice pick scars in that row.
# Deliberately not mapped, because the ECCA type does not decide the subtype:
# - Boxcar (U-shaped, 1.5-4 mm) may be shallow (group B, punched out shallow) or deep (group C,
#   punched out deep with normal base): ECCA does not record depth.
# - Rolling (M-shaped, over 4 mm) may be dish-like (mild A or moderate B) or a broad atrophic
#   area (shallow B or deep C): the grade depends on depth and extent, not on the type.
# - Superficial elastolysis has no Goodman & Baron subtype; hypertrophic and keloid scars are
#   scored by area (keloid_area_points), and papular scars are a different lesion.
GB_SUBTYPE_FROM_ECCA: Final[Mapping[EccaScarType, GoodmanBaronSubtype]] = MappingProxyType(
    {EccaScarType.ICE_PICK: GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE}
)


def gb_counts_from_ecca(
    ecca_counts: Mapping[EccaScarType | str, int],
) -> dict[GoodmanBaronSubtype, int]:
    """Goodman & Baron subtype counts implied by the ECCA counts, for the mapped subtypes only.

    Sources: Jacob CI et al. J Am Acad Dermatol 2001;45:109-17 (scar types); Goodman GJ, Baron JA.
    J Cosmet Dermatol 2006;5:48-52 (ice pick scars in group C).
    """
    implied = dict.fromkeys(GB_SUBTYPE_FROM_ECCA.values(), 0)
    for key, count in ecca_counts.items():
        scar_type = _parse_key(EccaScarType, key, "ECCA scar type")
        checked = _check_count(count, _ECCA_NAMES[scar_type])
        subtype = GB_SUBTYPE_FROM_ECCA.get(scar_type)
        if subtype is not None:
            implied[subtype] += checked
    return implied


# --------------------------------------------------------------------------------------------
# Goodman & Baron qualitative global grade
# --------------------------------------------------------------------------------------------


class GoodmanBaronGrade(enum.IntEnum):
    """Qualitative global acne scarring grade, chosen by the clinician (1-4).

    Source: Goodman GJ, Baron JA. Dermatol Surg 2006.
    """

    MACULAR = 1
    MILD = 2
    MODERATE = 3
    SEVERE = 4

    @property
    def label(self) -> str:
        return f"Grade {self.value}: {self.name.lower()}"

    @property
    def description(self) -> str:
        return _GB_GRADE_DESCRIPTIONS[self]


_GB_GRADE_DESCRIPTIONS: Final[Mapping[GoodmanBaronGrade, str]] = MappingProxyType(
    {
        GoodmanBaronGrade.MACULAR: (
            "Flat red, brown or pale marks: a problem of colour, not of skin contour."
        ),
        GoodmanBaronGrade.MILD: (
            "Mild atrophy or hypertrophy that is not obvious from 50 cm or more away and can be "
            "hidden by make-up or beard shadow."
        ),
        GoodmanBaronGrade.MODERATE: (
            "Scarring obvious from 50 cm or more away and not easily hidden by make-up or beard "
            "shadow; atrophic scars flatten out when the skin is stretched."
        ),
        GoodmanBaronGrade.SEVERE: (
            "Scarring obvious from 50 cm or more away and not hidden by make-up or beard shadow; "
            "scars do not flatten when the skin is stretched (e.g. deep boxcar, ice pick, "
            "bridges, keloid)."
        ),
    }
)
