"""Calendar pages' visits as plain rows.

A busy day has 600+ visits; as model instances with their patient, dermatologist and room that
was some 2,500 objects, and building them cost more than the rest of the day view. A `Visit`
holds what the grid and the pages' lists show, read with one `values_list` query (the same joins
as `for_grid`); a dermatologist or room appears in many visits and is made once.
"""

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import CharField, Count, Expression, Func, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from scheduling.clock import local
from scheduling.models import (
    ACTIVE_STATUSES,
    INACTIVE_STATUSES,
    Appointment,
    CalendarChange,
    Room,
    VisitDisplay,
    starts_within,
)

_VISIT = (
    *("pk", "patient_id", "dermatologist_id", "room_id", "starts_text", "ends_text", "kind"),
    *("status", "cancellation_reason", "patient__first_name", "patient__last_name"),
)
_DERMATOLOGIST = (
    *("dermatologist__username", "dermatologist__first_name", "dermatologist__last_name"),
)
_ROOM = ("room__name",)


# The ORM's loader for a timestamp with time zone costs some 4 µs a value, two per visit: on a
# busy day most of the query's CPU. Visits start and end on a few dozen slot times, so each time
# is read as a plain value and each distinct one is converted once (_instant).
class _RawInstant(Func):
    """A timestamp as a plain value: on PostgreSQL microseconds since the epoch (an integer:
    cheaper for the server to write than text, and free of its DateStyle setting); on SQLite the
    ISO text in UTC it stores."""

    output_field = CharField()

    # django-stubs types the parameters as a tuple or list of str and int; ours pass through.
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        (column,) = self.get_source_expressions()
        return Cast(column, CharField()).as_sql(compiler, connection, **extra_context)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint", params


_TIMES_AS_TEXT = {"starts_text": _RawInstant("starts_at"), "ends_text": _RawInstant("ends_at")}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _instant(raw: str | int) -> tuple[dt.datetime, dt.datetime]:
    """A time read plain (_RawInstant): the instant in UTC, and its local wall-clock time.

    Microseconds since the epoch, or naive ISO 8601 text in UTC (an offset, if any, is
    honoured)."""
    if isinstance(raw, int):
        moment = _EPOCH + dt.timedelta(microseconds=raw)
    else:
        moment = dt.datetime.fromisoformat(raw)
        moment = (
            moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
        )
    return moment, local(moment)


@dataclass(slots=True)
class VisitPatient:
    pk: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True, eq=False)
class Visit(VisitDisplay):
    """The part of an Appointment a calendar page shows, with the same names."""

    pk: int
    patient_id: int
    dermatologist_id: int
    room_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    status: str
    cancellation_reason: str
    patient: VisitPatient
    dermatologist: User
    room: Room | None
    # Wall-clock times, worked out once per instant in calendar_visits (VisitDisplay's names).
    local_starts_at: dt.datetime
    local_ends_at: dt.datetime

    @property
    def id(self) -> int:
        return self.pk

    def __eq__(self, other: object) -> bool:
        """The same visit as a Visit or an Appointment with its primary key."""
        if isinstance(other, Visit | Appointment):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


@cache
def _rows(
    *, dermatologists: bool = True, rooms: bool = True
) -> "QuerySet[Appointment, tuple[Any, ...]]":
    """Every visit's row, unfiltered: built once, chained for each page and never evaluated.
    Resolving the columns through their joins was half the query's Python time (some 0.25 ms a
    page). Without `dermatologists` or `rooms`, a page that has read them already names them
    (_visits): on a busy day their joins and columns were a quarter of the query's time."""
    columns = (*_VISIT, *(_DERMATOLOGIST if dermatologists else ()), *(_ROOM if rooms else ()))
    return Appointment.objects.annotate(**_TIMES_AS_TEXT).values_list(*columns)


def calendar_visits(where: Q) -> list[Visit]:
    """The visits matching `where` (on Appointment), by start time (one query)."""
    return _visits(_rows().filter(where))


@dataclass
class PageVisits:
    """A calendar page's visits: every visit that holds its slot; the cancelled and no-show ones
    (they free their slot and are listed under the grid), the first of them or all; how many
    of those there are; and the columns they fall in (a key per column: a cancellation alone
    still opens its dermatologist's, room's or day's column, someone no longer taking
    appointments, a room out of use, a closed day)."""

    active: list[Visit]
    off_grid: list[Visit]
    off_grid_total: int
    off_grid_columns: list[Any]
    # Who and which rooms the visits and the columns name (not everyone the page passed in).
    people: dict[int, User] = field(default_factory=dict)
    rooms: dict[int, Room] = field(default_factory=dict)


