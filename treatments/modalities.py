"""The treatment modalities and their usual intervals: plain data, no Django.

Intervals are the clinic defaults (docs/clinical-rules.md). The *usual* interval suggests the
next session; the *minimum* is the point before which repeating the same modality draws a
warning. Change them here, in one place.
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum


class Modality(StrEnum):
    CROSS = "cross"
    LASER = "laser"
    PUNCH = "punch"
    SUBCISION = "subcision"
    FILLER = "filler"
    PEEL = "peel"

    @property
    def label(self) -> str:
        return MODALITY_LABELS[self]


MODALITY_LABELS: dict[Modality, str] = {
    Modality.CROSS: "CROSS (TCA)",
    Modality.LASER: "Laser",
    Modality.PUNCH: "Punch excision / elevation / graft",
    Modality.SUBCISION: "Subcision",
    Modality.FILLER: "Filler",
    Modality.PEEL: "Chemical peel",
}


class IntervalKind(StrEnum):
    """Interval classes: one modality can have several (an ablative laser waits longer than a
    non-ablative one; a medium peel far longer than a superficial one)."""

    CROSS = "cross"
    LASER_ABLATIVE = "laser_ablative"
    LASER_NON_ABLATIVE = "laser_non_ablative"
    PUNCH = "punch"
    SUBCISION = "subcision"
    FILLER = "filler"
    PEEL_SUPERFICIAL = "peel_superficial"
    PEEL_MEDIUM = "peel_medium"


# (usual interval, minimum interval) in days.
INTERVAL_DAYS: dict[IntervalKind, tuple[int, int]] = {
    IntervalKind.CROSS: (28, 14),  # 2-6 weeks, commonly 4-6 sessions
    IntervalKind.LASER_ABLATIVE: (28, 28),  # fractional CO2 / Er:YAG: 4 weeks or more
    IntervalKind.LASER_NON_ABLATIVE: (21, 21),  # non-ablative fractional, picosecond: 3-4 weeks
    IntervalKind.PUNCH: (42, 28),  # resurfacing 4-8 weeks after healing
    IntervalKind.SUBCISION: (28, 21),  # about 4 weeks
    IntervalKind.FILLER: (28, 28),  # HA / PLLA series: 4-6 weeks
    IntervalKind.PEEL_SUPERFICIAL: (14, 14),  # about 2 weeks
    IntervalKind.PEEL_MEDIUM: (90, 90),  # medium-depth: 3-6 months
}


def usual_interval(kind: IntervalKind) -> dt.timedelta:
    return dt.timedelta(days=INTERVAL_DAYS[kind][0])


def minimum_interval(kind: IntervalKind) -> dt.timedelta:
    return dt.timedelta(days=INTERVAL_DAYS[kind][1])


def suggest_next_session(performed_on: dt.date, kinds: Iterable[IntervalKind]) -> dt.date | None:
    """The next session is due when every procedure done today may be repeated: the longest of
    their usual intervals. None when nothing was done."""
    days = [INTERVAL_DAYS[kind][0] for kind in kinds]
    return performed_on + dt.timedelta(days=max(days)) if days else None
