"""Which treatment moved the scores: response per modality for one patient, and the summary
statistics of the clinic's outcomes report. Plain data in, plain data out: no Django.

Every scale here is "higher is worse" (ECCA, Goodman & Baron quantitative, ice pick count, CADI,
DLQI), so a negative change is an improvement.
"""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A response is read at least this long after the modality's last session: earlier, swelling
# and healing hide the result (clinic convention; resurfacing is judged at 4 weeks or later).
FOLLOW_UP_DAYS = 28

SCORES: tuple[tuple[str, str], ...] = (
    ("ecca", "ECCA"),
    ("gb", "Goodman & Baron quantitative"),
    ("ice_pick", "Ice pick scars"),
    ("cadi", "CADI"),
    ("dlqi", "DLQI"),
)


@dataclass(frozen=True)
class ScoreSnapshot:
    """The scores of one counting assessment (None where not recorded)."""

    day: dt.date
    ecca: int | None = None
    gb: int | None = None
    ice_pick: int | None = None
    cadi: int | None = None
    dlqi: int | None = None

    def score(self, key: str) -> int | None:
        return getattr(self, key)


@dataclass(frozen=True)
class SessionFact:
    """A treatment session as the outcome rules see it: its day and its modalities."""

    day: dt.date
    modalities: tuple[str, ...]


@dataclass(frozen=True)
class ScoreChange:
    key: str
    label: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        """Change as a percentage of the value before; None when that was 0 or missing."""
        if self.delta is None or not self.before:
            return None
        return round(100 * self.delta / self.before, 1)


@dataclass(frozen=True)
class ModalityResponse:
    modality: str
    sessions: int
    first_day: dt.date
    last_day: dt.date
    before: ScoreSnapshot | None
    after: ScoreSnapshot | None
    changes: tuple[ScoreChange, ...]

    @property
    def follow_up_from(self) -> dt.date:
        """The first day an assessment counts as this modality's result."""
        return self.last_day + dt.timedelta(days=FOLLOW_UP_DAYS)


def response_per_modality(
    snapshots: Sequence[ScoreSnapshot],
    sessions: Iterable[SessionFact],
    *,
    follow_up_days: int = FOLLOW_UP_DAYS,
) -> list[ModalityResponse]:
    """For each modality the patient received: the scores before its first session and at the
    latest assessment at least `follow_up_days` after its last session, with the change.

    "Before" is the latest assessment on or before the day of the first session (scars are
    assessed before they are treated on the same visit). "After" is the latest assessment on or
    after the last session day plus `follow_up_days`; None while there is none yet. Modalities
    come in the order they were first used. Other modalities given in between are not separated
    out: the change is what happened to the patient over that modality's course.
    """
    ordered = sorted(snapshots, key=lambda s: s.day)
    spans: dict[str, list[dt.date]] = {}
    for session in sorted(sessions, key=lambda s: s.day):
        for modality in dict.fromkeys(session.modalities):
            spans.setdefault(modality, []).append(session.day)
    results = []
    for modality, days in spans.items():
        first, last = days[0], days[-1]
        before = next((s for s in reversed(ordered) if s.day <= first), None)
        after_from = last + dt.timedelta(days=follow_up_days)
        after = next((s for s in reversed(ordered) if s.day >= after_from), None)
        changes = tuple(
            ScoreChange(
                key,
                label,
                before.score(key) if before else None,
                after.score(key) if after else None,
            )
            for key, label in SCORES
        )
        results.append(ModalityResponse(modality, len(days), first, last, before, after, changes))
    return results


# ----------------------------------------------------------------------------------------------
# Summary statistics for the clinic report
# ----------------------------------------------------------------------------------------------

# A figure from fewer patients than this is marked: too few to read as a clinic result.
SMALL_N = 10


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between closest ranks (Hyndman & Fan type 7, the
    default of R, NumPy and PostgreSQL's percentile_cont). `sorted_values` must be sorted and
    non-empty."""
    if not sorted_values:
        raise ValueError("quantile of no values")
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


@dataclass(frozen=True)
class Summary:
    """Median and interquartile range of a set of changes, with n."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def small(self) -> bool:
        return self.n < SMALL_N


def summarise(values: Iterable[float]) -> Summary:
    """Median and quartiles (type 7 interpolation) of the values; None figures when empty."""
    ordered = sorted(values)
    if not ordered:
        return Summary(0, None, None, None)
    return Summary(
        len(ordered), quantile(ordered, 0.5), quantile(ordered, 0.25), quantile(ordered, 0.75)
    )


@dataclass(frozen=True)
class Share:
    count: int
    n: int

    @property
    def percent(self) -> float | None:
        return None if self.n == 0 else round(100 * self.count / self.n, 1)

    @property
    def small(self) -> bool:
        return self.n < SMALL_N


def responders(pairs: Iterable[tuple[int, int]], *, threshold: float = 0.5) -> Share:
    """Patients whose score fell by at least `threshold` (50 %) of its baseline, among those with
    a baseline above 0 (no percentage of nothing): pairs are (baseline, follow-up)."""
    eligible = [(b, f) for b, f in pairs if b > 0]
    count = sum(1 for b, f in eligible if (b - f) >= threshold * b)
    return Share(count, len(eligible))


def rate_per_100(events: int, sessions: int) -> float | None:
    """Adverse events per 100 sessions, one decimal; None with no sessions."""
    return None if sessions == 0 else round(100 * events / sessions, 1)


def nearest_in_window(
    days: Sequence[dt.date], target: dt.date, *, window_days: int
) -> dt.date | None:
    """The day closest to `target` within +/- `window_days`; on a tie the earlier one."""
    best = None
    for day in days:
        distance = abs((day - target).days)
        if distance <= window_days and (
            best is None or (distance, day) < (abs((best - target).days), best)
        ):
            best = day
    return best
