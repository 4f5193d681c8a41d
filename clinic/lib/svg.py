"""Pieces of SVG markup that the charts written in Python share (the score trend on the chart and
the progress timeline): numbers as the templates wrote them, and a panel's horizontal grid."""

from collections.abc import Iterable
from typing import Protocol

from django.utils.formats import localize
from django.utils.html import escape


class YTick(Protocol):
    @property
    def position(self) -> float: ...

    @property
    def label(self) -> str: ...


def coord(value: float) -> str:
    """A coordinate with one decimal, unlocalised (what the svg1 filter writes)."""
    return f"{float(value):.1f}"


def plain(value: float) -> str:
    """A number as {{ value }} writes it."""
    return str(value) if type(value) is int else escape(localize(value))


def y_grid(ticks: Iterable[YTick], *, left: str, right: str, label_x: str) -> list[str]:
    """Each tick's grid line across the plot and its label at the left."""
    out = []
    for tick in ticks:
        y = coord(tick.position)
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="trend-grid"/>'
            f'<text x="{label_x}" y="{y}" class="trend-y-label" text-anchor="end" '
            f'dominant-baseline="middle">{escape(tick.label)}</text>'
        )
    return out