def calendar_version(start: dt.datetime, end: dt.datetime) -> tuple[int, int | None]:
    """What the calendar between `start` and `end` has been written to so far: how many
    CalendarChange rows its days (in UTC) and the renames have, and the highest id. Every write
    committed since it was read changes it (a row more, whoever's transaction took the id), and
    it never comes back to a value it had. The two parts are read apart so that each is an
    index-only scan (with an OR, PostgreSQL read every row from the table: 0.4 ms on a day of
    1,200 writes, against 0.2)."""
    first = start.astimezone(dt.UTC).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(dt.UTC).date()
    table = connection.ops.quote_name(CalendarChange._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(id) FROM (SELECT id FROM {table} WHERE day BETWEEN %s AND %s "  # noqa: S608 - our table's name
            f"UNION ALL SELECT id FROM {table} WHERE day IS NULL) changes",
            [adapt(first), adapt(last)],
        )
        rows, last_id = cursor.fetchone()
    return rows, last_id


@dataclass(frozen=True)
class _Kept:
    version: tuple[int, int | None]
    visits: PageVisits


# Per process, the last pages' visits with the version they were read at. A front desk reloads
# the day many times between two bookings: on a busy day reading and naming its 600 visits was
# half of the page's time. Some 300 KB a busy day; pages beyond the last few are read again.
_KEPT: "OrderedDict[Hashable, _Kept]" = OrderedDict()
_KEPT_PAGES = 32
_kept_lock = threading.Lock()


def forget_kept_visits() -> None:
    """Drops every page's kept visits (the tests start each from the database)."""
    with _kept_lock:
        _KEPT.clear()


def page_visits(
    start: dt.datetime,
    end: dt.datetime,
    *,
    where: Q | None = None,
    column: str | Expression,
    off_grid_first: int | None,
    people: dict[int, User] | None = None,
    rooms: dict[int, Room] | None = None,
    key: Hashable = None,
) -> PageVisits:
    """A calendar page's visits: those starting from `start` to `end` and matching `where` (on
    Appointment), as _read_page_visits says, which also says what `people` and `rooms` do.

    With the page's `key`, they are kept (_KEPT) and given again while the calendar_version of
    `start` to `end` stays the same: one query instead of three, and no visit read or named
    again. The version is read before the visits, so visits kept may be newer than their version
    (a write committed in between), never older."""
    within = starts_within(start, end) if where is None else starts_within(start, end) & where
    kept_as: Hashable = None
    version: tuple[int, int | None] = (0, None)
    if key is not None:
        version = calendar_version(start, end)
        # Visits carry wall-clock times: the time zone is part of what they are.
        kept_as = (
            connection.alias,
            key,
            off_grid_first,
            people is None,
            rooms is None,
            timezone.get_current_timezone_name(),
        )
        with _kept_lock:
            kept = _KEPT.get(kept_as)
            if kept is not None:
                _KEPT.move_to_end(kept_as)
        if kept is not None and kept.version == version:
            if people is not None:
                for pk, person in kept.visits.people.items():
                    people.setdefault(pk, person)
            if rooms is not None:
                for pk, room in kept.visits.rooms.items():
                    rooms.setdefault(pk, room)
            return kept.visits
    visits = _read_page_visits(
        within, column=column, off_grid_first=off_grid_first, people=people, rooms=rooms
    )
    if kept_as is not None:
        with _kept_lock:
            _KEPT[kept_as] = _Kept(version, visits)
            _KEPT.move_to_end(kept_as)
            while len(_KEPT) > _KEPT_PAGES:
                _KEPT.popitem(last=False)
    return visits


def _read_page_visits(
    where: Q,
    *,
    column: str | Expression,
    off_grid_first: int | None,
    people: dict[int, User] | None = None,
    rooms: dict[int, Room] | None = None,
) -> PageVisits:
    """The visits matching `where` (on Appointment) for a calendar page, in three queries
    whatever the number of visits: those holding a slot, by start time; the first
    `off_grid_first` cancelled and no-show ones (None: all); and, over the appointments alone,
    how many cancelled and no-show visits each column has, the column's key (`column`: a field,
    "dermatologist_id" or "room_id", or an expression) and the count. A busy day's 300
    cancellations were read and joined to their patients to list twenty: 40 % of the day view's
    database time.

    `people` and `rooms` (by primary key) are the dermatologists and rooms the page has read
    already: the visits are then read without theirs and named from these, which are completed
    with anyone and any room else the visits or the columns name (one more query for each, only
    then)."""
    names = _Names(people, rooms)
    rows = names.rows()
    active = _visits(rows.filter(where, status__in=ACTIVE_STATUSES), names)
    off_grid_rows = rows.filter(where, status__in=INACTIVE_STATUSES).order_by("starts_at", "pk")
    off_grid = _visits(
        off_grid_rows if off_grid_first is None else off_grid_rows[:off_grid_first], names
    )
    cancelled = Appointment.objects.filter(where, status__in=INACTIVE_STATUSES)
    if not isinstance(column, str):
        cancelled = cancelled.annotate(column=column)
    per_column = list(
        cancelled.values_list(column if isinstance(column, str) else "column")
        .annotate(count=Count("pk"))
        .order_by()
    )
    keys = [key for key, _ in per_column]
    # Someone or a room named by cancellations alone has a column too, named like the visits.
    column_people = keys if column == "dermatologist_id" else []
    column_rooms = [pk for pk in keys if pk is not None] if column == "room_id" else []
    for pk in column_people:
        if pk not in names.people:
            names.person(pk)
    for pk in column_rooms:
        if pk not in names.rooms:
            names.room(pk)
    names.complete()
    named = (*active, *off_grid)
    return PageVisits(
        active=active,
        off_grid=off_grid,
        off_grid_total=sum(count for _, count in per_column),
        off_grid_columns=keys,
        people={
            **{v.dermatologist_id: v.dermatologist for v in named},
            **{pk: names.people[pk] for pk in column_people},
        },
        rooms={
            **{v.room_id: v.room for v in named if v.room_id is not None and v.room is not None},
            **{pk: names.rooms[pk] for pk in column_rooms},
        },
    )


def latest_visits(where: Q, count: int) -> list[Visit]:
    """The newest `count` visits matching `where`, newest first (one query)."""
    return _visits(_rows().filter(where).order_by("-starts_at", "-pk")[:count])


def first_visits_and_total(where: Q, first: int) -> tuple[list[Visit], int]:
    """The first `first` visits matching `where` (on Appointment) by start time, and how many
    match in all: two plain queries. Prepared on PostgreSQL, the first is planned once as an
    index scan in start order that stops after `first` rows and joins only them (0.3 ms on a
    busy day of 330 arrivals), and the count reads the appointments alone (0.4 ms). One query
    choosing the rows in a subquery with the count in another was planned anew on every request
    (2.5 ms), and cost more to build than both of these."""
    visits = _visits(_rows().filter(where).order_by("starts_at", "pk")[:first])
    return visits, Appointment.objects.filter(where).count()


class _Names:
    """The dermatologists and rooms a page's visits name, each made once. Those passed in were
    read by the page already, and the visits are read without their columns (_rows); anyone and
    any room else a visit names (someone no longer taking appointments, a room added since) is
    made without a name and named afterwards (complete), in one query."""

    def __init__(self, people: dict[int, User] | None, rooms: dict[int, Room] | None):
        self.people: dict[int, User] = {} if people is None else people
        self.rooms: dict[int, Room] = {} if rooms is None else rooms
        self.people_in_rows = people is None
        self.rooms_in_rows = rooms is None
        self.unnamed_people: list[User] = []
        self.unnamed_rooms: list[Room] = []

    def rows(self) -> "QuerySet[Appointment, tuple[Any, ...]]":
        return _rows(dermatologists=self.people_in_rows, rooms=self.rooms_in_rows)

    def person(self, pk: int, row: tuple[Any, ...] | None = None) -> User:
        """The dermatologist `pk`, from the visit's `row` when it carries their name, or to be
        named by complete()."""
        if row is not None and self.people_in_rows:
            username, first_name, last_name = row[11:14]
            person = User(pk=pk, username=username, first_name=first_name, last_name=last_name)
        else:
            person = User(pk=pk)
            self.unnamed_people.append(person)
        self.people[pk] = person
        return person

    def room(self, pk: int, row: tuple[Any, ...] | None = None) -> Room:
        if row is not None and self.rooms_in_rows:
            room = Room(pk=pk, name=row[-1])
        else:
            room = Room(pk=pk)
            self.unnamed_rooms.append(room)
        self.rooms[pk] = room
        return room

    def complete(self) -> None:
        if self.unnamed_people:
            found = {
                pk: names
                for pk, *names in User.objects.filter(
                    pk__in=[person.pk for person in self.unnamed_people]
                ).values_list("pk", "username", "first_name", "last_name")
            }
            for person in self.unnamed_people:
                # Gone since the visits were read (only with them: PROTECT): blank, not an error.
                person.username, person.first_name, person.last_name = found.get(
                    person.pk, ("", "", "")
                )
        if self.unnamed_rooms:
            found_rooms = dict(
                Room.objects.filter(pk__in=[room.pk for room in self.unnamed_rooms]).values_list(
                    "pk", "name"
                )
            )
            for room in self.unnamed_rooms:
                room.name = found_rooms.get(room.pk, "")
        self.unnamed_people, self.unnamed_rooms = [], []


def _visits(rows: Iterable[tuple[Any, ...]], names: _Names | None = None) -> list[Visit]:
    names = names or _Names(None, None)
    people = names.people
    rooms = names.rooms
    instants: dict[str | int, tuple[dt.datetime, dt.datetime]] = {}
    visits = []
    for row in rows:
        (pk, patient_id, derm_id, room_id, starts_text, ends_text, kind, status, reason) = row[:9]
        first, last = row[9:11]
        person = people.get(derm_id)
        if person is None:
            person = names.person(derm_id, row)
        room = None
        if room_id is not None:
            room = rooms.get(room_id)
            if room is None:
                room = names.room(room_id, row)
        start = instants.get(starts_text)
        if start is None:
            start = instants[starts_text] = _instant(starts_text)
        end = instants.get(ends_text)
        if end is None:
            end = instants[ends_text] = _instant(ends_text)
        visits.append(
            Visit(
                pk,
                patient_id,
                derm_id,
                room_id,
                start[0],
                end[0],
                kind,
                status,
                reason,
                VisitPatient(patient_id, first, last),
                person,
                room,
                start[1],
                end[1],
            )
        )
    return visits
