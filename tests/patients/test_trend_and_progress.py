import datetime as dt
from types import SimpleNamespace

import pytest

from patients.progress import change_from, progress_rows
from patients.trend import MARGIN_LEFT, line_panel, nice_ceiling

D1, D2, D3 = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (7, 10), (12, 20), (21, 25), (26, 50), (125, 200), (540, 1000)],
)
def test_nice_ceiling_rounds_up_to_a_readable_axis_maximum(value, expected):
    assert nice_ceiling(value) == expected


def test_points_are_placed_in_proportion_to_time_and_value():
    panel = line_panel(
        [(D1, 100), (D2, 50), (D3, 0)], title="ECCA", scale_max=540, width=400, height=200
    )
    xs = [dot.x for dot in panel.dots]
    assert xs[0] == MARGIN_LEFT
    assert xs[-1] == panel.plot_right
    # February 1 is 31 of 181 days along the axis.
    assert xs[1] == pytest.approx(MARGIN_LEFT + (panel.plot_right - MARGIN_LEFT) * 31 / 181)
    assert panel.y_max == 100
    assert panel.dots[0].y == panel.plot_top
    assert panel.dots[2].y == panel.plot_bottom
    assert [t.label for t in panel.y_ticks] == ["0", "25", "50", "75", "100"]
    assert [t.label for t in panel.x_ticks] == ["01 Jan 26", "01 Feb 26", "01 Jul 26"]


def test_missing_values_are_left_out_but_keep_the_shared_time_axis():
    panel = line_panel([(D1, None), (D2, 6), (D3, None)], title="CADI", scale_max=15)
    assert [(d.day, d.value) for d in panel.dots] == [(D2, 6)]
    # Placed where February sits on the Jan-Jul axis the other panels use, not centred.
    assert panel.dots[0].x == pytest.approx(
        MARGIN_LEFT + (panel.plot_right - MARGIN_LEFT) * 31 / 181
    )


def test_y_axis_stops_at_the_scale_maximum_with_round_ticks():
    panel = line_panel([(D1, 11), (D2, 14)], title="CADI", scale_max=15)
    assert panel.y_max == 15
    assert [t.label for t in panel.y_ticks] == ["0", "5", "10", "15"]


def test_no_values_gives_an_empty_panel():
    panel = line_panel([(D1, None)], title="CADI", scale_max=15)
    assert panel.dots == [] and panel.polyline == ""


def test_many_dates_are_thinned_to_at_most_nine_labels_keeping_the_last():
    days = [D1 + dt.timedelta(days=30 * i) for i in range(40)]
    panel = line_panel([(d, i) for i, d in enumerate(days)], title="ECCA", scale_max=540)
    assert len(panel.dots) == 40
    assert len(panel.x_ticks) <= 9
    assert panel.x_ticks[-1].label == f"{days[-1]:%d %b %y}"


@pytest.mark.parametrize(
    ("baseline", "value", "delta", "percent"),
    [(125, 75, -50, -40.0), (80, 100, 20, 25.0), (30, 30, 0, 0.0), (0, 15, 15, None)],
)
def test_change_from_baseline(baseline, value, delta, percent):
    change = change_from(baseline, value)
    assert (change.delta, change.percent) == (delta, percent)
    assert change.improved is (delta < 0)


def test_change_is_none_when_either_score_is_missing():
    assert change_from(None, 5) is None
    assert change_from(5, None) is None


def _assessment(ecca, gb, cadi=None, dlqi=None):
    return SimpleNamespace(
        ecca_score=ecca, gb_quantitative_score=gb, cadi_score=cadi, dlqi_score=dlqi
    )


def test_progress_rows_compare_with_the_first_assessment_and_first_recorded_cadi():
    first, second, third = (
        _assessment(120, 40),
        _assessment(90, 30, cadi=10),
        _assessment(60, 20, 6),
    )
    rows = progress_rows([first, second, third])
    assert rows[0].is_baseline and rows[0].ecca is None
    assert (rows[1].ecca.delta, rows[1].ecca.percent) == (-30, -25.0)
    assert (rows[2].gb_quantitative.delta, rows[2].gb_quantitative.percent) == (-20, -50.0)
    # CADI was first recorded at the second visit, so that is its baseline.
    assert rows[1].cadi is None
    assert (rows[2].cadi.delta, rows[2].cadi.percent) == (-4, -40.0)
    assert progress_rows([]) == []


@pytest.mark.parametrize(
    "percent",
    [0.0, -0.4, -0.5, 0.5, 12.5, -12.5, 13.5, -30.0, 33.3, -66.7, 99.95, 100.0, -100.0, 250.0]
    + [round(n / 10, 1) for n in range(-1005, 1006, 7)],
)
def test_whole_percent_writes_what_floatformat_writes(percent):
    from django.template.defaultfilters import floatformat

    from patients.templatetags.score_charts import whole_percent

    assert whole_percent(percent) == floatformat(percent, "0")
