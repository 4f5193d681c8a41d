"""Acne scar severity and patient-reported impact scores.

Pure functions, standard library only, so the clinical arithmetic can be unit-tested without
Django or a database. Models store the raw inputs (counts, area, answers) together with the
``*_VERSION`` string of the scale used, and compute totals with these functions, so a total can
always be re-derived and audited.

Sources:
- ECCA: Dreno B et al. Dermatology 2007;214:46-51.
- Goodman & Baron quantitative: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
- Goodman & Baron qualitative: Goodman GJ, Baron JA. Dermatol Surg 2006.
- CADI: Motley RJ, Finlay AY. Clin Exp Dermatol 1992.
- DLQI: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6; scoring and missing answers from
  the Cardiff University DLQI instructions for use and scoring (www.dermatology.org.uk).
- DLQI bands: Hongbo Y, Thomas CL, Harrison MA, Salek MS, Finlay AY. J Invest Dermatol
  2005;125:659-64.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, TypeVar

__all__ = [
    "CADI_COPYRIGHT",
    "CADI_ITEM_TOPICS",
    "CADI_MAX",
    "CADI_VERSION",
    "DLQI_BANDS_SOURCE",
    "DLQI_COPYRIGHT",
    "DLQI_ITEM_TOPICS",
    "DLQI_MAX",
    "DLQI_MEANINGFUL_CHANGE",
    "DLQI_NOT_RELEVANT_ITEMS",
    "DLQI_VERSION",
    "DLQI_WORK_ITEM",
    "ECCA_MAX",
    "ECCA_VERSION",
    "ECCA_WEIGHTS",
    "GB_SUBTYPE_FROM_ECCA",
    "GOODMAN_BARON_GRADE_VERSION",
    "GOODMAN_BARON_MAX",
    "GOODMAN_BARON_VERSION",
    "DlqiAnswer",
    "DlqiBand",
    "DlqiResult",
    "DlqiWorkAnswer",
    "DlqiWorkProblem",
    "EccaScarType",
    "GoodmanBaronGrade",
    "GoodmanBaronSubtype",
    "ScoringInputError",
    "cadi_score",
    "dlqi_band",
    "dlqi_from_answers",
    "dlqi_item_score",
    "dlqi_score",
    "dlqi_unanswered",
    "dlqi_work_item_score",
    "ecca_grade",
    "ecca_score",
    "gb_counts_from_ecca",
    "goodman_baron_multiplier",
    "goodman_baron_quantitative",
    "keloid_area_points",
]

# Stored next to every saved score: if a scale is ever revised, old records stay interpretable.
ECCA_VERSION: Final = "ECCA (Dreno 2007)"
GOODMAN_BARON_VERSION: Final = "Goodman & Baron quantitative (2006)"
GOODMAN_BARON_GRADE_VERSION: Final = "Goodman & Baron qualitative (2006)"
CADI_VERSION: Final = "CADI (Motley & Finlay 1992)"
DLQI_VERSION: Final = "DLQI (Finlay & Khan 1994)"

ECCA_MAX: Final = 540
GOODMAN_BARON_MAX: Final = 84
CADI_MAX: Final = 15
DLQI_MAX: Final = 30

_E = TypeVar("_E", bound=enum.StrEnum)


class ScoringInputError(ValueError):
    """Input a clinician could have typed wrongly; the message is meant to be shown to them.

    One exception for wrong types and wrong values alike, so a form can catch a single class and
    display the message next to the field.
    """


def _check_count(count: object, what: str) -> int:
    # bool is a subclass of int, so it must be excluded explicitly: True would silently count as 1.
    if isinstance(count, bool) or not isinstance(count, int):
        raise ScoringInputError(f"{what} count must be a whole number (got {count!r}).")
    if count < 0:
        raise ScoringInputError(f"{what} count cannot be negative (got {count}).")
    return count


def _parse_key(enum_cls: type[_E], key: object, kind: str) -> _E:
    if isinstance(key, enum_cls):
        return key
    if isinstance(key, str):
        try:
            return enum_cls(key)
        except ValueError:
            pass
    # str(key) keeps a member of another scale's enum readable instead of showing its repr.
    shown = repr(str(key)) if isinstance(key, str) else repr(key)
    raise ScoringInputError(f"Unknown {kind} {shown}.")


def _check_answers(answers: Sequence[int], expected: int, scale: str) -> list[int]:
    # A str is a Sequence too; "01230" must not pass as five answers.
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise ScoringInputError(
            f"{scale} answers must be a list of {expected} numbers from 0 to 3."
        )
    if len(answers) != expected:
        raise ScoringInputError(f"{scale} needs {expected} answers, got {len(answers)}.")
    checked: list[int] = []
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ScoringInputError(
                f"{scale} answer {number} must be a whole number from 0 to 3 (got {answer!r})."
            )
        if not 0 <= answer <= 3:
            raise ScoringInputError(
                f"{scale} answer {number} must be between 0 and 3 (got {answer})."
            )
        checked.append(answer)
    return checked


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


# --------------------------------------------------------------------------------------------
# Patient-reported impact: CADI and DLQI
# --------------------------------------------------------------------------------------------

# The question wording belongs to Cardiff University; without a recorded licence the form shows
# only these topics (our wording) and the clinician enters the patient's answer.
CADI_ITEM_TOPICS: Final[tuple[str, ...]] = (
    "Feelings (aggression, frustration, embarrassment)",
    "Social life and relationships",
    "Avoiding public changing facilities / swimwear",
    "Feelings about the appearance of the skin",
    "How bad the acne is now",
)
CADI_COPYRIGHT: Final = "© Cardiff Acne Disability Index, Motley RJ, Finlay AY 1992."

DLQI_ITEM_TOPICS: Final[tuple[str, ...]] = (
    "Symptoms (itch, soreness, pain, stinging)",
    "Embarrassment or self-consciousness",
    "Shopping, home and garden",
    "Choice of clothes",
    "Social and leisure activities",
    "Sport",
    "Work or study",
    "Relationships with partner, friends or relatives",
    "Sexual difficulties",
    "Treatment burden (mess, time taken)",
)
# The statement Cardiff requires at the end of every copy of the questionnaire, in full.
DLQI_COPYRIGHT: Final = (
    "© Dermatology Life Quality Index. A Y Finlay, G K Khan, April 1992 www.dermatology.org.uk, "
    "this must not be copied without the permission of the authors."
)
DLQI_BANDS_SOURCE: Final = (
    "Hongbo Y, Thomas CL, Harrison MA, Salek MS, Finlay AY. J Invest Dermatol 2005;125:659-64"
)

# Smallest change in DLQI total that patients notice; used to flag a real change between visits.
DLQI_MEANINGFUL_CHANGE: Final = 4


def cadi_score(answers: Sequence[int]) -> int:
    """Cardiff Acne Disability Index total (0-15) from five answers scored 0-3.

    Higher is worse. There are no official bands: display the number only.

    Source: Motley RJ, Finlay AY. Clin Exp Dermatol 1992.
    """
    return sum(_check_answers(answers, len(CADI_ITEM_TOPICS), "CADI"))


class DlqiBand(enum.StrEnum):
    """Effect of the skin disease on the patient's life, banded from the DLQI total.

    Source of the bands: Hongbo Y et al. What do Dermatology Life Quality Index scores mean?
    J Invest Dermatol 2005;125:659-64 (the questionnaire itself: Finlay & Khan 1994).
    """

    NO_EFFECT = "no_effect"
    SMALL_EFFECT = "small_effect"
    MODERATE_EFFECT = "moderate_effect"
    VERY_LARGE_EFFECT = "very_large_effect"
    EXTREMELY_LARGE_EFFECT = "extremely_large_effect"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Upper bound (inclusive) of each band, in ascending order.
_DLQI_BAND_UPPER_BOUNDS: Final[tuple[tuple[int, DlqiBand], ...]] = (
    (1, DlqiBand.NO_EFFECT),
    (5, DlqiBand.SMALL_EFFECT),
    (10, DlqiBand.MODERATE_EFFECT),
    (20, DlqiBand.VERY_LARGE_EFFECT),
    (30, DlqiBand.EXTREMELY_LARGE_EFFECT),
)


@dataclass(frozen=True, slots=True)
class DlqiResult:
    """A DLQI total (0-30) with its band."""

    total: int
    band: DlqiBand


def dlqi_band(total: int) -> DlqiBand:
    """Band for a DLQI total: 0-1 no, 2-5 small, 6-10 moderate, 11-20 very large, 21-30
    extremely large effect on the patient's life.

    Source: Hongbo Y et al. J Invest Dermatol 2005;125:659-64.
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise ScoringInputError(f"DLQI total must be a whole number from 0 to 30 (got {total!r}).")
    if not 0 <= total <= DLQI_MAX:
        raise ScoringInputError(f"DLQI total must be between 0 and {DLQI_MAX} (got {total}).")
    for upper, band in _DLQI_BAND_UPPER_BOUNDS:
        if total <= upper:
            return band
    raise AssertionError("unreachable: the last band ends at DLQI_MAX")  # pragma: no cover


