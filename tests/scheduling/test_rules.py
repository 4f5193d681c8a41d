"""The calendar's pure rules: status transitions, overlap at the edges, clinic hours."""

import datetime as dt
from itertools import product

import pytest

from scheduling import rules
from scheduling.rules import (
    ACTIVE_STATUSES,
    ClinicHours,
    Status,
    TransitionNotAllowed,
    can_move,
    check_move,
    outside_hours,
    overlaps,
    slot_starts,
)

# Written out by hand, not copied from TRANSITIONS, so a change in what may follow what is a
# visible diff here too. Everything not listed is refused.
ALLOWED_MOVES = {
    ("booked", "checked_in"),
    ("booked", "no_show"),
    ("booked", "cancelled"),
    ("checked_in", "in_treatment"),
    ("checked_in", "completed"),
    ("checked_in", "cancelled"),
    ("in_treatment", "completed"),
}
ALL_PAIRS = list(product([s.value for s in Status], repeat=2))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s)
def test_status_moves_only_along_the_allowed_transitions(current, target):
    allowed = (current, target) in ALLOWED_MOVES

    assert can_move(current, target) is allowed
    if allowed:
        check_move(current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_move(current, target)


@pytest.mark.parametrize("terminal", ["completed", "no_show", "cancelled"])
def test_closed_appointments_never_move_again(terminal):
    assert not any(can_move(terminal, target) for target in Status)


def test_no_status_moves_backwards_or_to_itself():
    order = ["booked", "checked_in", "in_treatment", "completed"]
    for earlier, later in product(order, repeat=2):
        if order.index(later) <= order.index(earlier):
            assert not can_move(earlier, later)


def test_refusal_names_both_statuses():
    with pytest.raises(
        TransitionNotAllowed, match="A cancelled appointment cannot be marked completed"
    ):
        check_move("cancelled", "completed")


def test_cancelled_and_no_show_free_their_slot():
    assert {s.value for s in Status} - {s.value for s in ACTIVE_STATUSES} == {
        "cancelled",
        "no_show",
    }


def t(hhmm: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 6, 8), dt.time.fromisoformat(hhmm))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (("10:00", "10:30"), ("10:30", "11:00"), False),  # touching: end meets start
        (("10:30", "11:00"), ("10:00", "10:30"), False),  # touching, other order
        (("10:00", "10:30"), ("10:29", "11:00"), True),  # one minute shared
        (("10:00", "10:30"), ("09:45", "10:01"), True),
        (("10:00", "10:30"), ("10:00", "10:30"), True),  # the same slot
        (("10:00", "11:00"), ("10:15", "10:30"), True),  # inside
        (("10:15", "10:30"), ("10:00", "11:00"), True),  # around
        (("10:00", "10:30"), ("11:00", "11:30"), False),  # apart
    ],
)
def test_overlap_is_half_open(first, second, expected):
    assert overlaps(t(first[0]), t(first[1]), t(second[0]), t(second[1])) is expected


HOURS = ClinicHours(
    opens=dt.time(8), closes=dt.time(18), slot=dt.timedelta(minutes=15), days=frozenset(range(1, 6))
)


@pytest.mark.parametrize(
    ("start", "end", "warning"),
    [
        ("08:00", "08:30", ""),
        ("17:30", "18:00", ""),  # ends as the clinic closes
        ("07:45", "08:15", "07:45-08:15 is outside clinic hours (08:00-18:00)."),
        ("17:45", "18:15", "17:45-18:15 is outside clinic hours (08:00-18:00)."),
    ],
)
def test_outside_hours_warns_only_outside_opening_times(start, end, warning):
    assert outside_hours(t(start), t(end), HOURS) == warning


def test_outside_hours_warns_on_a_closed_day():
    saturday = dt.datetime(2026, 6, 13, 10, 0)
    assert outside_hours(saturday, saturday + dt.timedelta(minutes=30), HOURS) == (
        "The clinic is closed on Saturdays."
    )


def test_a_visit_running_past_midnight_is_outside_hours():
    start = t("17:45")
    assert outside_hours(start, start + dt.timedelta(hours=7), HOURS) != ""


def test_slot_starts_fit_the_visit_inside_the_day():
    starts = slot_starts(dt.date(2026, 6, 8), HOURS, dt.timedelta(minutes=30))
    assert starts[0] == t("08:00")
    assert starts[1] == t("08:15")
    assert starts[-1] == t("17:30")
    assert len(starts) == 39


# What may be done to a visit now: one pure rule the pages and the services share.
NOON = dt.datetime(2026, 6, 8, 12, 0, tzinfo=dt.UTC)
TODAY = NOON.date()


@pytest.mark.parametrize(
    ("status", "day", "expected"),
    [
        ("booked", TODAY, None),
        ("booked", TODAY - dt.timedelta(days=1), "Check-in opens on the day of the appointment"),
        ("booked", TODAY + dt.timedelta(days=1), "Check-in opens on the day of the appointment"),
        ("checked_in", TODAY, "A checked in appointment cannot be marked checked in."),
        ("cancelled", TODAY, "A cancelled appointment cannot be marked checked in."),
    ],
)
def test_check_in_refusal(status, day, expected):
    refusal = rules.check_in_refusal(status, day=day, today=TODAY)
    assert refusal == expected or (expected and refusal.startswith(expected))


@pytest.mark.parametrize(
    ("status", "minutes_after_start", "allowed"),
    [("booked", -1, False), ("booked", 0, True), ("booked", 30, True), ("checked_in", 30, False)],
)
def test_no_show_refusal(status, minutes_after_start, allowed):
    starts = NOON - dt.timedelta(minutes=minutes_after_start)
    assert (rules.no_show_refusal(status, starts_at=starts, now=NOON) is None) == allowed


@pytest.mark.parametrize(
    ("status", "starts_in_minutes", "expected"),
    [
        ("booked", 60, {"check_in", "cancelled", "reschedule"}),
        ("booked", -5, {"check_in", "no_show", "cancelled", "reschedule"}),
        ("checked_in", -5, {"in_treatment", "completed", "cancelled", "reschedule"}),
        ("in_treatment", -5, {"completed"}),
        ("completed", -5, set()),
        ("no_show", -5, set()),
        ("cancelled", 60, set()),
    ],
)
def test_available_actions(status, starts_in_minutes, expected):
    starts = NOON + dt.timedelta(minutes=starts_in_minutes)
    actions = rules.available_actions(status, day=TODAY, today=TODAY, starts_at=starts, now=NOON)
    assert {a.value for a in actions} == expected


def test_a_booked_visit_on_another_day_cannot_be_checked_in():
    tomorrow = TODAY + dt.timedelta(days=1)
    actions = rules.available_actions(
        "booked", day=tomorrow, today=TODAY, starts_at=NOON + dt.timedelta(days=1), now=NOON
    )
    assert rules.Action.CHECK_IN not in actions
