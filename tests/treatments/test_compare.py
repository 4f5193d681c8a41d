"""Which two photos the compare page shows (treatments.compare.choose_pair): pure, no database."""

from dataclasses import dataclass

from treatments.compare import choose_pair


@dataclass(frozen=True)
class Photo:
    pk: int
    series_key: tuple[str, str, str]


FRONTAL = ("frontal", "", "diffuse")
SIDE_LIT = ("frontal", "", "side_lit")
LEFT = ("left_oblique", "", "diffuse")


def series():
    return {
        LEFT: [Photo(1, LEFT)],
        FRONTAL: [Photo(2, FRONTAL), Photo(3, FRONTAL), Photo(4, FRONTAL)],
        SIDE_LIT: [Photo(5, SIDE_LIT), Photo(6, SIDE_LIT)],
    }


def test_default_is_baseline_against_latest_of_the_first_series_with_two():
    pair = choose_pair(series())
    assert (pair.key, pair.before.pk, pair.after.pk) == (FRONTAL, 2, 4)
    assert not pair.mismatched


def test_a_chosen_series_and_photos_win():
    pair = choose_pair(series(), series_choice="frontal||side_lit", before_id="6", after_id="5")
    assert (pair.key, pair.before.pk, pair.after.pk) == (SIDE_LIT, 6, 5)


def test_photos_of_different_lighting_are_flagged():
    pair = choose_pair(series(), before_id="2", after_id="6")
    assert pair.mismatched
    assert [p.pk for p in pair.shown] == [2, 6]


def test_unknown_choices_fall_back_to_the_default():
    pair = choose_pair(series(), series_choice="nonsense", before_id="999", after_id="x")
    assert (pair.before.pk, pair.after.pk) == (2, 4)


def test_one_photo_is_shown_once_and_no_photos_show_nothing():
    single = choose_pair({LEFT: [Photo(1, LEFT)]})
    assert [p.pk for p in single.shown] == [1]
    empty = choose_pair({})
    assert (empty.key, empty.before, empty.after, empty.shown) == (None, None, None, [])
