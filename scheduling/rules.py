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
        raise TransitionNotAllowed(_move_refusal(current, target))


def check_in_refusal(status: str, *, day: dt.date, today: dt.date) -> str | None:
    """Why the patient cannot be checked in now; None when they can (on the visit's own day)."""
    if not can_move(status, Status.CHECKED_IN):
        return _move_refusal(status, Status.CHECKED_IN)
    if day != today:
        return f"Check-in opens on the day of the appointment ({day:%a %d %b %Y})."
    return None


def no_show_refusal(status: str, *, starts_at: dt.datetime, now: dt.datetime) -> str | None:
    """Why the visit cannot be marked a no-show now; None once its start time has passed."""
    if not can_move(status, Status.NO_SHOW):
        return _move_refusal(status, Status.NO_SHOW)
    if now < starts_at:
        return "A patient can be marked a no-show only after the start time."
    return None


class Action(StrEnum):
    CHECK_IN = "check_in"
    NO_SHOW = "no_show"
    START_TREATMENT = "in_treatment"
    COMPLETE = "completed"
    CANCEL = "cancelled"
    RESCHEDULE = "reschedule"


def available_actions(
    status: str, *, day: dt.date, today: dt.date, starts_at: dt.datetime, now: dt.datetime
) -> frozenset[Action]:
    """What may be done to a visit now, whoever asks: pages offer these, services enforce them
    (permissions decide who may; this decides whether it can be done at all)."""
    actions = set()
    if check_in_refusal(status, day=day, today=today) is None:
        actions.add(Action.CHECK_IN)
    if no_show_refusal(status, starts_at=starts_at, now=now) is None:
        actions.add(Action.NO_SHOW)
    for action in (Action.START_TREATMENT, Action.COMPLETE, Action.CANCEL):
        if can_move(status, action.value):
            actions.add(action)
    if Status(status) in RESCHEDULABLE:
        actions.add(Action.RESCHEDULE)
    return frozenset(actions)


def _move_refusal(current: str, target: str) -> str:
    now = STATUS_LABELS[Status(current)].lower()
    article = "An" if now[0] in "aeiou" else "A"
    return f"{article} {now} appointment cannot be marked {STATUS_LABELS[Status(target)].lower()}."


# Plain strings: a calendar page asks for every visit of a busy day (no Enum call each time).
_ACTIVE_VALUES = frozenset(status.value for status in ACTIVE_STATUSES)
_KNOWN_VALUES = frozenset(status.value for status in Status)


def is_active(status: str) -> bool:
    if status in _ACTIVE_VALUES:
        return True
    if status not in _KNOWN_VALUES:
        raise ValueError(f"{status!r} is not a valid Status")
    return False


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
