"""Progress timeline geometry (no database)."""

import datetime as dt
import itertools

from treatments.outcomes import ScoreSnapshot
from treatments.timeline import LEFT, RIGHT, WIDTH, TimelineSession, build_timeline, table_rows

D = dt.date


def session(day, *modalities):
    return TimelineSession(
        day, tuple((m, m.title()) for m in modalities), f"{day} summary", f"/s/{day}/"
    )


def test_sessions_photos_and_scores_share_one_time_axis():
    snapshots = [
        ScoreSnapshot(D(2026, 1, 1), ecca=100, gb=20, ice_pick=10, cadi=8, dlqi=None),
        ScoreSnapshot(D(2026, 3, 1), ecca=50, gb=10, ice_pick=None, cadi=4, dlqi=6),
    ]
    sessions = [session(D(2026, 1, 1), "cross", "subcision"), session(D(2026, 2, 1), "laser")]
    timeline = build_timeline(snapshots, sessions, [D(2026, 1, 1), D(2026, 1, 1), D(2026, 5, 1)])

    # The axis runs from 1 Jan to 1 May (photos included).
    assert timeline.sessions[0].x == LEFT
    assert timeline.photos[-1].x == WIDTH - RIGHT
    assert timeline.photos[0].count == 2
    # A combination session shows one mark per modality, stacked.
    marks = timeline.sessions[0].marks
    assert [m.modality for m in marks] == ["cross", "subcision"]
    assert marks[1].y > marks[0].y
    assert [m.letter for m in timeline.sessions[1].marks] == ["L"]
    # Missing values are left out of a line, not drawn as zero.
    ice_pick = timeline.panels[2].lines[0]
    assert [p.value for p in ice_pick.points] == [10]
    cadi, dlqi = timeline.panels[3].lines
    assert [p.value for p in dlqi.points] == [6]
    assert cadi.points[0].x == timeline.sessions[0].x
    # ECCA 100 sits at the top of its panel (axis to 100), 50 halfway down.
    ecca = timeline.panels[0]
    assert ecca.y_max == 100
    assert ecca.lines[0].points[0].y == ecca.top
    assert ecca.lines[0].points[1].y == (ecca.top + ecca.bottom) / 2
    assert timeline.photo_lane_y > timeline.session_lane_y
    assert not timeline.empty


def test_nothing_recorded_is_empty():
    assert build_timeline([], [], []).empty


def test_table_rows_one_per_date():
    snapshots = [ScoreSnapshot(D(2026, 1, 1), ecca=100)]
    rows = table_rows(snapshots, [session(D(2026, 1, 1), "cross")], [D(2026, 2, 1)])
    assert [(r.day, r.photos, len(r.sessions)) for r in rows] == [
        (D(2026, 1, 1), 0, 1),
        (D(2026, 2, 1), 1, 0),
    ]
    assert rows[0].snapshot.ecca == 100
    assert rows[1].snapshot is None


def test_date_labels_never_overlap_and_the_latest_is_always_labelled():
    # An assessment and a session a day apart, then a visit four months later: the two early
    # dates would print on top of each other, so only one of them is labelled.
    snapshots = [
        ScoreSnapshot(D(2026, 4, 4), ecca=135, gb=15, ice_pick=35, cadi=11, dlqi=None),
        ScoreSnapshot(D(2026, 8, 2), ecca=135, gb=15, ice_pick=29, cadi=None, dlqi=None),
    ]
    timeline = build_timeline(snapshots, [session(D(2026, 4, 5), "cross")], [])
    positions = [tick.position for tick in timeline.x_ticks]
    assert all(b - a >= 64 for a, b in itertools.pairwise(positions))
    assert [t.label for t in timeline.x_ticks] == ["04 Apr 26", "02 Aug 26"]
