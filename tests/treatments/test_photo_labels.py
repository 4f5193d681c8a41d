"""A photo's view label reads as the choices' labels do (written with plain dict lookups)."""

import pytest

from treatments.models import ClinicalPhoto
from treatments.models.photos import PhotoView


@pytest.mark.parametrize("view", [v for v, _ in PhotoView.choices])
def test_view_label_is_the_views_display(view):
    photo = ClinicalPhoto(view=view, close_up_region="")
    assert photo.view_label == photo.get_view_display()


def test_a_close_up_names_its_region_in_lower_case():
    photo = ClinicalPhoto(view=PhotoView.CLOSE_UP, close_up_region="left_cheek")
    assert photo.view_label == f"Close-up: {photo.get_close_up_region_display().lower()}"
    assert photo.view_label == "Close-up: left cheek"