def dlqi_score(answers: Sequence[int]) -> DlqiResult:
    """Dermatology Life Quality Index total (0-30) and band from ten item scores 0-3.

    Higher is worse. For the answers as the patient gives them ("not relevant", item 7's two
    parts, unanswered items) use ``dlqi_from_answers``, which scores each item and then this.

    Source: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6.
    """
    total = sum(_check_answers(answers, len(DLQI_ITEM_TOPICS), "DLQI"))
    return DlqiResult(total=total, band=dlqi_band(total))


# DLQI answers as the questionnaire asks them. Scoring: Finlay & Khan 1994 and the Cardiff
# instructions for use and scoring: very much 3, a lot 2, a little 1, not at all 0, not relevant 0.

DLQI_WORK_ITEM: Final = 7
# Items 1 (symptoms) and 2 (embarrassment) apply to everyone; items 3-10 offer "not relevant"
# (item 7 on its yes/no part).
DLQI_NOT_RELEVANT_ITEMS: Final[frozenset[int]] = frozenset(range(3, 11))


class DlqiAnswer(enum.StrEnum):
    """An answer to DLQI items 1-6 and 8-10."""

    VERY_MUCH = "very_much"
    A_LOT = "a_lot"
    A_LITTLE = "a_little"
    NOT_AT_ALL = "not_at_all"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def score(self) -> int:
        return _DLQI_ANSWER_SCORES[self]


