"""Change from the baseline assessment: the numbers a clinician reads to judge improvement."""

from collections.abc import Sequence
from dataclasses import dataclass


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


def progress_rows(assessments: Sequence) -> list[ProgressRow]:
    """One row per assessment in date order; the first is the baseline. CADI and DLQI are
    compared with the first assessment that recorded them."""
    if not assessments:
        return []
    baseline = assessments[0]
    cadi_base = next((a for a in assessments if a.cadi_score is not None), None)
    dlqi_base = next((a for a in assessments if a.dlqi_score is not None), None)

    def versus(base, a, score: str) -> Change | None:
        if base is None or a is base:
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
        )
        for a in assessments
    ]
