"""Response per modality and the report's statistics, on hand-worked data (no database)."""

import datetime as dt

import pytest

from treatments.outcomes import (
    ScoreSnapshot,
    SessionFact,
    nearest_in_window,
    quantile,
    rate_per_100,
    responders,
    response_per_modality,
    summarise,
)

D = dt.date


def snap(day, ecca=None, gb=None, ice_pick=None, cadi=None, dlqi=None):
    return ScoreSnapshot(day, ecca, gb, ice_pick, cadi, dlqi)


SNAPSHOTS = [
    snap(D(2026, 1, 5), ecca=125, gb=17, ice_pick=12, cadi=9, dlqi=12),
    snap(D(2026, 2, 2), ecca=110, gb=15, ice_pick=8, cadi=8),
    snap(D(2026, 4, 6), ecca=80, gb=12, ice_pick=4, cadi=6, dlqi=7),
    snap(D(2026, 6, 1), ecca=60, gb=9, ice_pick=3, cadi=4, dlqi=5),
]
# CROSS on 5 Jan, 2 Feb and 2 Mar; subcision (with CROSS on 2 Mar) on 2 Mar and 11 May.
SESSIONS = [
    SessionFact(D(2026, 1, 5), ("cross",)),
    SessionFact(D(2026, 2, 2), ("cross",)),
    SessionFact(D(2026, 3, 2), ("cross", "subcision")),
    SessionFact(D(2026, 5, 11), ("subcision",)),
]


def by_key(response):
    return {c.key: c for c in response.changes}


def test_cross_before_its_first_session_and_after_four_weeks_past_its_last():
    cross, _subcision = response_per_modality(SNAPSHOTS, SESSIONS)
    assert cross.modality == "cross"
    assert cross.sessions == 3
    assert (cross.first_day, cross.last_day) == (D(2026, 1, 5), D(2026, 3, 2))
    # Same-day assessment counts as before (assessed, then treated).
    assert cross.before.day == D(2026, 1, 5)
    # Last session 2 Mar + 28 days = 30 Mar: the latest assessment from then is 1 Jun.
    assert cross.follow_up_from == D(2026, 3, 30)
    assert cross.after.day == D(2026, 6, 1)
    changes = by_key(cross)
    assert (changes["ecca"].before, changes["ecca"].after, changes["ecca"].delta) == (125, 60, -65)
    assert changes["ecca"].percent == -52.0
    assert changes["ice_pick"].delta == -9
    assert changes["ice_pick"].percent == -75.0
    assert changes["dlqi"].delta == -7


def test_subcision_follow_up_not_yet_due():
    _, subcision = response_per_modality(SNAPSHOTS, SESSIONS)
    # First subcision 2 Mar: the latest assessment on or before is 2 Feb.
    assert subcision.before.day == D(2026, 2, 2)
    # Last subcision 11 May + 28 days = 8 Jun: no assessment yet.
    assert subcision.after is None
    changes = by_key(subcision)
    assert changes["ecca"].before == 110
    assert changes["ecca"].delta is None
    # DLQI was not asked on 2 Feb: no before value, no change.
    assert changes["dlqi"].before is None


def test_assessment_exactly_at_four_weeks_counts_and_a_day_earlier_does_not():
    sessions = [SessionFact(D(2026, 1, 1), ("laser",))]
    at = [snap(D(2026, 1, 1), ecca=100), snap(D(2026, 1, 29), ecca=70)]
    assert response_per_modality(at, sessions)[0].after.day == D(2026, 1, 29)
    early = [snap(D(2026, 1, 1), ecca=100), snap(D(2026, 1, 28), ecca=70)]
    assert response_per_modality(early, sessions)[0].after is None


def test_no_assessment_before_the_first_session():
    sessions = [SessionFact(D(2026, 1, 1), ("peel",))]
    [peel] = response_per_modality([snap(D(2026, 3, 1), ecca=50)], sessions)
    assert peel.before is None
    assert peel.after.day == D(2026, 3, 1)
    assert by_key(peel)["ecca"].delta is None


def test_zero_baseline_has_a_change_but_no_percentage():
    sessions = [SessionFact(D(2026, 1, 1), ("cross",))]
    [cross] = response_per_modality(
        [snap(D(2026, 1, 1), ice_pick=0), snap(D(2026, 3, 1), ice_pick=2)], sessions
    )
    assert by_key(cross)["ice_pick"].delta == 2
    assert by_key(cross)["ice_pick"].percent is None


def test_no_sessions_no_responses():
    assert response_per_modality(SNAPSHOTS, []) == []


# Hand-worked: values -30, -20, -10, 0, 10 (n=5). Type 7: position (n-1)q.
# median: position 2 -> -10; Q1: position 1 -> -20; Q3: position 3 -> 0.
# Even n: -40, -10, -5, 5 (n=4): median position 1.5 -> -7.5; Q1 position 0.75 ->
# -40 + 0.75 * 30 = -17.5; Q3 position 2.25 -> -5 + 0.25 * 10 = -2.5.
@pytest.mark.parametrize(
    ("values", "median", "q1", "q3"),
    [
        ([10, -30, 0, -20, -10], -10, -20, 0),
        ([-5, -40, 5, -10], -7.5, -17.5, -2.5),
        ([7], 7, 7, 7),
    ],
)
def test_median_and_interquartile_range(values, median, q1, q3):
    summary = summarise(values)
    assert (summary.median, summary.q1, summary.q3) == (median, q1, q3)
    assert summary.n == len(values)
    assert summary.small


def test_summary_of_nothing_and_the_small_n_mark():
    assert summarise([]).median is None
    assert summarise([]).small
    assert not summarise(range(10)).small
    assert summarise(range(9)).small


def test_quantile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        quantile([], 0.5)


def test_fifty_percent_responders():
    # (baseline, follow-up): 100->50 is exactly 50 % (responder); 100->51 is not; 40->10 is;
    # 0->0 has no baseline to improve on and is left out of n.
    share = responders([(100, 50), (100, 51), (40, 10), (0, 0)])
    assert (share.count, share.n) == (2, 3)
    assert share.percent == 66.7
    assert share.small
    assert responders([]).percent is None


def test_adverse_events_per_100_sessions():
    assert rate_per_100(3, 40) == 7.5
    assert rate_per_100(0, 0) is None


def test_nearest_assessment_in_window():
    days = [D(2026, 3, 20), D(2026, 4, 10), D(2026, 5, 30)]
    target = D(2026, 4, 1)
    assert nearest_in_window(days, target, window_days=42) == D(2026, 4, 10)
    assert nearest_in_window(days, D(2026, 8, 1), window_days=42) is None
    # A tie goes to the earlier day.
    assert nearest_in_window([D(2026, 1, 1), D(2026, 1, 5)], D(2026, 1, 3), window_days=5) == D(
        2026, 1, 1
    )