_DLQI_ANSWER_SCORES: Final[Mapping[DlqiAnswer, int]] = MappingProxyType(
    {
        DlqiAnswer.VERY_MUCH: 3,
        DlqiAnswer.A_LOT: 2,
        DlqiAnswer.A_LITTLE: 1,
        DlqiAnswer.NOT_AT_ALL: 0,
        DlqiAnswer.NOT_RELEVANT: 0,
    }
)


class DlqiWorkAnswer(enum.StrEnum):
    """Item 7, first part: has the skin prevented the patient from working or studying?"""

    YES = "yes"
    NO = "no"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class DlqiWorkProblem(enum.StrEnum):
    """Item 7, second part (asked after "no"): how much of a problem at work or study?"""

    A_LOT = "a_lot"
    A_LITTLE = "a_little"
    NOT_AT_ALL = "not_at_all"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def score(self) -> int:
        return _DLQI_WORK_PROBLEM_SCORES[self]


_DLQI_WORK_PROBLEM_SCORES: Final[Mapping[DlqiWorkProblem, int]] = MappingProxyType(
    {DlqiWorkProblem.A_LOT: 2, DlqiWorkProblem.A_LITTLE: 1, DlqiWorkProblem.NOT_AT_ALL: 0}
)


def _blank(value: object) -> bool:
    return value is None or value == ""


