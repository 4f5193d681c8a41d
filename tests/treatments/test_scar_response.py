"""Per-scar response to CROSS and the punch suggestion (pure rules)."""

import datetime as dt

from treatments.scar_response import (
    ScarFacts,
    cross_response,
    is_punch_candidate,
    responded_after,
    response_by_modality,
    session_bucket,
)

D = dt.date(2026, 1, 5)


def day(weeks: int) -> dt.date:
    return D + dt.timedelta(weeks=weeks)


def scar(n, sessions, statuses=(), *, scar_type="ice_pick", status="active", **kw) -> ScarFacts:
    return ScarFacts(
        number=n,
        scar_type=scar_type,
        status=status,
        treatments=tuple(("cross", day(4 * i)) for i in range(sessions)),
        statuses=tuple(statuses),
        **kw,
    )


def test_responded_after_counts_sessions_before_the_status():
    # Sessions at weeks 0, 4, 8; improved recorded at week 8 (before that day's session): 2.
    assert responded_after(scar(1, 3, [("active", day(0)), ("improved", day(8))])) == 2
    assert responded_after(scar(1, 3, [("resolved", day(9))])) == 3


def test_no_response_without_a_session_before_it():
    assert responded_after(scar(1, 0, [("improved", day(1))])) is None
    assert responded_after(scar(1, 2, [("improved", day(0))])) is None  # same day as the first
    assert responded_after(scar(1, 2, [("active", day(5))])) is None


def test_cross_response_is_cumulative():
    scars = [
        scar(1, 1, [("improved", day(2))]),  # improved after 1, no more sessions
        scar(2, 2, [("improved", day(5))]),  # improved after 2
        scar(3, 3, [("resolved", day(10))]),  # after 3
        scar(4, 3),  # no response after 3
        scar(5, 1),  # one session, no response yet: counts at step 1 only
        scar(6, 3, [("improved", day(10))], scar_type="boxcar"),  # not ice pick
    ]
    steps = cross_response(scars)
    assert [(s.label, s.responded, s.of) for s in steps] == [
        ("1", 1, 5),
        ("2", 2, 4),
        ("3+", 3, 4),
    ]
    assert steps[2].percent == 75


def test_cross_response_with_no_scars():
    assert [s.percent for s in cross_response([])] == [None, None, None]


def test_punch_candidate_after_three_sessions_still_active():
    assert is_punch_candidate(scar(1, 3))
    assert not is_punch_candidate(scar(1, 2))
    assert not is_punch_candidate(scar(1, 3, status="improved"))
    assert not is_punch_candidate(scar(1, 3, scar_type="rolling"))
    assert not is_punch_candidate(scar(1, 3, suggestion_dismissed=True))
    punched = ScarFacts(1, "ice_pick", "active", (*scar(1, 3).treatments, ("punch", day(13))))
    assert not is_punch_candidate(punched)


def test_session_buckets():
    assert [session_bucket(n) for n in (1, 2, 3, 7)] == ["1", "2", "3+", "3+"]


def test_response_by_modality():
    rows = response_by_modality(
        [
            ("improved", [("cross", 1)]),
            ("active", [("cross", 1)]),
            ("resolved", [("cross", 4), ("punch", 1)]),
            ("active", [("cross", 0)]),
        ],
        ["cross", "punch"],
    )
    table = {(r.modality, r.sessions): (r.scars, r.responded, r.percent) for r in rows}
    assert table[("cross", "1")] == (2, 1, 50)
    assert table[("cross", "2")] == (0, 0, None)
    assert table[("cross", "3+")] == (1, 1, 100)
    assert table[("punch", "1")] == (1, 1, 100)
