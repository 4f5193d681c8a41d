"""The calendar's pure rules: which status may follow which, what overlaps, what is in hours.

No Django imports: these functions take plain values and are unit-tested without a database.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    IN_TREATMENT = "in_treatment"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


STATUS_LABELS: dict[Status, str] = {
    Status.BOOKED: "Booked",
    Status.CHECKED_IN: "Checked in",
    Status.IN_TREATMENT: "In treatment",
    Status.COMPLETED: "Completed",
    Status.NO_SHOW: "No-show",
    Status.CANCELLED: "Cancelled",
}

# Statuses that hold their slot. A cancelled or missed appointment frees it for someone else.
ACTIVE_STATUSES: frozenset[Status] = frozenset(Status) - {Status.CANCELLED, Status.NO_SHOW}

# Status moves only forward. A checked-in patient who leaves unseen is cancelled with a reason,
# not marked a no-show; a short visit (photos only) may go straight from checked in to completed.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.BOOKED: frozenset({Status.CHECKED_IN, Status.NO_SHOW, Status.CANCELLED}),
    Status.CHECKED_IN: frozenset({Status.IN_TREATMENT, Status.COMPLETED, Status.CANCELLED}),
    Status.IN_TREATMENT: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.NO_SHOW: frozenset(),
    Status.CANCELLED: frozenset(),
}

# A visit is moved to another time or room only before the patient is with the dermatologist.
RESCHEDULABLE: frozenset[Status] = frozenset({Status.BOOKED, Status.CHECKED_IN})

# The dermatologist's own moves: the rest of the visit belongs to the front desk.
CLINICAL_PROGRESS: frozenset[Status] = frozenset({Status.IN_TREATMENT, Status.COMPLETED})


class SchedulingError(Exception):
    """A booking or status change refused for a reason the front desk can act on."""

    @property
    def message(self) -> str:
        return str(self)


class TransitionNotAllowed(SchedulingError):
    pass


class AppointmentClash(SchedulingError):
    """The slot is taken; the message names by whom (patient initials and kind, never notes)."""

    def __init__(self, message: str, *, clashes: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.clashes = clashes


class OutsideClinicHours(SchedulingError):
    """A warning, not a refusal: book again with the front desk's confirmation."""


def can_move(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def check_move(current: str, target: str) -> None:
    """Raises TransitionNotAllowed with a sentence the front desk can act on."""
    if not can_move(current, target):
        now = STATUS_LABELS[Status(current)].lower()
        article = "An" if now[0] in "aeiou" else "A"
        raise TransitionNotAllowed(
            f"{article} {now} appointment cannot be marked {STATUS_LABELS[Status(target)].lower()}."
        )


def is_active(status: str) -> bool:
    return Status(status) in ACTIVE_STATUSES


def overlaps(
    a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime
) -> bool:
    """Half-open intervals [start, end): 10:00-10:30 and 10:30-11:00 touch but do not overlap."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class ClinicHours:
    opens: dt.time
    closes: dt.time
    slot: dt.timedelta
    days: frozenset[int]  # ISO weekdays the clinic is open: 1 Monday .. 7 Sunday


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def outside_hours(local_start: dt.datetime, local_end: dt.datetime, hours: ClinicHours) -> str:
    """Why a visit (in the clinic's local time) falls outside opening hours; "" if it does not."""
    if local_start.isoweekday() not in hours.days:
        return f"The clinic is closed on {WEEKDAY_NAMES[local_start.weekday()]}s."
    window = f"{hours.opens:%H:%M}-{hours.closes:%H:%M}"
    if (
        local_start.time() < hours.opens
        or local_end.date() != local_start.date()
        or local_end.time() > hours.closes
    ):
        return f"{local_start:%H:%M}-{local_end:%H:%M} is outside clinic hours ({window})."
    return ""


def slot_starts(day: dt.date, hours: ClinicHours, duration: dt.timedelta) -> list[dt.datetime]:
    """Naive local start times on `day` at which a visit of `duration` fits inside the hours."""
    starts = []
    at = dt.datetime.combine(day, hours.opens)
    closes = dt.datetime.combine(day, hours.closes)
    while at + duration <= closes:
        starts.append(at)
        at += hours.slot
    return starts


# Usual length of each kind of visit, used to prefill the booking form.
DEFAULT_MINUTES: dict[str, int] = {
    "consultation": 30,
    "scar_assessment": 30,
    "cross": 30,
    "laser": 45,
    "punch": 45,
    "subcision": 45,
    "filler": 30,
    "peel": 30,
    "follow_up": 15,
    "photo_only": 15,
}
