"""The outcomes report's figures on a small hand-worked data set (no database).

Patients (Fitzpatrick type):
  1 (II)   CROSS 1 Jan 2026.                 ECCA/G&B 20 Dec 2025 100/20, 1 Apr 60/15, 1 Jul 40/10
  2 (V)    CROSS + subcision 1 Jan 2026.     1 Jan 80/16, 10 Apr 60/12, 10 Jul 50/12
  3 (III)  CROSS 1 Feb and 1 Mar 2026, PIH after the first.   1 Feb 50/-, 1 May 20/-
  4 (none) laser 1 Jan 2026.                 1 Jan 30/6, 30 Aug 10/2 (outside both windows)

CROSS, all: 3 patients, 4 sessions (1.3 per patient).
  3 months (target +91 days, +/- 42): changes -40, -20, -30 -> median -30, Q1 -35, Q3 -25;
  responders (>= 50 % of baseline): 40 %, 25 %, 60 % -> 1 of 3.  G&B: -5, -4 -> median -4.5.
  6 months: -60, -30 -> median -45, Q1 -52.5, Q3 -37.5; responders 60 %, 37.5 % -> 1 of 2.
  PIH: 1 in 4 sessions -> 25 per 100.
"""

import datetime as dt

from treatments.outcomes import Assessment, ReportSession, report_rows

D = dt.date
MODALITIES = ["cross", "laser", "punch", "subcision", "filler", "peel"]

SESSIONS = [
    ReportSession(1, 1, D(2026, 1, 1), 2, frozenset({"cross"})),
    ReportSession(2, 2, D(2026, 1, 1), 5, frozenset({"cross", "subcision"})),
    ReportSession(3, 3, D(2026, 2, 1), 3, frozenset({"cross"}), ("pih",)),
    ReportSession(4, 3, D(2026, 3, 1), 3, frozenset({"cross"})),
    ReportSession(5, 4, D(2026, 1, 1), None, frozenset({"laser"})),
]
ASSESSMENTS = {
    1: [
        Assessment(D(2025, 12, 20), 100, 20),
        Assessment(D(2026, 4, 1), 60, 15),
        Assessment(D(2026, 7, 1), 40, 10),
    ],
    2: [
        Assessment(D(2026, 1, 1), 80, 16),
        Assessment(D(2026, 4, 10), 60, 12),
        Assessment(D(2026, 7, 10), 50, 12),
    ],
    3: [Assessment(D(2026, 2, 1), 50, None), Assessment(D(2026, 5, 1), 20, None)],
    4: [Assessment(D(2026, 1, 1), 30, 6), Assessment(D(2026, 8, 30), 10, 2)],
}


def rows():
    return {(r.group, r.band): r for r in report_rows(SESSIONS, ASSESSMENTS, MODALITIES)}


def test_cross_all_skin_types():
    cross = rows()[("cross", "all")]
    assert (cross.patients, cross.sessions, cross.sessions_per_patient) == (3, 4, 1.3)
    three, six = cross.follow_ups
    assert (three.ecca.n, three.ecca.median, three.ecca.q1, three.ecca.q3) == (3, -30, -35, -25)
    assert (three.gb.n, three.gb.median) == (2, -4.5)
    assert (three.ecca_responders.count, three.ecca_responders.n) == (1, 3)
    assert (six.ecca.n, six.ecca.median, six.ecca.q1, six.ecca.q3) == (2, -45, -52.5, -37.5)
    assert (six.ecca_responders.count, six.ecca_responders.n) == (1, 2)
    assert six.ecca_responders.percent == 50.0
    assert cross.adverse_events == (("pih", 1, 25.0),)
    # Every figure here comes from fewer than 10 patients: marked.
    assert cross.small and three.ecca.small and six.ecca_responders.small


def test_split_by_fitzpatrick_band():
    light, dark = rows()[("cross", "I-III")], rows()[("cross", "IV-VI")]
    assert (light.patients, light.sessions) == (2, 3)
    assert dark.patients == 1
    assert light.follow_ups[0].ecca.median == -35  # -40 and -30
    assert dark.follow_ups[1].ecca.median == -30
    assert dark.adverse_events == ()


def test_combination_and_no_follow_up_in_window():
    found = rows()
    combo = found[("cross+subcision", "all")]
    assert (combo.patients, combo.sessions) == (1, 1)
    assert found[("subcision", "all")].patients == 1
    laser = found[("laser", "all")]
    assert laser.patients == 1
    assert laser.follow_ups[0].ecca.n == 0 and laser.follow_ups[1].ecca.median is None
    # Modalities nobody received get no rows; each group has all + two bands.
    assert ("peel", "all") not in found
    assert len(found) == 4 * 3
