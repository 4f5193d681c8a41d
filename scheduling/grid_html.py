"""The calendar grid's HTML, and the visit lists under it, written in Python.

A busy day has about 330 visits in 400 cells; the template language spent most of the day view's
time on them (some 40 variable lookups, filters and tags per visit). This writes the same table
with plain string joins, and the same for the room view's list of visits not yet in a room (over
a hundred) and the cancelled and no-show list. Every value that comes from the database or a
user is escaped here.
"""

import datetime as dt
import html
from collections.abc import Callable, Hashable, Iterable
from typing import cast

from django.urls import reverse
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe

from clinic.lib.markup import escape
from scheduling import rules
from scheduling.calendar import Booked, Cell, Grid
from scheduling.models import Room

_MODE_ROOMS = "rooms"
_PLACEHOLDER = "918273645"  # stands for a primary key in an address reversed once


def _short_day(day: dt.date) -> str:
    """What the `date` filter writes for "D j M" ("Mon 30 Nov")."""
    return f"{WEEKDAYS_ABBR[day.weekday()]} {day.day} {str(MONTHS_3[day.month]).title()}"


def _hhmm(moment: dt.datetime) -> str:
    """What `{moment:%H:%M}` writes, without strftime: two for each of hundreds of visits."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


class _Markup:
    """Hundreds of visits share a few statuses, kinds, rooms and people: each piece of markup
    for them is escaped once per page. With html.escape, what django.utils.html.escape writes
    as a plain str: a SafeString in an f-string costs a Python __str__ call each time, some 900
    a busy day."""

    def __init__(self) -> None:
        self.people: dict[int, str] = {}
        self.rooms: dict[int, str] = {}
        self.kinds: dict[str, str] = {}
        self.statuses: dict[str, tuple[str, str]] = {}
        self.spans: dict[tuple[dt.datetime, dt.datetime], str] = {}
        self.detail = reverse("scheduling:detail", args=[_PLACEHOLDER]).split(_PLACEHOLDER)

    def person(self, appointment: Booked) -> str:
        pk = appointment.dermatologist_id
        if pk not in self.people:
            user = appointment.dermatologist
            self.people[pk] = html.escape(user.get_full_name() or user.username)
        return self.people[pk]

    def room(self, appointment: Booked) -> str:
        pk = cast(int, appointment.room_id)
        if pk not in self.rooms:
            # A room id means the room was read with the visit.
            self.rooms[pk] = html.escape(cast(Room, appointment.room).name)
        return self.rooms[pk]

    def kind(self, appointment: Booked) -> str:
        kind = appointment.kind
        if kind not in self.kinds:
            self.kinds[kind] = html.escape(appointment.kind_label)
        return self.kinds[kind]

    def times(self, appointment: Booked) -> str:
        """The visit's wall-clock times ("09:00-09:30"): a busy day's visits share a few dozen
        slot times, each written once."""
        key = (appointment.local_starts_at, appointment.local_ends_at)
        text = self.spans.get(key)
        if text is None:
            text = self.spans[key] = f"{_hhmm(key[0])}-{_hhmm(key[1])}"
        return text

    def status(self, appointment: Booked) -> tuple[str, str]:
        """The status's class suffix and its badge."""
        status = appointment.status
        if status not in self.statuses:
            css = html.escape(status)
            badge = (
                f'<span class="badge status-badge status-{css}">'
                f"{html.escape(appointment.status_label)}</span>"
            )
            self.statuses[status] = (css, badge)
        return self.statuses[status]


