"""Geometry for the score trend chart, drawn as SVG by a template (no JavaScript, prints well).

Pure functions: they turn dated scores into coordinates and axis ticks; the template only draws.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Room for axis labels inside the SVG's view box.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 40, 24, 28
MAX_DATE_LABELS = 8


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    day: dt.date
    value: float


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class Panel:
    title: str
    width: int
    height: int
    y_max: float
    dots: list[Dot] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)

    @property
    def plot_left(self) -> int:
        return MARGIN_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - MARGIN_RIGHT

    @property
    def plot_top(self) -> int:
        return MARGIN_TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - MARGIN_BOTTOM


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    # int ** int is typed Any (a negative power gives a float); either is a float here.
    magnitude: float = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def line_panel(
    points: Sequence[tuple[dt.date, float | None]],
    *,
    title: str,
    scale_max: float,
    width: int = 720,
    height: int = 170,
) -> Panel:
    """Place dated values on a time-proportional x axis and a 0-based y axis.

    The x axis spans every date given, including those whose value is missing, so panels drawn
    from the same visits line up. The y axis ends at a round number above the highest value,
    never above the scale's own maximum. Missing values (None) are left out of the line rather
    than drawn as zero.
    """
    panel = Panel(title=title, width=width, height=height, y_max=1)
    present = [(day, value) for day, value in points if value is not None]
    if not present:
        return panel
    panel.y_max = min(nice_ceiling(max(v for _, v in present)), scale_max)
    first, last = points[0][0], points[-1][0]
    span = (last - first).days
    plot_width = panel.plot_right - panel.plot_left
    plot_height = panel.plot_bottom - panel.plot_top

    def x_of(day: dt.date) -> float:
        if span == 0:
            return panel.plot_left + plot_width / 2
        return panel.plot_left + plot_width * (day - first).days / span

    def y_of(value: float) -> float:
        return panel.plot_bottom - plot_height * value / panel.y_max

    panel.dots = [Dot(x_of(day), y_of(value), day, value) for day, value in present]
    step = nice_ceiling(panel.y_max / 4)
    panel.y_ticks = [
        Tick(y_of(step * i), f"{step * i:g}") for i in range(int(panel.y_max / step) + 1)
    ]
    step = max(1, math.ceil(len(present) / MAX_DATE_LABELS))
    labelled = present[::step]
    if labelled[-1] != present[-1]:
        labelled.append(present[-1])
    panel.x_ticks = [Tick(x_of(day), f"{day:%d %b %y}") for day, _ in labelled]
    return panel
