"""The chart's trend panels and change badges, written in Python (patients.templatetags)."""

import datetime as dt

from django.template import Context, Template

from patients.progress import Change
from patients.templatetags.score_charts import score_change, trend_panels
from patients.trend import line_panel


def test_score_change_colours_by_direction_and_rounds_the_percentage_like_floatformat():
    assert score_change(Change(-12, -30.0)) == '<div class="small change-better">-12 (-30%)</div>'
    assert score_change(Change(5, 12.5)) == '<div class="small change-worse">+5 (+13%)</div>'
    assert score_change(Change(0, 0.0)) == '<div class="small text-secondary">0 (0%)</div>'
    assert score_change(Change(3, None)) == '<div class="small change-worse">+3</div>'
    assert score_change(None) == ""


def test_trend_panels_draw_every_dot_with_its_date_and_escape_the_title():
    days = [dt.date(2025, 1, 6), dt.date(2025, 3, 3)]
    panel = line_panel(list(zip(days, [120, 90], strict=True)), title="<b>ECCA</b>", scale_max=540)
    html = str(trend_panels([panel]))
    assert html.count('class="trend-dot trend-line-1"') == 2
    assert "<title>6 Jan 2025: 120</title>" in html and "<title>3 Mar 2025: 90</title>" in html
    assert "&lt;b&gt;ECCA&lt;/b&gt; by assessment date; 6 Jan 2025: 120; 3 Mar 2025: 90" in html
    assert "<b>" not in html


def test_an_empty_panel_says_not_recorded():
    panel = line_panel([(dt.date(2025, 1, 6), None)], title="CADI (0-15)", scale_max=15)
    html = Template("{% load score_charts %}{% trend_panels panels %}").render(
        Context({"panels": [panel]})
    )
    assert "CADI (0-15) by assessment date: not recorded" in html
    assert 'class="trend-empty">Not recorded yet</text>' in html
