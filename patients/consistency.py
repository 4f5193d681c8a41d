"""Assessments that contradict themselves: warnings the dermatologist acknowledges, never refusals.

Pure functions, standard library and ``patients.scoring`` only. Each rule is a small function of
the assessment as entered (``AssessmentFacts``) returning zero or more warnings; a new rule is a
new function in ``RULES`` plus its table test. The service decides what an unacknowledged warning
means (nothing is saved until each one is ticked).

Sources:
- Goodman & Baron qualitative grade: Goodman GJ, Baron JA. Dermatol Surg 2006 (grade 1 macular is
  a colour problem without contour change; grade 4 is severe, visible scarring).
- Goodman & Baron quantitative (keloidal/hypertrophic area): J Cosmet Dermatol 2006;5:48-52.
- ECCA scar types: Dreno B et al. Dermatology 2007;214:46-51.
- DLQI missing answers: Cardiff University DLQI instructions for use and scoring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from patients.scoring import EccaScarType, GoodmanBaronGrade, GoodmanBaronSubtype

__all__ = [
    "ATROPHIC_ECCA_TYPES",
    "ATROPHIC_GB_SUBTYPES",
    "RULES",
    "AssessmentFacts",
    "AssessmentWarning",
    "SameDayAssessment",
    "assessment_warnings",
    "dlqi_unanswered_items",
    "keloid_area_without_keloid_count",
    "macular_grade_with_atrophic_scars",
    "second_assessment_same_day",
    "severe_grade_without_scars",
]

# Depressed (atrophic) scars: contour, not colour, so they contradict grade 1 (macular).
ATROPHIC_ECCA_TYPES: Final = frozenset(
    {EccaScarType.ICE_PICK, EccaScarType.BOXCAR, EccaScarType.ROLLING}
)
# Every Goodman & Baron counted subtype except the flat marks (macular, group A) and the raised
# papular scars (group D).
ATROPHIC_GB_SUBTYPES: Final = frozenset(
    set(GoodmanBaronSubtype) - {GoodmanBaronSubtype.MACULAR, GoodmanBaronSubtype.PAPULAR}
)
# The ECCA types a Goodman & Baron keloidal/hypertrophic area can belong to.
RAISED_ECCA_TYPES: Final = frozenset(
    {EccaScarType.HYPERTROPHIC_RECENT, EccaScarType.KELOID_OR_OLD_HYPERTROPHIC}
)


@dataclass(frozen=True, slots=True)
class AssessmentWarning:
    """A contradiction to check. ``code`` is stable (it is stored when acknowledged)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class SameDayAssessment:
    """Another current assessment of the same patient on the same date."""

    recorded_at: dt.datetime
    assessor: str


@dataclass(frozen=True)
class AssessmentFacts:
    """An assessment as entered on the form (or as stored), before it is saved."""

    gb_grade: int | None
    ecca_counts: Mapping[EccaScarType, int]
    gb_counts: Mapping[GoodmanBaronSubtype, int]
    keloid_area_cm2: Decimal | float = 0
    assessed_on: dt.date | None = None
    same_day: Sequence[SameDayAssessment] = ()
    dlqi_unanswered: Sequence[int] = ()
    dlqi_answered: bool = False


def _atrophic_total(facts: AssessmentFacts) -> tuple[int, int]:
    ecca = sum(facts.ecca_counts.get(t, 0) for t in ATROPHIC_ECCA_TYPES)
    gb = sum(facts.gb_counts.get(s, 0) for s in ATROPHIC_GB_SUBTYPES)
    return ecca, gb


def macular_grade_with_atrophic_scars(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """Grade 1 (macular: flat marks, no contour change) with atrophic scars counted."""
    if facts.gb_grade != GoodmanBaronGrade.MACULAR:
        return []
    ecca, gb = _atrophic_total(facts)
    if ecca == 0 and gb == 0:
        return []
    counted = []
    if ecca:
        counted.append(f"{ecca} ice pick, boxcar or rolling in the region grid")
    if gb:
        counted.append(f"{gb} in the Goodman & Baron atrophic subtypes")
    return [
        AssessmentWarning(
            "grade_macular_with_atrophic_scars",
            "Goodman & Baron grade 1 (macular) means flat marks without contour change, but "
            f"atrophic scars are counted ({'; '.join(counted)}). Check the grade or the counts.",
        )
    ]


def severe_grade_without_scars(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """Grade 4 (severe) with no scar counted anywhere and no keloidal/hypertrophic area."""
    if facts.gb_grade != GoodmanBaronGrade.SEVERE:
        return []
    if any(facts.ecca_counts.values()) or any(facts.gb_counts.values()):
        return []
    if facts.keloid_area_cm2 and facts.keloid_area_cm2 > 0:
        return []
    return [
        AssessmentWarning(
            "grade_severe_without_scars",
            "Goodman & Baron grade 4 (severe) is chosen, but no scars are counted in the region "
            "grid or the Goodman & Baron subtypes. Check the grade or enter the counts.",
        )
    ]


def keloid_area_without_keloid_count(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """A keloidal/hypertrophic area with no keloid or hypertrophic scar in the region grid."""
    area = facts.keloid_area_cm2 or 0
    if area <= 0:
        return []
    if any(facts.ecca_counts.get(t, 0) for t in RAISED_ECCA_TYPES):
        return []
    return [
        AssessmentWarning(
            "keloid_area_without_keloid_count",
            f"A keloidal / hypertrophic area of {area} cm² is entered, but no keloid or "
            "hypertrophic scar is counted in the region grid. Check the area or the counts.",
        )
    ]


def second_assessment_same_day(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """Another current assessment of the patient on the same date: only one counts."""
    if not facts.same_day or facts.assessed_on is None:
        return []
    others = "; ".join(
        f"recorded {other.recorded_at:%d %b %Y %H:%M} by {other.assessor}"
        for other in facts.same_day
    )
    return [
        AssessmentWarning(
            "second_assessment_same_day",
            f"This patient already has an assessment on {facts.assessed_on:%d %b %Y} ({others}). "
            "The chart and trend use the one recorded last that day and show the others as "
            "superseded. To correct the earlier one, amend it instead.",
        )
    ]


def dlqi_unanswered_items(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """DLQI partly answered: one missing item scores 0; two or more and it is not scored."""
    if not facts.dlqi_answered or not facts.dlqi_unanswered:
        return []
    items = ", ".join(str(item) for item in facts.dlqi_unanswered)
    if len(facts.dlqi_unanswered) == 1:
        return [
            AssessmentWarning(
                "dlqi_one_unanswered",
                f"DLQI item {items} is unanswered: it scores 0 (Cardiff scoring instructions).",
            )
        ]
    return [
        AssessmentWarning(
            "dlqi_not_scored",
            f"DLQI items {items} are unanswered: with two or more missing the DLQI is not "
            "scored (Cardiff scoring instructions). The answers given are kept.",
        )
    ]


RULES: Final[tuple[Callable[[AssessmentFacts], list[AssessmentWarning]], ...]] = (
    macular_grade_with_atrophic_scars,
    severe_grade_without_scars,
    keloid_area_without_keloid_count,
    second_assessment_same_day,
    dlqi_unanswered_items,
)


def assessment_warnings(facts: AssessmentFacts) -> list[AssessmentWarning]:
    """Every warning to acknowledge before this assessment is saved, in a fixed order."""
    return [warning for rule in RULES for warning in rule(facts)]
