"""Which treatment moved the scores: response per modality for one patient, and the summary
statistics of the clinic's outcomes report. Plain data in, plain data out: no Django.

Every scale here is "higher is worse" (ECCA, Goodman & Baron quantitative, ice pick count, CADI,
DLQI), so a negative change is an improvement.
"""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

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
        value: int | None = getattr(self, key)
        return value


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


# ----------------------------------------------------------------------------------------------
# The clinic outcomes report: one row per group (modality or combination) and skin-type band
# ----------------------------------------------------------------------------------------------

# Follow-up points after the first session of the group, and the window around each in which the
# nearest counting assessment is taken (+/- 6 weeks: visits are booked around, not on, the day).
FOLLOW_UPS: tuple[tuple[str, int], ...] = (("3 months", 91), ("6 months", 182))
FOLLOW_UP_WINDOW_DAYS = 42
# The baseline is the latest counting assessment on or before the first session, no older than
# this: an assessment from years before says little about the scars on the day.
BASELINE_LOOKBACK_DAYS = 180

BAND_ALL, BAND_LIGHT, BAND_DARK = "all", "I-III", "IV-VI"
BANDS = (BAND_ALL, BAND_LIGHT, BAND_DARK)


def skin_band(fitzpatrick_type: int | None) -> str:
    """Fitzpatrick I-III or IV-VI (the split used for PIH risk); "" when not recorded."""
    if fitzpatrick_type is None:
        return ""
    return BAND_LIGHT if fitzpatrick_type <= 3 else BAND_DARK


@dataclass(frozen=True)
class ReportSession:
    """One session as the report reads it."""

    session_id: int
    patient_id: int
    day: dt.date
    fitzpatrick_type: int | None
    modalities: frozenset[str]
    adverse_events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    day: dt.date
    ecca: int | None
    gb: int | None


@dataclass(frozen=True)
class FollowUp:
    label: str
    ecca: Summary
    gb: Summary
    ecca_responders: Share


@dataclass(frozen=True)
class GroupRow:
    group: str  # a modality value, or modality values joined by "+"
    band: str
    patients: int
    sessions: int
    follow_ups: tuple[FollowUp, ...]
    adverse_events: tuple[tuple[str, int, float | None], ...]  # (type, count, per 100 sessions)

    @property
    def sessions_per_patient(self) -> float | None:
        return None if self.patients == 0 else round(self.sessions / self.patients, 1)

    @property
    def small(self) -> bool:
        return self.patients < SMALL_N


def baseline_of(assessments: Sequence[Assessment], first_day: dt.date) -> Assessment | None:
    """The latest assessment on or before `first_day`, within BASELINE_LOOKBACK_DAYS."""
    earliest = first_day - dt.timedelta(days=BASELINE_LOOKBACK_DAYS)
    best = None
    for a in assessments:
        if earliest <= a.day <= first_day and (best is None or a.day >= best.day):
            best = a
    return best


def follow_up_of(
    assessments: Sequence[Assessment], first_day: dt.date, after_days: int
) -> Assessment | None:
    """The assessment nearest to `after_days` after the first session, within the window; never
    the baseline day itself."""
    target = first_day + dt.timedelta(days=after_days)
    best, best_key = None, None
    for a in assessments:
        if a.day <= first_day:
            continue
        key = (abs((a.day - target).days), a.day)  # nearest; on a tie the earlier
        if key[0] <= FOLLOW_UP_WINDOW_DAYS and (best_key is None or key < best_key):
            best, best_key = a, key
    return best


class Course(NamedTuple):
    """One patient's course of one group: what the report's figures are made of (a named tuple:
    the report makes one per patient and group, hundreds of thousands at scale)."""

    band: str
    sessions: int
    adverse_events: tuple[str, ...]
    # Per follow-up point: (ECCA change, G&B change, (ECCA baseline, ECCA follow-up)), None
    # where there is no pair of assessments.
    changes: tuple[tuple[int | None, int | None, tuple[int, int] | None], ...]