class _Writer(_Markup):
    def __init__(
        self,
        *,
        mode: str,
        can_check_in: bool,
        can_book: bool,
        here: str,
        csrf_token: Callable[[], str],
        today: dt.date,
    ):
        super().__init__()
        self.mode = mode
        self.can_check_in = can_check_in
        self.can_book = can_book
        self.here = html.escape(here)
        self._csrf_token = csrf_token
        self.csrf = ""
        self.today = today
        self.check_in = reverse("scheduling:check_in", args=[_PLACEHOLDER]).split(_PLACEHOLDER)
        self.slot_labels: dict[Hashable, str] = {}
        # Statuses a visit on its own day may be checked in from (scheduling.rules decides).
        self.check_in_from = {
            status.value
            for status in rules.Status
            if rules.check_in_refusal(status.value, day=today, today=today) is None
        }

    def visit(self, a: Booked, out: list[str]) -> None:
        start = a.local_starts_at
        patient = html.escape(f"{a.patient.first_name} {a.patient.last_name}")
        status, badge = self.status(a)
        pk = int(a.pk)
        if self.mode == _MODE_ROOMS:
            where = f" · {self.person(a)}"
        elif a.room_id is not None:
            where = f" · {self.room(a)}"
        else:
            where = ""
        out.append(
            f'<div class="appt appt-{status}" data-appointment="{pk}">'
            f'<a class="appt-link" href="{self.detail[0]}{pk}{self.detail[1]}">'
            f'<span class="appt-time">{self.times(a)}</span> '
            f'<span class="appt-patient">{patient}</span></a>'
            f'<div><span class="appt-kind">{self.kind(a)}</span>{where} {badge}</div>'
        )
        if self.can_check_in and a.status in self.check_in_from and start.date() == self.today:
            # Asked for only when a form is written, like {% csrf_token %}.
            self.csrf = self.csrf or html.escape(self._csrf_token())
            out.append(
                f'<form method="post" action="{self.check_in[0]}{pk}{self.check_in[1]}">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                f'<input type="hidden" name="next" value="{self.here}">'
                '<button type="submit" class="btn btn-sm btn-light border" '
                f'aria-label="Check in {patient}">Check in</button></form>'
            )
        out.append("</div>")

    def cell(self, cell: Cell, at: str, out: list[str]) -> None:
        if cell.appointments:
            out.append(f'<td rowspan="{int(cell.rowspan)}" class="calendar-block">')
            for appointment in cell.appointments:
                self.visit(appointment, out)
            out.append("</td>")
        elif cell.book_url and self.can_book:
            # A column's empty slots differ only in their time: its label is written once.
            label = self.slot_labels.get(cell.column.key)
            if label is None:
                # An empty slot with a booking link has its moment (calendar.build_grid).
                book_at = cast(dt.datetime, cell.book_at)
                label = f"Book {escape(cell.column.label)}, {_short_day(book_at)} at "
                self.slot_labels[cell.column.key] = label
            out.append(
                '<td class="calendar-slot"><a class="slot-link" '
                f'href="{html.escape(cell.book_url)}" aria-label="{label}{at}"></a></td>'
            )
        else:
            out.append('<td class="calendar-slot"></td>')


def render_grid(
    grid: Grid,
    *,
    caption: str,
    mode: str,
    can_check_in: bool,
    can_book: bool,
    here: str,
    csrf_token: Callable[[], str],
    today: dt.date,
) -> SafeString:
    """The grid as a table; `csrf_token` is called once if a check-in form is written."""
    writer = _Writer(
        mode=mode,
        can_check_in=can_check_in,
        can_book=can_book,
        here=here,
        csrf_token=csrf_token,
        today=today,
    )
    out = [
        '<div class="table-responsive calendar-wrap border rounded">'
        '<table class="table table-bordered calendar-grid mb-0" data-testid="calendar-grid">'
        f'<caption class="visually-hidden">{escape(caption)}</caption>'
        '<thead><tr><th scope="col" class="calendar-time">Time</th>'
    ]
    for column in grid.columns:
        label: str = escape(column.label)
        if column.link:
            label = f'<a href="{escape(column.link)}">{label}</a>'
        today_class = "is-today" if column.is_today else ""
        out.append(
            f'<th scope="col" class="{today_class}" data-column="{escape(column.key)}">{label}</th>'
        )
    out.append("</tr></thead><tbody>")
    for row in grid.rows:
        classes = ("hour" if row.on_the_hour else "") + ("" if row.in_hours else " closed")
        at = f"{row.at:%H:%M}"
        out.append(f'<tr class="{classes}"><th scope="row" class="calendar-time">{at}</th>')
        for cell in row.cells:
            writer.cell(cell, at, out)
        out.append("</tr>")
    if not grid.rows:
        out.append(
            '<tr><td colspan="2" class="text-secondary">No one takes appointments yet.</td></tr>'
        )
    out.append("</tbody></table></div>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def render_visit_list(visits: Iterable[Booked]) -> SafeString:
    """A list of visits under the grid (not yet in a room; cancelled and no-show): a busy day has
    a hundred or more, too many for the template language."""
    markup = _Markup()
    detail = markup.detail
    out = ['<ul class="list-group list-group-flush">']
    for a in visits:
        pk = int(a.pk)
        patient = html.escape(f"{a.patient.first_name} {a.patient.last_name}")
        reason = a.cancellation_reason
        out.append(
            '<li class="list-group-item d-flex flex-wrap gap-2 align-items-center" '
            f'data-appointment="{pk}">'
            f'<span class="font-monospace">{markup.times(a)}</span> '
            f'<a href="{detail[0]}{pk}{detail[1]}">{patient}</a> '
            f'<span class="text-secondary">{markup.kind(a)} · {markup.person(a)}</span> '
            f"{markup.status(a)[1]}"
        )
        if reason:
            out.append(f' <span class="small text-secondary">{html.escape(reason)}</span>')
        out.append("</li>")
    out.append("</ul>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
