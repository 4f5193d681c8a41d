"""Geometry for the progress timeline: scores over time with the treatment sessions and photo
dates on the same time axis, drawn as SVG by treatments/_outcomes_panel.html (no JavaScript,
prints in black and white: lines differ by dash, modalities by letter as well as colour).

Pure functions, no Django: dated values in, coordinates out.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from patients.trend import nice_ceiling
from treatments.outcomes import ScoreSnapshot

WIDTH = 760
LEFT, RIGHT = 56, 40
PANEL_HEIGHT = 96
PANEL_GAP = 32
TOP = 26
SESSION_LANE = 34
PHOTO_LANE = 22
AXIS = 24
MAX_DATE_LABELS = 8
MIN_LABEL_GAP = 64  # px between the centres of two date labels
MARKER_STEP = 13  # vertical distance between the modalities of one combination session

# Modality value -> one letter drawn in its marker, so the print needs no colour.
MODALITY_LETTERS = {
    "cross": "C",
    "laser": "L",
    "punch": "P",
    "subcision": "S",
    "filler": "F",
    "peel": "Pe",
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: dt.date
    value: int


@dataclass
class Line:
    key: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class ScorePanel:
    title: str
    top: float
    bottom: float
    y_max: float
    lines: list[Line]
    y_ticks: list[Tick]

    @property
    def recorded(self) -> bool:
        return any(line.points for line in self.lines)

    @property
    def title_y(self) -> float:
        return self.top - 12


@dataclass(frozen=True)
class ModalityMark:
    modality: str
    label: str
    letter: str
    y: float


@dataclass(frozen=True)
class SessionMarker:
    x: float
    day: dt.date
    summary: str
    url: str
    marks: tuple[ModalityMark, ...]


@dataclass(frozen=True)
class PhotoMarker:
    x: float
    day: dt.date
    count: int


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    right: int
    panels: list[ScorePanel]
    sessions: list[SessionMarker]
    photos: list[PhotoMarker]
    x_ticks: list[Tick]
    session_lane_y: float
    photo_lane_y: float
    axis_y: float
    plot_top: float

    @property
    def empty(self) -> bool:
        return not (
            self.sessions or self.photos or any(ln.points for p in self.panels for ln in p.lines)
        )


@dataclass(frozen=True)
class TimelineSession:
    day: dt.date
    modalities: tuple[tuple[str, str], ...]  # (value, label), in the order logged
    summary: str
    url: str


# (title, scale maximum, [(score key, line label)])
PANELS: tuple[tuple[str, float, tuple[tuple[str, str], ...]], ...] = (
    ("ECCA (0-540)", 540, (("ecca", "ECCA"),)),
    ("Goodman & Baron quantitative (0-84)", 84, (("gb", "G&B quantitative"),)),
    ("Ice pick scars (count)", 10_000, (("ice_pick", "Ice pick scars"),)),
    ("Patient-reported: CADI (0-15) and DLQI (0-30)", 30, (("cadi", "CADI"), ("dlqi", "DLQI"))),
)


def build_timeline(
    snapshots: Sequence[ScoreSnapshot],
    sessions: Sequence[TimelineSession],
    photo_days: Sequence[dt.date],
) -> Timeline:
    """Lay out every score panel, the session lane and the photo lane on one time axis spanning
    all the dates given. Missing scores are left out of a line, never drawn as zero."""
    days = ([s.day for s in snapshots] + [s.day for s in sessions] + list(photo_days)) or [
        dt.date.today()
    ]
    first, last = min(days), max(days)
    span = (last - first).days
    right = WIDTH - RIGHT
    plot_width = right - LEFT

    def x_of(day: dt.date) -> float:
        if span == 0:
            return LEFT + plot_width / 2
        return LEFT + plot_width * (day - first).days / span

    ordered = sorted(snapshots, key=lambda s: s.day)
    panels = []
    top = TOP
    for title, scale_max, keys in PANELS:
        bottom = top + PANEL_HEIGHT
        values = [v for s in ordered for k, _ in keys if (v := s.score(k)) is not None]
        y_max = min(nice_ceiling(max(values)), scale_max) if values else 1

        def y_of(value: float, bottom: float = bottom, y_max: float = y_max) -> float:
            return bottom - PANEL_HEIGHT * value / y_max

        lines = [
            Line(
                key,
                label,
                [
                    Point(x_of(s.day), y_of(value), s.day, value)
                    for s in ordered
                    if (value := s.score(key)) is not None
                ],
            )
            for key, label in keys
        ]
        step = nice_ceiling(y_max / 2)
        ticks = [Tick(y_of(step * i), f"{step * i:g}") for i in range(int(y_max / step) + 1)]
        panels.append(ScorePanel(title, top, bottom, y_max, lines, ticks))
        top = bottom + PANEL_GAP

    tallest = max((len(s.modalities) for s in sessions), default=1)
    session_lane_y = top - PANEL_GAP + 22
    markers = [
        SessionMarker(
            x_of(s.day),
            s.day,
            s.summary,
            s.url,
            tuple(
                ModalityMark(
                    value, label, MODALITY_LETTERS.get(value, "?"), session_lane_y + i * MARKER_STEP
                )
                for i, (value, label) in enumerate(s.modalities)
            ),
        )
        for s in sorted(sessions, key=lambda s: s.day)
    ]
    photo_lane_y = session_lane_y + SESSION_LANE + (tallest - 1) * MARKER_STEP
    counts: dict[dt.date, int] = {}
    for day in photo_days:
        counts[day] = counts.get(day, 0) + 1
    photos = [PhotoMarker(x_of(day), day, n) for day, n in sorted(counts.items())]
    axis_y = photo_lane_y + PHOTO_LANE
    tick_days = sorted(set(days))
    step = max(1, -(-len(tick_days) // MAX_DATE_LABELS))
    labelled = tick_days[::step]
    if labelled[-1] != tick_days[-1]:
        labelled.append(tick_days[-1])
    # A date label is about 60 px wide: a label closer than that to the one before it is left
    # out (the last one, the latest visit, always stays).
    x_ticks: list[Tick] = []
    for day in labelled:
        x = x_of(day)
        if x_ticks and x - x_ticks[-1].position < MIN_LABEL_GAP:
            if day != labelled[-1]:
                continue
            x_ticks.pop()
        x_ticks.append(Tick(x, f"{day:%d %b %y}"))
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS),
        left=LEFT,
        right=right,
        panels=panels,
        sessions=markers,
        photos=photos,
        x_ticks=x_ticks,
        session_lane_y=session_lane_y,
        photo_lane_y=photo_lane_y,
        axis_y=axis_y,
        plot_top=TOP,
    )


@dataclass(frozen=True)
class TableRow:
    """One date of the accessible table: scores, sessions and photos of that day."""

    day: dt.date
    snapshot: ScoreSnapshot | None
    sessions: tuple[TimelineSession, ...]
    photos: int


def table_rows(
    snapshots: Sequence[ScoreSnapshot],
    sessions: Sequence[TimelineSession],
    photo_days: Sequence[dt.date],
) -> list[TableRow]:
    """The same data as the chart, one row per date, oldest first."""
    by_day = {s.day: s for s in snapshots}
    sessions_on: dict[dt.date, list[TimelineSession]] = {}
    for session in sessions:
        sessions_on.setdefault(session.day, []).append(session)
    photos_on: dict[dt.date, int] = {}
    for photo_day in photo_days:
        photos_on[photo_day] = photos_on.get(photo_day, 0) + 1
    days = sorted(set(by_day) | set(sessions_on) | set(photos_on))
    return [
        TableRow(day, by_day.get(day), tuple(sessions_on.get(day, ())), photos_on.get(day, 0))
        for day in days
    ]


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    x0: float  # the zero line
    x: float  # the median's end of the bar
    q1: float
    q3: float
    median: float
    n: int
    small: bool


@dataclass
class BarChart:
    width: int
    height: int
    zero: float
    bars: list[Bar]
    ticks: list[Tick]


BAR_LABEL_WIDTH = 230
BAR_HEIGHT = 22


def change_bars(items: Sequence[tuple[str, float, float, float, int, bool]]) -> BarChart:
    """Horizontal bars of median change (negative = better, drawn to the left of zero) with the
    interquartile range as a whisker. items: (label, median, q1, q3, n, small)."""
    plot_left, plot_right = BAR_LABEL_WIDTH + 10, WIDTH - 70
    extent = max([abs(v) for _, m, q1, q3, _, _ in items for v in (m, q1, q3)] or [1])
    extent = nice_ceiling(extent)
    zero = (plot_left + plot_right) / 2
    half = (plot_right - plot_left) / 2

    def x_of(value: float) -> float:
        return zero + half * value / extent

    bars = [
        Bar(label, 20 + i * BAR_HEIGHT, zero, x_of(m), x_of(q1), x_of(q3), m, n, small)
        for i, (label, m, q1, q3, n, small) in enumerate(items)
    ]
    ticks = [Tick(x_of(v), f"{v:g}") for v in (-extent, -extent / 2, 0, extent / 2, extent)]
    return BarChart(WIDTH, int(40 + len(items) * BAR_HEIGHT), zero, bars, ticks)
