"""Calendar arithmetic for clinical rules: pure, no Django."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day
    (31 Aug + 6 months is 28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day`: a birthday not yet reached this year does not count."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
