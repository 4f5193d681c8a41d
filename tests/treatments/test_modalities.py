"""Unit tests for treatments.modalities: the clinic's default intervals, pinned to DOMAIN.md.

Pure Python: no Django and no database, so these run with plain pytest.
"""

from __future__ import annotations

import datetime as dt

import pytest

from treatments.modalities import (
    INTERVAL_DAYS,
    MODALITY_LABELS,
    IntervalKind,
    Modality,
    minimum_interval,
    suggest_next_session,
    usual_interval,
)

SESSION_DAY = dt.date(2026, 3, 15)

# ---------------------------------------------------------------------------------------------
# Usual and minimum intervals (DOMAIN.md, "Treatments and what a clinician records")
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        pytest.param(IntervalKind.CROSS, 28, id="CROSS every 4 weeks"),
        pytest.param(IntervalKind.LASER_ABLATIVE, 28, id="ablative fractional laser 4 weeks"),
        pytest.param(IntervalKind.LASER_NON_ABLATIVE, 21, id="non-ablative laser 3 weeks"),
        pytest.param(IntervalKind.PEEL_SUPERFICIAL, 14, id="superficial peel 2 weeks"),
        pytest.param(IntervalKind.PEEL_MEDIUM, 90, id="medium-depth peel about 3 months"),
        pytest.param(IntervalKind.SUBCISION, 28, id="subcision about 4 weeks"),
        pytest.param(IntervalKind.PUNCH, 42, id="punch then resurfacing 6 weeks (4-8)"),
        pytest.param(IntervalKind.FILLER, 28, id="filler series 4 weeks"),
    ],
)
def test_usual_interval_matches_domain(kind, days):
    assert usual_interval(kind) == dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        pytest.param(IntervalKind.CROSS, 14, id="CROSS not before 2 weeks"),
        pytest.param(IntervalKind.LASER_ABLATIVE, 28, id="ablative laser not before 4 weeks"),
        pytest.param(IntervalKind.LASER_NON_ABLATIVE, 21, id="non-ablative not before 3 weeks"),
        pytest.param(IntervalKind.PEEL_SUPERFICIAL, 14, id="superficial peel not before 2 weeks"),
        pytest.param(IntervalKind.PEEL_MEDIUM, 90, id="medium peel not before 3 months"),
        pytest.param(IntervalKind.SUBCISION, 21, id="subcision not before 3 weeks"),
        pytest.param(IntervalKind.PUNCH, 28, id="resurfacing not before 4 weeks after punch"),
        pytest.param(IntervalKind.FILLER, 28, id="filler not before 4 weeks"),
    ],
)
def test_minimum_interval_matches_domain(kind, days):
    assert minimum_interval(kind) == dt.timedelta(days=days)


def test_every_interval_kind_has_intervals():
    assert set(INTERVAL_DAYS) == set(IntervalKind)


@pytest.mark.parametrize("kind", list(IntervalKind), ids=lambda kind: kind.value)
def test_minimum_interval_is_never_longer_than_usual(kind):
    assert dt.timedelta(days=1) <= minimum_interval(kind) <= usual_interval(kind)


# ---------------------------------------------------------------------------------------------
# Next session: the longest usual interval of what was done today
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        pytest.param(
            [IntervalKind.CROSS], SESSION_DAY + dt.timedelta(days=28), id="CROSS alone +4 weeks"
        ),
        pytest.param(
            [IntervalKind.CROSS, IntervalKind.SUBCISION],
            SESSION_DAY + dt.timedelta(days=28),
            id="CROSS + subcision +28 days",
        ),
        pytest.param(
            [IntervalKind.PEEL_SUPERFICIAL, IntervalKind.LASER_NON_ABLATIVE],
            SESSION_DAY + dt.timedelta(days=21),
            id="superficial peel + non-ablative laser +21 days (the longer)",
        ),
        pytest.param(
            [IntervalKind.LASER_NON_ABLATIVE, IntervalKind.PEEL_SUPERFICIAL],
            SESSION_DAY + dt.timedelta(days=21),
            id="order does not matter: non-ablative laser + superficial peel +21 days",
        ),
        pytest.param(
            [IntervalKind.SUBCISION, IntervalKind.PUNCH, IntervalKind.FILLER],
            SESSION_DAY + dt.timedelta(days=42),
            id="subcision + punch + filler +6 weeks (punch is longest)",
        ),
        pytest.param(
            [IntervalKind.CROSS, IntervalKind.PEEL_MEDIUM],
            SESSION_DAY + dt.timedelta(days=90),
            id="CROSS + medium-depth peel +90 days",
        ),
        pytest.param([], None, id="nothing done: no next session suggested"),
    ],
)
def test_suggest_next_session_takes_longest_usual_interval(kinds, expected):
    assert suggest_next_session(SESSION_DAY, kinds) == expected


def test_suggest_next_session_accepts_any_iterable():
    kinds = (kind for kind in [IntervalKind.PEEL_SUPERFICIAL, IntervalKind.CROSS])
    assert suggest_next_session(SESSION_DAY, kinds) == dt.date(2026, 4, 12)


# ---------------------------------------------------------------------------------------------
# Labels shown to clinicians
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modality", "label"),
    [
        pytest.param(Modality.CROSS, "CROSS (TCA)", id="CROSS"),
        pytest.param(Modality.LASER, "Laser", id="laser"),
        pytest.param(Modality.PUNCH, "Punch excision / elevation / graft", id="punch"),
        pytest.param(Modality.SUBCISION, "Subcision", id="subcision"),
        pytest.param(Modality.FILLER, "Filler", id="filler"),
        pytest.param(Modality.PEEL, "Chemical peel", id="chemical peel"),
    ],
)
def test_modality_label_is_human_readable(modality, label):
    assert modality.label == label
    assert modality.label != modality.value  # not the stored code


def test_every_modality_has_a_label():
    assert set(MODALITY_LABELS) == set(Modality)