def dlqi_item_score(item: int, answer: DlqiAnswer | str | None) -> int | None:
    """Score 0-3 of one DLQI item other than item 7; None when the item was not answered.

    "Not relevant" scores 0 and exists only for items 3-10.

    Source: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6; Cardiff DLQI scoring
    instructions.
    """
    if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 10:
        raise ScoringInputError(f"DLQI item must be a number from 1 to 10 (got {item!r}).")
    if item == DLQI_WORK_ITEM:
        raise ScoringInputError("DLQI item 7 has two parts: score it with dlqi_work_item_score.")
    if _blank(answer):
        return None
    parsed = _parse_key(DlqiAnswer, answer, f"DLQI answer to item {item}:")
    if parsed is DlqiAnswer.NOT_RELEVANT and item not in DLQI_NOT_RELEVANT_ITEMS:
        raise ScoringInputError(f"DLQI item {item} has no 'not relevant' answer.")
    return parsed.score


def dlqi_work_item_score(
    prevented: DlqiWorkAnswer | str | None, problem: DlqiWorkProblem | str | None = None
) -> int | None:
    """Score of DLQI item 7 (work or study) from its two parts; None when neither is answered.

    - "Yes, prevented from working or studying" scores 3, whatever the second part says (when
      more than one box is ticked the highest-scoring one counts).
    - Otherwise the second part decides: a lot 2, a little 1, not at all 0. Cardiff's
      instructions score the second part even after "not relevant", and "no" with the second
      part left blank scores 0.
    - "Not relevant" alone scores 0.

    Source: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6; Cardiff DLQI scoring
    instructions.
    """
    first = None if _blank(prevented) else _parse_key(DlqiWorkAnswer, prevented, "DLQI item 7")
    second = None if _blank(problem) else _parse_key(DlqiWorkProblem, problem, "DLQI item 7 answer")
    if first is DlqiWorkAnswer.YES:
        return 3
    if second is not None:
        return second.score
    if first is None:
        return None
    return 0


def _dlqi_item_scores(
    answers: Sequence[DlqiAnswer | DlqiWorkAnswer | str | None],
    work_problem: DlqiWorkProblem | str | None,
) -> list[int | None]:
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise ScoringInputError("DLQI answers must be a list of 10 answers.")
    if len(answers) != len(DLQI_ITEM_TOPICS):
        raise ScoringInputError(f"DLQI needs 10 answers, got {len(answers)}.")
    return [
        dlqi_work_item_score(answer, work_problem)
        if item == DLQI_WORK_ITEM
        else dlqi_item_score(item, answer)
        for item, answer in enumerate(answers, start=1)
    ]


def dlqi_unanswered(
    answers: Sequence[DlqiAnswer | DlqiWorkAnswer | str | None],
    work_problem: DlqiWorkProblem | str | None = None,
) -> list[int]:
    """Numbers of the DLQI items left unanswered (None or "")."""
    scores = _dlqi_item_scores(answers, work_problem)
    return [item for item, score in enumerate(scores, start=1) if score is None]


def dlqi_from_answers(
    answers: Sequence[DlqiAnswer | DlqiWorkAnswer | str | None],
    work_problem: DlqiWorkProblem | str | None = None,
) -> DlqiResult | None:
    """DLQI total and band from the ten answers as given, or None when it cannot be scored.

    ``answers`` holds one answer per item in order, item 7's being its yes/no/not relevant part;
    ``work_problem`` is item 7's second part. Missing answers (None or ""), per the Cardiff
    instructions: one unanswered item scores 0 and the total is out of 30 as usual; with two or
    more unanswered the questionnaire is not scored (None), and so it is when nothing was answered.

    Source: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6; Cardiff DLQI instructions for
    use and scoring.
    """
    scores = _dlqi_item_scores(answers, work_problem)
    if sum(score is None for score in scores) >= 2:
        return None
    return dlqi_score([0 if score is None else score for score in scores])
