"""The chart's score trend panels and change badges, written in Python.

A patient assessed sixty times gets three panels of sixty dots, each dot with its date and value
in two places; through the template language that was a third of the chart's rendering. These
write the same markup as the templates did. Text is escaped here; numbers are ours.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from clinic.lib.markup import escape
from clinic.lib.svg import coord, plain, y_grid
from clinic.templatetags.clinic_format import day, url_for
from patients.progress import Change, ProgressRow
from patients.trend import Panel

register = template.Library()


def _panel(number: int, panel: Panel, days: dict[dt.date, str]) -> str:
    title = escape(panel.title)
    dots = [(_day(days, dot.day), plain(dot.value), dot) for dot in panel.dots]
    described = "".join(f"; {d}: {v}" for d, v, _ in dots) or ": not recorded"
    left, right = panel.plot_left, panel.plot_right
    out = [
        f'<svg viewBox="0 0 {panel.width} {panel.height}" class="w-100 d-block trend-panel" '
        f'role="img" aria-labelledby="trend-title-{number}" data-panel="{number}">'
        f'<title id="trend-title-{number}">{title} by assessment date{described}</title>'
        f'<text x="{left}" y="14" class="trend-title">{title}</text>'
    ]
    out.extend(y_grid(panel.y_ticks, left=str(left), right=str(right), label_x=str(left - 6)))
    for tick in panel.x_ticks:
        out.append(
            f'<text x="{coord(tick.position)}" y="{panel.height - 8}" class="trend-x-label" '
            f'text-anchor="middle">{escape(tick.label)}</text>'
        )
    if dots:
        out.append(
            f'<polyline points="{panel.polyline}" class="trend-line trend-line-{number}" '
            'fill="none"/>'
        )
        out.extend(
            f'<circle cx="{coord(dot.x)}" cy="{coord(dot.y)}" r="4" class="trend-dot '
            f'trend-line-{number}"><title>{d}: {v}</title></circle>'
            for d, v, dot in dots
        )
    else:
        out.append(
            f'<text x="{left + 10}" y="{panel.plot_bottom - 10}" class="trend-empty">'
            "Not recorded yet</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _day(days: dict[dt.date, str], value: dt.date) -> str:
    """The date's text, escaped, written once for all the panels (they share their dates)."""
    text = days.get(value)
    if text is None:
        text = days[value] = escape(day(value))
    return text


@register.simple_tag
def trend_panels(panels: Sequence[Panel]) -> SafeString:
    """Every panel's <svg>, for the trend chart's <figure>."""
    # _panel escapes every title, label and date; the rest are numbers it formats itself.
    days: dict[dt.date, str] = {}
    return mark_safe("\n".join(_panel(n, p, days) for n, p in enumerate(panels, start=1)))  # noqa: S308 - escaped in _panel


def whole_percent(percent: float) -> str:
    """What `floatformat:"0"` writes for a percentage: rounded half away from zero, and no
    minus sign on a value that rounds to zero (a chart writes dozens; the filter is slow)."""
    rounded = int(Decimal(repr(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return str(rounded)


@register.filter
def score_change(change: Change | None) -> SafeString:
    """The change from baseline under a score: "-12 (-30%)", coloured by direction."""
    if change is None:
        return SafeString("")
    if change.improved:
        tone = "change-better"
    elif change.delta > 0:
        tone = "change-worse"
    else:
        tone = "text-secondary"
    text = f"+{change.delta}" if change.delta > 0 else str(change.delta)
    if change.percent is not None:
        sign = "+" if change.percent > 0 else ""
        text += f" ({sign}{whole_percent(change.percent)}%)"
    # The tone is one of three fixed class names and the text is escaped.
    return mark_safe(f'<div class="small {tone}">{escape(text)}</div>')  # noqa: S308 - escaped


_SUPERSEDED = (
    ' class="assessment-superseded text-secondary" title="Another assessment was recorded later'
    ' the same day: this one is not in the trend or the changes."'
)
_NONE = '<span class="text-secondary">—</span>'
_BASELINE = ' <span class="badge text-bg-light border">baseline</span>'
_SUPERSEDED_BADGE = ' <span class="badge text-bg-secondary">superseded</span>'
_AMENDED = ' <span class="badge text-bg-warning">amended</span>'


@register.simple_tag
def assessment_rows(rows: Sequence[ProgressRow], hidden: int) -> SafeString:
    """The chart's assessments table body: a row per assessment shown, and after the baseline a
    link to the `hidden` ones. Each row's dozen scores, badges and changes cost more through the
    template language than the rest of the table."""
    out = []
    for row in rows:
        a: Any = row.assessment  # a ScarAssessment or its ChartAssessment row
        badges = "".join(
            badge
            for shown, badge in (
                (row.is_baseline, _BASELINE),
                (row.is_superseded, _SUPERSEDED_BADGE),
                (a.was_amended, _AMENDED),
            )
            if shown
        )
        assessor = a.assessor.get_full_name() or a.assessor.username
        cadi = _NONE if a.cadi_score is None else f"{int(a.cadi_score)}{score_change(row.cadi)}"
        if a.dlqi_score is not None:
            band = escape(str(a.dlqi_band.label).lower())
            dlqi = (
                f'{int(a.dlqi_score)} <span class="small text-secondary">{band}</span>'
                f"{score_change(row.dlqi)}"
            )
        elif a.dlqi_recorded:
            dlqi = '<span class="text-secondary small">not scored</span>'
        else:
            dlqi = _NONE
        out.append(
            f'<tr data-assessment="{int(a.pk)}"{_SUPERSEDED if row.is_superseded else ""}>'
            f"<td>{escape(day(a.assessed_on))}{badges}</td>"
            f"<td>{escape(assessor)}</td>"
            f'<td class="score-ecca"><strong>{int(a.ecca_score)}</strong>'
            f"{score_change(row.ecca)}</td>"
            f"<td>{int(a.gb_grade)}</td>"
            f'<td class="score-gb"><strong>{int(a.gb_quantitative_score)}</strong>'
            f"{score_change(row.gb_quantitative)}</td>"
            f"<td>{cadi}</td>"
            f"<td>{dlqi}</td>"
            f'<td class="d-print-none"><a href="{url_for(a.pk, "patients:assessment_detail")}">'
            "Open</a></td></tr>"
        )
        if row.is_baseline and hidden:
            out.append(
                '<tr class="d-print-none"><td colspan="8"><a href="?tab=progress&amp;'
                f'assessments=all#assessments-heading">{int(hidden)} more '
                f"visit{'' if hidden == 1 else 's'}: show all</a></td></tr>"
            )
    # Every text above is escaped; scores are integers and the changes are score_change's.
    return mark_safe("\n".join(out))  # noqa: S308 - every text escaped, numbers int()
