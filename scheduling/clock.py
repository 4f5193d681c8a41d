"""The clinic's wall clock: opening hours from settings, and local days in the clinic's TIME_ZONE.

Times are stored in UTC; every "day" the calendar talks about is a local day, which is 23 or 25
hours long when the clocks change.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from scheduling.rules import ClinicHours

_DAY_NUMBERS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when the clocks go forward (e.g. 01:30 on the last Sunday of
    March in Europe/London)."""


def clinic_tz() -> ZoneInfo:
    return timezone.get_default_timezone()


def _setting_time(name: str, default: str) -> dt.time:
    raw = getattr(settings, name, default)
    try:
        return dt.time.fromisoformat(str(raw))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time like 08:00; got {raw!r}.") from None


def clinic_hours() -> ClinicHours:
    """CLINIC_OPENS, CLINIC_CLOSES (HH:MM, local), CLINIC_SLOT_MINUTES and CLINIC_DAYS
    (e.g. "mon,tue,wed,thu,fri"); read on each call so tests may override them."""
    opens = _setting_time("CLINIC_OPENS", "08:00")
    closes = _setting_time("CLINIC_CLOSES", "18:00")
    if closes <= opens:
        raise ImproperlyConfigured("CLINIC_CLOSES must be later than CLINIC_OPENS.")
    slot_raw = getattr(settings, "CLINIC_SLOT_MINUTES", 15)
    try:
        slot = int(slot_raw)
    except (TypeError, ValueError):
        slot = 0
    if not 5 <= slot <= 120 or (60 % slot and slot % 60):
        raise ImproperlyConfigured(
            f"CLINIC_SLOT_MINUTES must be 5-120 minutes and divide an hour; got {slot_raw!r}."
        )
    days_raw = getattr(settings, "CLINIC_DAYS", "mon,tue,wed,thu,fri")
    names = [d.strip().lower()[:3] for d in str(days_raw).split(",") if d.strip()]
    if not names or any(name not in _DAY_NUMBERS for name in names):
        raise ImproperlyConfigured(
            f"CLINIC_DAYS must list days like mon,tue,wed,thu,fri; got {days_raw!r}."
        )
    return ClinicHours(
        opens=opens,
        closes=closes,
        slot=dt.timedelta(minutes=slot),
        days=frozenset(_DAY_NUMBERS[name] for name in names),
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(clinic_tz())


def today() -> dt.date:
    return timezone.now().astimezone(clinic_tz()).date()


def local_datetime(day: dt.date, at: dt.time, tz: ZoneInfo | None = None) -> dt.datetime:
    """The instant (in UTC) of a wall-clock time on a local day.

    A time the clocks skip raises NonexistentLocalTime. A repeated time (the hour the clocks go
    back) means its first occurrence, still in summer time. UTC, because Python compares and
    subtracts two datetimes in the same zone by their wall clocks, which is wrong across a change.
    """
    tz = tz or clinic_tz()
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(
            f"{at:%H:%M} does not exist on {day:%d %b %Y}: the clocks go forward that night."
        )
    return aware.astimezone(dt.UTC)


def day_bounds(day: dt.date, tz: ZoneInfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[local midnight, next local midnight) as aware instants: 23 or 25 hours on change days."""
    tz = tz or clinic_tz()
    start = dt.datetime.combine(day, dt.time.min).replace(tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min).replace(tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def plus(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """Elapsed time, not wall-clock time: an hour across a clock change is still an hour."""
    return start.astimezone(dt.UTC) + duration


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
