"""The progress timeline's SVG marks and its table rows, written in Python.

A heavy chart (120 sessions, 60 assessments, 300 photos) draws some 1,500 SVG elements and a
table of 200+ dates; through the template language, with a filter on every coordinate, they cost
more than the rest of the chart. This writes the same markup (treatments/_outcomes_panel.html
keeps the frame, the legend and the captions). Text from the database is escaped here.
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from clinic.lib.markup import escape
from clinic.lib.svg import coord, plain, y_grid
from clinic.templatetags.clinic_format import day as day_text
from treatments.outcomes import ModalityResponse
from treatments.timeline import TableRow, Timeline


def timeline_marks(t: Timeline) -> SafeString:
    """Everything inside the timeline's <svg> after its <title>."""
    out: list[str] = []
    for s in t.sessions:
        x = coord(s.x)
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{plain(t.plot_top)}" y2="{plain(t.session_lane_y)}" '
            'class="timeline-guide"/>'
        )
    left, right = plain(t.left), plain(t.right)
    label_x = plain(int(t.left) - 6)
    for number, panel in enumerate(t.panels, start=1):
        out.append(
            f'<g data-score-panel="{number}"><text x="{left}" y="{coord(panel.title_y)}" '
            f'class="trend-title">{escape(panel.title)}</text>'
        )
        out.extend(y_grid(panel.y_ticks, left=left, right=right, label_x=label_x))
        for line in panel.lines:
            if not line.points:
                continue
            key, label = escape(line.key), escape(line.label)
            out.append(
                f'<polyline points="{escape(line.polyline)}" class="trend-line score-{key}" '
                'fill="none"/>'
            )
            for pt in line.points:
                out.append(
                    f'<circle cx="{coord(pt.x)}" cy="{coord(pt.y)}" r="3.5" '
                    f'class="trend-dot score-{key}"><title>{label} {day_text(pt.day)}: '
                    f"{plain(pt.value)}</title></circle>"
                )
        if not panel.recorded:
            out.append(
                f'<text x="{plain(int(t.left) + 10)}" y="{plain(int(panel.bottom) - 10)}" '
                'class="trend-empty">Not recorded yet</text>'
            )
        out.append("</g>")
    out.append(
        f'<text x="{label_x}" y="{coord(t.session_lane_y)}" class="trend-y-label" '
        'text-anchor="end" dominant-baseline="middle">Sessions</text>'
    )
    for s in t.sessions:
        x = coord(s.x)
        out.append(
            f'<a href="{escape(s.url)}" class="session-marker" data-session-marker>'
            f"<title>{escape(s.summary)}</title>"
        )
        for m in s.marks:
            y, modality = coord(m.y), escape(m.modality)
            out.append(
                f'<circle cx="{x}" cy="{y}" r="6.5" class="modality-mark modality-{modality}" '
                f'data-modality="{modality}"/><text x="{x}" y="{y}" class="modality-letter" '
                f'text-anchor="middle" dominant-baseline="central">{escape(m.letter)}</text>'
            )
        out.append("</a>")
    out.append(
        f'<text x="{label_x}" y="{coord(t.photo_lane_y)}" class="trend-y-label" text-anchor="end" '
        'dominant-baseline="middle">Photos</text>'
    )
    photo_y = coord(int(t.photo_lane_y) - 4)
    for ph in t.photos:
        out.append(
            f"<g data-photo-marker><title>Photos {day_text(ph.day)} ({plain(ph.count)})</title>"
            f'<rect x="{coord(int(ph.x) - 4)}" y="{photo_y}" width="8" height="8" '
            'class="photo-mark"/></g>'
        )
    axis = coord(t.axis_y)
    out.append(f'<line x1="{left}" x2="{right}" y1="{axis}" y2="{axis}" class="trend-grid"/>')
    label_y = coord(int(t.axis_y) + 16)
    for tick in t.x_ticks:
        out.append(
            f'<text x="{coord(tick.position)}" y="{label_y}" class="trend-x-label" '
            f'text-anchor="middle">{escape(tick.label)}</text>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number


def _score(value: float | None) -> str:
    return "" if value is None else plain(value)


def timeline_table_rows(rows: Sequence[TableRow]) -> SafeString:
    """The <tr>s of the table of the same data."""
    out: list[str] = []
    for row in rows:
        snap = row.snapshot
        scores = (snap.ecca, snap.gb, snap.ice_pick, snap.cadi, snap.dlqi) if snap else (None,) * 5
        cells = "".join(f"<td>{_score(v)}</td>" for v in scores)
        sessions = "<br>".join(
            f'<a href="{escape(s.url)}">{escape(s.summary)}</a>' for s in row.sessions
        )
        photos = plain(row.photos) if row.photos else ""
        out.append(
            f'<tr><th scope="row">{day_text(row.day)}</th>{cells}<td>{sessions}</td>'
            f"<td>{photos}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number


def _change_cell(
    before: int | None, after: int | None, delta: int | None, percent: float | None
) -> str:
    text = f"{'-' if before is None else int(before)} → {'-' if after is None else int(after)}"
    if delta is not None:
        tone = "change-better" if delta < 0 else "change-worse" if delta > 0 else ""
        share = "" if percent is None else f", {percent:+.1f} %"
        text += f' <strong class="{tone}">({delta:+d}{share})</strong>'
    return f"<td>{text}</td>"


def response_rows(responses: Sequence[tuple[str, ModalityResponse]]) -> SafeString:
    """The response table's rows (treatments/_response_table.html keeps the frame): a row per
    modality, its sessions, the assessments before and after, and each score's change."""
    out = []
    for label, r in responses:
        days = day_text(r.first_day)
        if r.last_day != r.first_day:
            days += f" to {day_text(r.last_day)}"
        before = day_text(r.before.day) if r.before else '<span class="text-secondary">none</span>'
        after = (
            day_text(r.after.day)
            if r.after
            else f'<span class="text-secondary">not yet (from {day_text(r.follow_up_from)})</span>'
        )
        changes = "".join(_change_cell(c.before, c.after, c.delta, c.percent) for c in r.changes)
        out.append(
            f'<tr data-response="{escape(r.modality)}"><th scope="row">{escape(label)}</th>'
            f"<td>{int(r.sessions)} ({days})</td><td>{before}</td><td>{after}</td>"
            f"{changes}</tr>"
        )
    # Labels and modalities are escaped; the rest are dates and numbers written here.
    return mark_safe("\n".join(out))  # noqa: S308