def course_of(sessions: Sequence[ReportSession], history: Sequence[Assessment]) -> Course:
    """A patient's sessions of one group: the first is the start; changes are follow-up minus
    baseline (negative is better); the band is the skin type at the first session."""
    first = sessions[0]
    for s in sessions:
        if s.day < first.day:
            first = s
    changes: list[tuple[int | None, int | None, tuple[int, int] | None]] = []
    base = baseline_of(history, first.day)
    for _, days in FOLLOW_UPS:
        later = follow_up_of(history, first.day, days) if base is not None else None
        if base is None or later is None:
            changes.append((None, None, None))
            continue
        ecca_pair = (
            (base.ecca, later.ecca) if base.ecca is not None and later.ecca is not None else None
        )
        changes.append(
            (
                None if ecca_pair is None else ecca_pair[1] - ecca_pair[0],
                None if base.gb is None or later.gb is None else later.gb - base.gb,
                ecca_pair,
            )
        )
    events = tuple(event for s in sessions for event in s.adverse_events)
    return Course(skin_band(first.fitzpatrick_type), len(sessions), events, tuple(changes))


def group_row(group: str, band: str, courses: Sequence[Course]) -> GroupRow:
    """Figures for the courses of one group and band."""
    follow_ups = []
    for index, (label, _) in enumerate(FOLLOW_UPS):
        points = [c.changes[index] for c in courses]
        follow_ups.append(
            FollowUp(
                label,
                summarise(e for e, _, _ in points if e is not None),
                summarise(g for _, g, _ in points if g is not None),
                responders(pair for _, _, pair in points if pair is not None),
            )
        )
    sessions = sum(c.sessions for c in courses)
    counts: dict[str, int] = {}
    for c in courses:
        for event in c.adverse_events:
            counts[event] = counts.get(event, 0) + 1
    events = tuple((event, n, rate_per_100(n, sessions)) for event, n in sorted(counts.items()))
    return GroupRow(group, band, len(courses), sessions, tuple(follow_ups), events)


COMMON_COMBINATIONS = 3


def report_rows(
    sessions: Sequence[ReportSession],
    assessments: dict[int, list[Assessment]],
    modalities: Sequence[str],
) -> list[GroupRow]:
    """Rows for each modality (every session that included it, alone or combined) and for the
    COMMON_COMBINATIONS combinations given to the most patients (sessions with exactly that set),
    each for all patients and split by skin-type band. A patient's band is their Fitzpatrick type
    at their first session of the group."""
    groups: dict[str, list[ReportSession]] = {m: [] for m in modalities}
    combos: dict[frozenset[str], list[ReportSession]] = {}
    for s in sessions:
        for m in s.modalities:
            groups.setdefault(m, []).append(s)
        if len(s.modalities) > 1:
            combos.setdefault(s.modalities, []).append(s)
    ranked = sorted(
        combos.items(),
        key=lambda item: (-len({s.patient_id for s in item[1]}), sorted(item[0])),
    )
    order = list(modalities) + [m for m in groups if m not in modalities]
    chosen = {m: groups[m] for m in order}
    for combo, rows in ranked[:COMMON_COMBINATIONS]:
        chosen["+".join(sorted(combo, key=lambda m: order.index(m) if m in order else 99))] = rows
    result = []
    for group, rows in chosen.items():
        if not rows:
            continue
        by_patient: dict[int, list[ReportSession]] = {}
        for session in rows:
            by_patient.setdefault(session.patient_id, []).append(session)
        courses = [course_of(ss, assessments.get(pid, [])) for pid, ss in by_patient.items()]
        result.append(group_row(group, BAND_ALL, courses))
        for band in (BAND_LIGHT, BAND_DARK):
            result.append(group_row(group, band, [c for c in courses if c.band == band]))
    return result
