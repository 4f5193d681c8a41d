"""The face diagram's geometry: bounds and the region under a position, per view."""

import pytest

from patients.models import FacialRegion
from treatments import facemap
from treatments.facemap import FaceView, region_at


@pytest.mark.parametrize(
    ("view", "x", "y", "region"),
    [
        # Frontal, as the clinician faces the patient: the patient's right is the drawing's left.
        ("frontal", 0.5, 0.2, "forehead"),
        ("frontal", 0.5, 0.5, "nose"),
        ("frontal", 0.3, 0.55, "right_cheek"),
        ("frontal", 0.7, 0.55, "left_cheek"),
        ("frontal", 0.15, 0.3, "right_temple"),
        ("frontal", 0.85, 0.3, "left_temple"),
        ("frontal", 0.5, 0.85, "chin"),
        ("frontal", 0.2, 0.8, "jawline_neck"),
        ("frontal", 0.5, 0.95, "jawline_neck"),
        ("frontal", 0.02, 0.5, "other"),
        # Left profile: nose to the drawing's left, only left-side regions.
        ("left", 0.1, 0.45, "nose"),
        ("left", 0.4, 0.55, "left_cheek"),
        ("left", 0.55, 0.3, "left_temple"),
        ("left", 0.6, 0.8, "jawline_neck"),
        ("left", 0.2, 0.8, "chin"),
        ("left", 0.9, 0.4, "other"),
        # Right profile: the mirror image.
        ("right", 0.9, 0.45, "nose"),
        ("right", 0.6, 0.55, "right_cheek"),
        ("right", 0.45, 0.3, "right_temple"),
        ("right", 0.1, 0.4, "other"),
    ],
)
def test_region_at(view, x, y, region):
    assert region_at(view, x, y) == region


def test_every_region_is_an_assessment_grid_region():
    for view in FaceView:
        assert set(facemap.regions_in_view(view)) <= set(FacialRegion.values)
    shown = {r for view in FaceView for r in facemap.regions_in_view(view)}
    assert shown | {"other"} == set(FacialRegion.values)


@pytest.mark.parametrize(("x", "y"), [(0, 0), (1, 1), (0.0, 1.0)])
def test_edges_are_in_bounds(x, y):
    assert facemap.in_bounds(x, y)
    region_at("frontal", x, y)


@pytest.mark.parametrize(("x", "y"), [(-0.01, 0.5), (0.5, 1.01), (2, 2)])
def test_outside_the_diagram_is_refused(x, y):
    assert not facemap.in_bounds(x, y)
    with pytest.raises(ValueError, match="outside the diagram"):
        region_at("frontal", x, y)


def test_unknown_view_is_refused():
    with pytest.raises(ValueError):
        region_at("top", 0.5, 0.5)


@pytest.mark.parametrize("view", list(FaceView))
def test_region_point_lies_in_its_region(view):
    for region in facemap.regions_in_view(view):
        for nth in range(12):
            x, y = facemap.region_point(view, region, nth=nth)
            assert region_at(view, x, y) == region, (view, region, nth)


def test_region_point_spreads_marks():
    points = {facemap.region_point("frontal", "left_cheek", nth=n) for n in range(9)}
    assert len(points) == 9


def test_region_point_refuses_a_region_the_view_does_not_show():
    with pytest.raises(ValueError, match="does not show"):
        facemap.region_point("left", "right_cheek")


def test_to_svg_scales_to_the_drawing():
    assert facemap.to_svg(0.5, 1.0) == (facemap.WIDTH / 2, facemap.HEIGHT)
