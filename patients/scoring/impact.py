"""Patient-reported impact: CADI and DLQI."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from patients.scoring.inputs import DLQI_MAX, ScoringInputError, _check_answers, _parse_key

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
