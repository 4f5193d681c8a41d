"""Calendar pages' visits as plain rows.

A busy day has 600+ visits; as model instances with their patient, dermatologist and room that
was some 2,500 objects, and building them cost more than the rest of the day view. A `Visit`
holds what the grid and the pages' lists show, read with one `values_list` query (the same joins
as `for_grid`); a dermatologist or room appears in many visits and is made once.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from scheduling.clock import local
from scheduling.models import Appointment, AppointmentQuerySet, Room, VisitDisplay

_COLUMNS = (
    *("pk", "patient_id", "dermatologist_id", "room_id", "starts_at", "ends_at", "kind"),
    *("status", "cancellation_reason", "patient__first_name", "patient__last_name"),
    *("dermatologist__username", "dermatologist__first_name", "dermatologist__last_name"),
    "room__name",
)


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


def calendar_visits(appointments: AppointmentQuerySet) -> list[Visit]:
    """The queryset's visits, in its order (one query)."""
    people: dict[int, User] = {}
    rooms: dict[int, Room] = {}
    # Visits start and end on a few dozen slot times: convert each instant to local time once.
    local_of: dict[dt.datetime, dt.datetime] = {}
    visits = []
    for row in appointments.values_list(*_COLUMNS):
        (pk, patient_id, derm_id, room_id, starts, ends, kind, status, reason) = row[:9]
        first, last, username, derm_first, derm_last, room_name = row[9:]
        person = people.get(derm_id)
        if person is None:
            person = people[derm_id] = User(
                pk=derm_id, username=username, first_name=derm_first, last_name=derm_last
            )
        room = None
        if room_id is not None:
            room = rooms.get(room_id)
            if room is None:
                room = rooms[room_id] = Room(pk=room_id, name=room_name)
        local_start = local_of.get(starts)
        if local_start is None:
            local_start = local_of[starts] = local(starts)
        local_end = local_of.get(ends)
        if local_end is None:
            local_end = local_of[ends] = local(ends)
        visits.append(
            Visit(
                pk,
                patient_id,
                derm_id,
                room_id,
                starts,
                ends,
                kind,
                status,
                reason,
                VisitPatient(patient_id, first, last),
                person,
                room,
                local_start,
                local_end,
            )
        )
    return visits
