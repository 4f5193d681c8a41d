"""Lays appointments out as a table: time slots down the side, one column per dermatologist, room
or day. Each appointment is a cell spanning its slots (rowspan), so the page needs no inline
styles or script to position blocks, and every empty slot is a link to book it.

Rows are wall-clock times in the clinic's TIME_ZONE. The grid covers the clinic's hours and
stretches to show any appointment booked outside them.
"""

import datetime as dt
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.urls import reverse

from clinic.lib.display import doctor_name
from scheduling import clock
from scheduling.models import Appointment, Room, dermatologists
from scheduling.rules import ClinicHours
from scheduling.visits import PageVisits, Visit, page_visits

# A visit on a calendar page: an Appointment, or its lighter Visit (scheduling/visits.py).
Booked = Appointment | Visit


@dataclass
class Column:
    key: Hashable
    label: str
    day: dt.date
    sublabel: str = ""
    book_params: dict[str, str] = field(default_factory=dict)
    is_today: bool = False
    link: str = ""  # the column header's link: a dermatologist's week, or a day


@dataclass
class Cell:
    column: Column
    appointments: list[Booked] = field(default_factory=list)
    rowspan: int = 1
    book_at: dt.datetime | None = None  # naive local start for an empty slot's "book" link
    book_url: str = ""


@dataclass
class Row:
    at: dt.time
    on_the_hour: bool
    in_hours: bool
    cells: list[Cell]


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]
    slot_minutes: int


def _minutes(moment: dt.datetime | dt.time) -> int:
    return moment.hour * 60 + moment.minute


def _span(appointment: Booked, day: dt.date) -> tuple[int, int]:
    """Minutes from local midnight of `day` at which the visit starts and ends (clipped to it)."""
    start, end = appointment.local_starts_at, appointment.local_ends_at
    start_min = _minutes(start) if start.date() == day else 0
    end_min = _minutes(end) if end.date() == day else 24 * 60
    return start_min, max(end_min, start_min + 1)


