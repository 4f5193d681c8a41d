"""The face diagram of the scar register: three views, positions kept normalised (0..1 across and
down each view's drawing) so a scar stays where it was placed however the diagram is drawn, and
the facial region a position falls in (the regions of the assessment grid).

Pure: no Django imports beyond the region names' values. The frontal view is drawn as the
clinician faces the patient, so the patient's right side is on the left of the drawing; the left
profile shows the patient's left side with the nose pointing to the left of the drawing, the right
profile the mirror image.
"""

from dataclasses import dataclass
from enum import StrEnum

# Region values of patients.models.FacialRegion (kept as plain strings: this module is pure).
FOREHEAD = "forehead"
LEFT_TEMPLE = "left_temple"
RIGHT_TEMPLE = "right_temple"
LEFT_CHEEK = "left_cheek"
RIGHT_CHEEK = "right_cheek"
NOSE = "nose"
CHIN = "chin"
JAWLINE_NECK = "jawline_neck"
OTHER = "other"


class FaceView(StrEnum):
    FRONTAL = "frontal"
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return {"frontal": "Frontal", "left": "Left profile", "right": "Right profile"}[self]


VIEW_CHOICES = [(v.value, v.label) for v in FaceView]

# Drawing size of each view, in SVG user units (positions are stored as fractions of these).
WIDTH = 200
HEIGHT = 260


@dataclass(frozen=True)
class Box:
    """A rectangle in normalised coordinates; the first box of a view containing a point wins."""

    region: str
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def mirrored(self, swap: dict[str, str]) -> "Box":
        region = swap.get(self.region, self.region)
        return Box(region, 1 - self.right, self.top, 1 - self.left, self.bottom)


# Frontal: image left is the patient's right.
_FRONTAL = (
    Box(NOSE, 0.42, 0.36, 0.58, 0.62),
    Box(FOREHEAD, 0.24, 0.08, 0.76, 0.32),
    Box(RIGHT_TEMPLE, 0.10, 0.20, 0.24, 0.42),
    Box(LEFT_TEMPLE, 0.76, 0.20, 0.90, 0.42),
    Box(CHIN, 0.34, 0.78, 0.66, 0.90),
    Box(JAWLINE_NECK, 0.0, 0.90, 1.0, 1.0),
    Box(JAWLINE_NECK, 0.10, 0.70, 0.34, 0.90),
    Box(JAWLINE_NECK, 0.66, 0.70, 0.90, 0.90),
    Box(RIGHT_CHEEK, 0.10, 0.32, 0.50, 0.78),
    Box(LEFT_CHEEK, 0.50, 0.32, 0.90, 0.78),
)
# Left profile: the nose points to the left of the drawing; the ear sits at about x 0.7.
_LEFT = (
    Box(NOSE, 0.0, 0.34, 0.20, 0.60),
    Box(FOREHEAD, 0.06, 0.06, 0.45, 0.30),
    Box(LEFT_TEMPLE, 0.45, 0.16, 0.68, 0.42),
    Box(CHIN, 0.04, 0.74, 0.34, 0.90),
    Box(JAWLINE_NECK, 0.0, 0.90, 1.0, 1.0),
    Box(JAWLINE_NECK, 0.34, 0.68, 0.85, 0.90),
    Box(LEFT_CHEEK, 0.14, 0.30, 0.66, 0.74),
)
_SWAP = {LEFT_TEMPLE: RIGHT_TEMPLE, LEFT_CHEEK: RIGHT_CHEEK}
_RIGHT = tuple(box.mirrored(_SWAP) for box in _LEFT)

BOXES: dict[FaceView, tuple[Box, ...]] = {
    FaceView.FRONTAL: _FRONTAL,
    FaceView.LEFT: _LEFT,
    FaceView.RIGHT: _RIGHT,
}


def in_bounds(x: float, y: float) -> bool:
    """A stored position is a fraction of the view's width and height."""
    return 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0


def region_at(view: FaceView | str, x: float, y: float) -> str:
    """The facial region at a normalised position of a view; "other" off the face (the ear, the
    background). Raises ValueError for a position outside the drawing."""
    if not in_bounds(x, y):
        raise ValueError(f"Position ({x}, {y}) is outside the diagram (0 to 1 each way).")
    for box in BOXES[FaceView(view)]:
        if box.contains(x, y):
            return box.region
    return OTHER


def regions_in_view(view: FaceView | str) -> list[str]:
    return list(dict.fromkeys(box.region for box in BOXES[FaceView(view)]))


def region_point(view: FaceView | str, region: str, *, nth: int = 0) -> tuple[float, float]:
    """A position inside `region` of the view, for placing a scar by region (keyboard or no
    script): the centre of the region's first box, nudged along a small spiral for the nth scar
    so marks placed this way do not hide each other. Raises ValueError if the view does not show
    the region."""
    box = next((b for b in BOXES[FaceView(view)] if b.region == region), None)
    if box is None:
        raise ValueError(f"The {FaceView(view).label.lower()} view does not show {region}.")
    cx, cy = box.centre
    step = 0.03
    offsets = [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, 1), (-1, -1), (1, -1)]
    dx, dy = offsets[nth % len(offsets)]
    ring = 1 + nth // len(offsets)
    x = min(max(cx + dx * step * ring, box.left), box.right)
    y = min(max(cy + dy * step * ring, box.top), box.bottom)
    return (round(x, 4), round(y, 4))


def to_svg(x: float, y: float) -> tuple[float, float]:
    """A normalised position in the drawing's user units."""
    return (round(x * WIDTH, 1), round(y * HEIGHT, 1))
