"""Change from the baseline assessment: the numbers a clinician reads to judge improvement."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol, TypeVar


@dataclass(frozen=True)
class Change:
    delta: int
    percent: float | None  # None when the baseline is 0: no percentage of nothing

    @property
    def improved(self) -> bool:
        # Every scale here is "higher is worse".
        return self.delta < 0


def change_from(baseline: int | None, value: int | None) -> Change | None:
    if baseline is None or value is None:
        return None
    delta = value - baseline
    percent = None if baseline == 0 else round(100 * delta / baseline, 1)
    return Change(delta, percent)


@dataclass(frozen=True)
class ProgressRow:
    assessment: object
    is_baseline: bool
    ecca: Change | None
    gb_quantitative: Change | None
    cadi: Change | None
    dlqi: Change | None
    is_superseded: bool = False


class ScoredAssessment(Protocol):
    """What the rows read: ScarAssessment, or any object with its four scores."""

    @property
    def ecca_score(self) -> int: ...
    @property
    def gb_quantitative_score(self) -> int: ...
    @property
    def cadi_score(self) -> int | None: ...
    @property
    def dlqi_score(self) -> int | None: ...


def is_superseded(assessment: object) -> bool:
    """Set by ScarAssessment.objects.with_superseded() or mark_superseded(); False for objects
    without it."""
    return bool(getattr(assessment, "is_superseded", False))


class DatedAssessment(Protocol):
    @property
    def assessed_on(self) -> dt.date: ...


Dated = TypeVar("Dated", bound=DatedAssessment)


def mark_superseded(assessments: list[Dated]) -> list[Dated]:
    """Sets `is_superseded` on a patient's current assessments given by date and, within a day,
    in the order they were recorded: every one but the last of its day is superseded, the rule
    `ScarAssessment.objects.with_superseded()` applies in SQL (here without a subquery per
    row, for the chart, which reads all of them anyway)."""
    for earlier, later in pairwise(assessments):
        earlier.is_superseded = earlier.assessed_on == later.assessed_on  # type: ignore[attr-defined]
    if assessments:
        assessments[-1].is_superseded = False  # type: ignore[attr-defined]
    return assessments


def progress_rows(assessments: Sequence[ScoredAssessment]) -> list[ProgressRow]:
    """One row per assessment in date order; the first that counts is the baseline. CADI and
    DLQI are compared with the first counting assessment that recorded them.

    A superseded assessment (another was recorded later on the same day) keeps its row, marked,
    but is neither a baseline nor compared: only the last assessment of a day counts."""
    counting = [a for a in assessments if not is_superseded(a)]
    if not assessments:
        return []
    baseline = counting[0] if counting else None
    cadi_base = next((a for a in counting if a.cadi_score is not None), None)
    dlqi_base = next((a for a in counting if a.dlqi_score is not None), None)

    def versus(base: ScoredAssessment | None, a: ScoredAssessment, score: str) -> Change | None:
        if base is None or a is base or is_superseded(a):
            return None
        return change_from(getattr(base, score), getattr(a, score))

    return [
        ProgressRow(
            assessment=a,
            is_baseline=a is baseline,
            ecca=versus(baseline, a, "ecca_score"),
            gb_quantitative=versus(baseline, a, "gb_quantitative_score"),
            cadi=versus(cadi_base, a, "cadi_score"),
            dlqi=versus(dlqi_base, a, "dlqi_score"),
            is_superseded=is_superseded(a),
        )
        for a in assessments
    ]