def build_grid(
    *,
    columns: list[Column],
    appointments: Iterable[Booked],
    column_of: Callable[[Booked], Hashable],
    hours: ClinicHours,
    book_url: Callable[[Column, dt.datetime], str] | None = None,
    bookable_from: dt.date | None = None,
) -> Grid:
    slot = int(hours.slot.total_seconds() // 60)
    opens, closes = _minutes(hours.opens), _minutes(hours.closes)
    by_column: dict[Hashable, list[tuple[int, int, Booked]]] = {c.key: [] for c in columns}
    day_of = {c.key: c.day for c in columns}
    for appointment in appointments:
        key = column_of(appointment)
        if key in by_column:
            start, end = _span(appointment, day_of[key])
            by_column[key].append((start, end, appointment))
    spans = [(s, e) for placed in by_column.values() for s, e, _ in placed]
    # Rows run on the clinic's slot pattern (anchored at opening time) and stretch to fit.
    earliest = min((s for s, _ in spans), default=opens)
    latest = max((e for _, e in spans), default=closes)
    first = opens - slot * math.ceil(max(0, opens - earliest) / slot)
    last = closes + slot * math.ceil(max(0, latest - closes) / slot)
    row_count = (last - first) // slot

    # Per column: blocks of rows. Visits that share a slot after rounding share one cell.
    blocks: dict[Hashable, dict[int, Cell]] = {}
    for column in columns:
        column_blocks: dict[int, Cell] = {}
        current: Cell | None = None
        current_start = current_end = -1
        for start, end, appointment in sorted(by_column[column.key], key=lambda p: p[:2]):
            r0 = (start - first) // slot
            r1 = max(r0 + 1, math.ceil((end - first) / slot))
            if current is not None and r0 < current_end:
                current.appointments.append(appointment)
                current_end = max(current_end, r1)
                current.rowspan = current_end - current_start
                continue
            current = Cell(column=column, appointments=[appointment], rowspan=r1 - r0)
            current_start, current_end = r0, r1
            column_blocks[r0] = current
        blocks[column.key] = column_blocks

    rows: list[Row] = []
    covered_until = {c.key: 0 for c in columns}
    for index in range(row_count):
        minute = first + index * slot
        at = dt.time(minute // 60, minute % 60)
        cells = []
        for column in columns:
            block = blocks[column.key].get(index)
            if block is not None:
                cells.append(block)
                covered_until[column.key] = index + block.rowspan
            elif index >= covered_until[column.key]:
                book_at = dt.datetime.combine(column.day, at)
                cell = Cell(column=column, book_at=book_at)
                if book_url and (bookable_from is None or column.day >= bookable_from):
                    cell.book_url = book_url(column, book_at)
                cells.append(cell)
        rows.append(
            Row(
                at=at,
                on_the_hour=minute % 60 == 0,
                in_hours=opens <= minute < closes,
                cells=cells,
            )
        )
    return Grid(columns=columns, rows=rows, slot_minutes=slot)


# ---------------------------------------------------------------------------------------------
# The three calendar pages' content. Each runs a fixed number of queries however many visits.
# ---------------------------------------------------------------------------------------------


OFF_GRID_SHOWN = 20  # a busy day has hundreds of cancellations; more on request


@dataclass
class CalendarPage:
    day: dt.date
    grid: Grid
    active: Sequence[Booked]  # the visits that hold their slot
    off_grid: Sequence[Booked]  # cancelled and no-show (they free their slot): the first, or all
    off_grid_total: int = 0  # how many cancelled and no-show visits there are in all
    unassigned: list[Booked] = field(default_factory=list)  # room view: no room yet

    @property
    def appointment_count(self) -> int:
        return len(self.active) + self.off_grid_total

    @property
    def off_grid_hidden(self) -> int:
        return self.off_grid_total - len(self.off_grid)


_PLACEHOLDER = 918273645  # stands for a primary key in an address reversed once


def _booking_links() -> Callable[[Column, dt.datetime], str]:
    """Each empty slot's booking link. A quiet week has hundreds of them: the address and each
    column's parameters are worked out once, and only the time is written for each slot."""
    path = reverse("scheduling:book")
    prefixes: dict[Hashable, str] = {}

    def book_url(column: Column, at: dt.datetime) -> str:
        prefix = prefixes.get(column.key)
        if prefix is None:
            params = urlencode(column.book_params)
            prefix = f"{path}?{params}&" if params else f"{path}?"
            prefix = prefixes[column.key] = f"{prefix}starts_at="
        # What urlencode writes for {"starts_at": f"{at:%Y-%m-%dT%H:%M}"}, the parameters' last
        # entry, without strftime and quote_plus for each slot: of the minute's ISO text only
        # the colon is escaped (a calendar date has a four-digit year, views.MAX_YEARS_AWAY).
        return f"{prefix}{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}%3A{at.minute:02d}"

    return book_url


def day_by_dermatologist(day: dt.date, off_grid_first: int | None = OFF_GRID_SHOWN) -> CalendarPage:
    """The day in a column per dermatologist; of its cancelled and no-show visits the first
    `off_grid_first` are listed (None: all). The same for day_by_room and week_of."""
    # 1 query: who takes appointments; anyone else booked that day gets a column too.
    # The project's users are django.contrib.auth's default User (AUTH_USER_MODEL is not set).
    people = {user.pk: cast(User, user) for user in dermatologists()}
    # 3 queries: the day's visits, named from `people` (visits.page_visits), which gains anyone
    # else they name, cancelled visits included (1 more query, only then).
    visits = page_visits(
        *clock.day_bounds(day),
        column="dermatologist_id",
        off_grid_first=off_grid_first,
        people=people,
        key=("day", day),
    )
    today = clock.today()
    # Each column links to its dermatologist's week: the address is worked out once.
    week_path = reverse("scheduling:week", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    columns = [
        Column(
            key=user.pk,
            label=doctor_name(user),
            day=day,
            book_params={"dermatologist": str(user.pk)},
            is_today=day == today,
            link=f"{week_path[0]}{user.pk}{week_path[1]}?date={day.isoformat()}",
        )
        for user in sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.pk))
    ]
    grid = build_grid(
        columns=columns,
        appointments=visits.active,
        column_of=lambda a: a.dermatologist_id,
        hours=clock.clinic_hours(),
        book_url=_booking_links(),
        bookable_from=today,
    )
    return _page(day, grid, visits)


def day_by_room(day: dt.date, off_grid_first: int | None = OFF_GRID_SHOWN) -> CalendarPage:
    # 1 query: every room (a clinic has a few), to name the visits' rooms; 3 queries: the
    # day's visits (visits.page_visits). The rooms in use are columns, and any other room
    # booked that day.
    every_room = {room.pk: room for room in Room.objects.all()}
    visits = page_visits(
        *clock.day_bounds(day),
        column="room_id",
        off_grid_first=off_grid_first,
        rooms=every_room,
        key=("rooms", day),
    )
    # The rooms in use, and any other room the day's visits or cancellations name.
    rooms = {**visits.rooms, **{pk: room for pk, room in every_room.items() if room.active}}
    today = clock.today()
    columns = [
        Column(
            key=room.pk,
            label=room.name,
            day=day,
            book_params={"room": str(room.pk)},
            is_today=day == today,
        )
        for room in sorted(rooms.values(), key=lambda r: r.name)
    ]
    grid = build_grid(
        columns=columns,
        appointments=[a for a in visits.active if a.room_id is not None],
        column_of=lambda a: a.room_id,
        hours=clock.clinic_hours(),
        book_url=_booking_links(),
        bookable_from=today,
    )
    page = _page(day, grid, visits)
    page.unassigned = [a for a in visits.active if a.room_id is None]
    return page


def week_of(
    dermatologist: User, day: dt.date, off_grid_first: int | None = OFF_GRID_SHOWN
) -> CalendarPage:
    """Monday to Sunday around `day`: the clinic's opening days, plus any day with a booking."""
    monday = clock.week_start(day)
    start, _ = clock.day_bounds(monday)
    _, end = clock.day_bounds(monday + dt.timedelta(days=6))
    # 3 queries: the dermatologist's visits that week.
    visits = page_visits(
        start,
        end,
        where=Q(dermatologist=dermatologist),
        column=TruncDate("starts_at"),  # the day in the clinic's time zone
        off_grid_first=off_grid_first,
        people={dermatologist.pk: dermatologist},
        key=("week", dermatologist.pk, monday),
    )
    hours = clock.clinic_hours()
    today = clock.today()
    booked_days = {a.local_starts_at.date() for a in visits.active}
    booked_days.update(visits.off_grid_columns)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    day_path = reverse("scheduling:day")
    columns = [
        Column(
            key=d,
            label=f"{d:%a %d %b}",
            day=d,
            book_params={"dermatologist": str(dermatologist.pk)},
            is_today=d == today,
            link=f"{day_path}?date={d.isoformat()}",
        )
        for d in days
        if d.isoweekday() in hours.days or d in booked_days
    ]
    grid = build_grid(
        columns=columns,
        appointments=visits.active,
        column_of=lambda a: a.local_starts_at.date(),
        hours=hours,
        book_url=_booking_links(),
        bookable_from=today,
    )
    return _page(day, grid, visits)


def _page(day: dt.date, grid: Grid, visits: PageVisits) -> CalendarPage:
    return CalendarPage(
        day=day,
        grid=grid,
        active=visits.active,
        off_grid=visits.off_grid,
        off_grid_total=visits.off_grid_total,
    )
