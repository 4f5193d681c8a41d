"""The calendar table: each visit spans its slots, empty slots link to a prefilled booking."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from scheduling.calendar import Column, _booking_links, build_grid
from scheduling.models import Appointment
from scheduling.rules import ClinicHours
from tests.scheduling.conftest import MONDAY, at

HOURS = ClinicHours(
    opens=dt.time(8), closes=dt.time(18), slot=dt.timedelta(minutes=15), days=frozenset(range(1, 6))
)


def visit(column: int, start: str, end: str) -> Appointment:
    # Unsaved: the grid needs only times and a column.
    return Appointment(
        dermatologist_id=column, starts_at=at(MONDAY, start), ends_at=at(MONDAY, end)
    )


def grid_for(*visits, bookable_from=None):
    columns = [Column(key=1, label="Dr A", day=MONDAY), Column(key=2, label="Dr B", day=MONDAY)]
    return build_grid(
        columns=columns,
        appointments=visits,
        column_of=lambda a: a.dermatologist_id,
        hours=HOURS,
        book_url=lambda column, start: f"/book?d={column.key}&at={start:%H:%M}",
        bookable_from=bookable_from,
    )


def row_at(grid, hhmm: str):
    return next(r for r in grid.rows if r.at == dt.time.fromisoformat(hhmm))


def test_the_grid_covers_clinic_hours_in_slots():
    grid = grid_for()
    assert (grid.rows[0].at, grid.rows[-1].at, len(grid.rows)) == (dt.time(8), dt.time(17, 45), 40)
    assert all(len(r.cells) == 2 for r in grid.rows)


def test_a_visit_spans_its_slots_and_the_rows_it_covers_have_no_cell_for_it():
    grid = grid_for(visit(1, "10:00", "10:45"))
    block = row_at(grid, "10:00").cells[0]
    assert (block.rowspan, block.column.key) == (3, 1)
    for covered in ("10:15", "10:30"):
        assert [c.column.key for c in row_at(grid, covered).cells] == [2]
    assert len(row_at(grid, "10:45").cells) == 2


def test_empty_slots_link_to_a_prefilled_booking():
    cell = row_at(grid_for(), "14:15").cells[1]
    assert cell.book_url == "/book?d=2&at=14:15"


def test_days_before_bookable_from_have_no_booking_links():
    grid = grid_for(bookable_from=MONDAY + dt.timedelta(days=1))
    assert not any(cell.book_url for row in grid.rows for cell in row.cells)


def test_a_visit_off_the_slot_pattern_covers_every_slot_it_touches():
    block = row_at(grid_for(visit(1, "10:05", "10:20")), "10:00").cells[0]
    assert block.rowspan == 2


def test_visits_sharing_a_slot_after_rounding_share_one_cell():
    grid = grid_for(visit(1, "10:00", "10:05"), visit(1, "10:05", "10:30"))
    block = row_at(grid, "10:00").cells[0]
    assert len(block.appointments) == 2
    assert block.rowspan == 2


def test_the_grid_stretches_to_show_a_visit_outside_hours():
    grid = grid_for(visit(2, "07:30", "08:00"), visit(1, "18:00", "18:40"))
    assert grid.rows[0].at == dt.time(7, 30)
    assert grid.rows[-1].at == dt.time(18, 30)
    assert not grid.rows[0].in_hours
    assert row_at(grid, "07:30").cells[1].appointments


@pytest.mark.parametrize("params", [{}, {"dermatologist": "7"}, {"room": "12", "note": "a&b c/é"}])
@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 6, 8, 0, 0),
        dt.datetime(2026, 6, 8, 9, 5),
        dt.datetime(2026, 12, 31, 23, 45),
        dt.datetime(1976, 1, 2, 7, 30),
    ],
)
def test_a_booking_link_is_what_urlencode_writes(params, moment):
    column = Column(key=1, label="Dr A", day=moment.date(), book_params=params)
    book_url = _booking_links()
    book_url(column, moment + dt.timedelta(hours=1))  # the column's address is kept
    expected = urlencode({**params, "starts_at": moment.strftime("%Y-%m-%dT%H:%M")})
    assert book_url(column, moment) == f"{reverse('scheduling:book')}?{expected}"
