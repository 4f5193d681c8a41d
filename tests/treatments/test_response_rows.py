"""The response per modality's rows, written in Python (treatments.timeline_html.response_rows):
what the chart and the progress summary show for each modality."""

import datetime as dt

from treatments.outcomes import ModalityResponse, ScoreChange, ScoreSnapshot
from treatments.timeline_html import response_rows

JAN, MAR, JUN = dt.date(2026, 1, 5), dt.date(2026, 3, 2), dt.date(2026, 6, 1)


def snapshot(day: dt.date) -> ScoreSnapshot:
    return ScoreSnapshot(day, 120, 30, 12, 9, 11)


def test_a_finished_course_shows_its_dates_and_each_change():
    changes = (
        ScoreChange("ecca", "ECCA", 120, 90),
        ScoreChange("gb", "G&B", 30, 30),
        ScoreChange("ice_pick", "Ice pick", 0, 4),
        ScoreChange("cadi", "CADI", None, 6),
    )
    cross = ModalityResponse("cross", 3, JAN, MAR, snapshot(JAN), snapshot(JUN), changes)
    html = response_rows([("CROSS <TCA>", cross)])
    assert html.startswith('<tr data-response="cross"><th scope="row">CROSS &lt;TCA&gt;</th>')
    assert "<td>3 (5 Jan 2026 to 2 Mar 2026)</td><td>5 Jan 2026</td><td>1 Jun 2026</td>" in html
    assert '<td>120 → 90 <strong class="change-better">(-30, -25.0 %)</strong></td>' in html
    assert '<td>30 → 30 <strong class="">(+0, +0.0 %)</strong></td>' in html
    # No percentage of nothing, and no change without a value before.
    assert '<td>0 → 4 <strong class="change-worse">(+4)</strong></td>' in html
    assert "<td>- → 6</td>" in html


def test_a_course_without_a_follow_up_yet_says_from_when():
    unscored = (ScoreChange("ecca", "ECCA", None, None),)
    laser = ModalityResponse("laser", 1, MAR, MAR, None, None, unscored)
    html = response_rows([("Laser", laser)])
    assert "<td>1 (2 Mar 2026)</td>" in html
    assert '<td><span class="text-secondary">none</span></td>' in html
    assert f"not yet (from {laser.follow_up_from.day} " in html
    assert "<td>- → -</td></tr>" in html
