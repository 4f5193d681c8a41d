"""Planning a course of treatment (e.g. five CROSS sessions every 4 to 6 weeks), without a database.

The service gathers what is already booked for the dermatologist, room and patient; this module
proposes one slot per session. Each session is wanted at the same time of day, `min_weeks` after
the previous one; if that slot is taken, the nearest free slot (in clinic hours) between
`min_weeks` and `max_weeks` after the previous session is offered instead: the nearest day first,
then the time nearest the usual time of day.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduling.rules import ClinicHours, outside_hours, overlaps, slot_starts


@dataclass(frozen=True)
class Busy:
    """An interval already taken, with the sentence that says by whom."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class PlannedSlot:
    number: int
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime
    wanted_at: dt.datetime  # the slot the interval asked for
    clash: str  # why the wanted slot could not be used; "" if it could
    outside_hours: str  # a warning the front desk confirms; "" if in hours
    available: bool  # False: nothing free in the interval range

    @property
    def moved(self) -> bool:
        return self.available and self.starts_at != self.wanted_at


def _aware(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    # In UTC: Python compares two datetimes of one zone by wall clock, wrong across a change.
    return naive.replace(tzinfo=tz).astimezone(dt.UTC)


def _first_clash(start: dt.datetime, end: dt.datetime, busy: list[Busy]) -> Busy | None:
    return next((b for b in busy if overlaps(start, end, b.starts_at, b.ends_at)), None)


def _end(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    # Elapsed time, not wall-clock time: a visit across a clock change still lasts `duration`.
    return start.astimezone(dt.UTC) + duration


def _nearest_free(
    wanted: dt.datetime,
    days: list[dt.date],
    duration: dt.timedelta,
    busy: list[Busy],
    hours: ClinicHours,
    tz: ZoneInfo,
) -> dt.datetime | None:
    naive_wanted = wanted.astimezone(tz).replace(tzinfo=None)
    candidates = [
        start
        for day in days
        if day.isoweekday() in hours.days
        for start in slot_starts(day, hours, duration)
    ]

    # Nearest day first, then the time of day nearest the usual one; on a tie the earlier slot,
    # so the interval is never stretched needlessly.
    def distance(start: dt.datetime) -> tuple[int, float, dt.datetime]:
        days = abs((start.date() - naive_wanted.date()).days)
        time_of_day = start.replace(year=2000, month=1, day=1)
        usual = naive_wanted.replace(year=2000, month=1, day=1)
        return days, abs((time_of_day - usual).total_seconds()), start

    candidates.sort(key=distance)
    for naive in candidates:
        start = _aware(naive, tz)
        if _first_clash(start, _end(start, duration), busy) is None:
            return start
    return None


def plan_series(
    *,
    first_start: dt.datetime,
    duration: dt.timedelta,
    count: int,
    min_weeks: int,
    max_weeks: int,
    busy: list[Busy],
    hours: ClinicHours,
    tz: ZoneInfo,
) -> list[PlannedSlot]:
    if count < 1 or min_weeks < 1 or max_weeks < min_weeks:
        raise ValueError("Need at least one session and 1 <= min_weeks <= max_weeks.")
    first_local = first_start.astimezone(tz)
    time_of_day = first_local.time().replace(tzinfo=None)
    plan: list[PlannedSlot] = []
    previous_day = first_local.date()
    for number in range(1, count + 1):
        if number == 1:
            wanted = first_start.astimezone(dt.UTC)
            window = [previous_day]
        else:
            earliest = previous_day + dt.timedelta(weeks=min_weeks)
            latest = previous_day + dt.timedelta(weeks=max_weeks)
            wanted = _aware(dt.datetime.combine(earliest, time_of_day), tz)
            window = [earliest + dt.timedelta(days=n) for n in range((latest - earliest).days + 1)]
        clash = _first_clash(wanted, _end(wanted, duration), busy)
        start: dt.datetime | None = wanted
        if clash is not None:
            start = _nearest_free(wanted, window, duration, busy, hours, tz)
        chosen = start or wanted
        end = _end(chosen, duration)
        plan.append(
            PlannedSlot(
                number=number,
                starts_at=chosen,
                ends_at=end,
                wanted_at=wanted,
                clash=clash.reason if clash else "",
                outside_hours=outside_hours(chosen.astimezone(tz), end.astimezone(tz), hours),
                available=start is not None,
            )
        )
        previous_day = chosen.astimezone(tz).date()
    return plan
