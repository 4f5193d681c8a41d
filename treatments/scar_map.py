"""What the face diagram draws: the three views, their outlines and region guides, and each scar
as a numbered mark coloured by status or by number of treatments. Built from scars already read
(one query, `Scar.objects.for_map()`), so drawing costs nothing per scar."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from patients.models import FacialRegion
from treatments import facemap
from treatments.facemap import FaceView
from treatments.models import Scar, ScarStatus

# Colours that stay apart for colour-blind readers (Okabe-Ito), and the number is always shown.
STATUS_COLOURS = {
    ScarStatus.ACTIVE: "#d55e00",
    ScarStatus.IMPROVED: "#e69f00",
    ScarStatus.RESOLVED: "#009e73",
}
TREATMENT_COLOURS = ["#bdbdbd", "#9ecae1", "#4292c6", "#08519c"]  # 0, 1, 2, 3+ treatments
COLOUR_MODES = {"status": "status", "treatments": "number of treatments"}

# Outlines in the drawing's units (200 x 260); the right profile is the left one mirrored.
_PROFILE = (
    "M110 8 C60 8 30 30 28 70 L22 95 L4 135 L24 148 L20 165 L26 178 L22 190 L36 212 "
    "C60 226 100 226 120 220 L128 260 M160 260 L165 210 C190 180 195 120 185 70 "
    "C175 30 145 8 110 8"
)
OUTLINES = {
    FaceView.FRONTAL: (
        "M100 12 C40 12 18 60 18 120 C18 185 55 228 100 228 C145 228 182 185 182 120 "
        "C182 60 160 12 100 12 Z M68 226 L66 260 M132 226 L134 260 "
        "M58 95 q12 -8 24 0 M118 95 q12 -8 24 0 M100 100 L92 150 L108 150 M80 182 q20 12 40 0"
    ),
    FaceView.LEFT: _PROFILE + " M138 100 q14 -8 16 15 q0 20 -14 25 M60 96 q10 -6 18 0",
    FaceView.RIGHT: _PROFILE + " M138 100 q14 -8 16 15 q0 20 -14 25 M60 96 q10 -6 18 0",
}


@dataclass(frozen=True)
class Mark:
    scar: Scar
    cx: float
    cy: float
    fill: str
    text_fill: str
    picked: bool = False


@dataclass(frozen=True)
class Guide:
    label: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class MapView:
    view: FaceView
    outline: str
    mirrored: bool
    guides: list[Guide]
    marks: list[Mark] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.view.label


def _guides(view: FaceView) -> list[Guide]:
    labels = dict(FacialRegion.choices)
    guides, seen = [], set()
    for box in facemap.BOXES[view]:
        first = box.region not in seen
        seen.add(box.region)
        x, y = facemap.to_svg(box.left, box.top)
        right, bottom = facemap.to_svg(box.right, box.bottom)
        guides.append(Guide(labels[box.region] if first else "", x, y, right - x, bottom - y))
    return guides


def mark_colour(scar: Scar, colour_by: str) -> str:
    if colour_by == "treatments":
        count = getattr(scar, "treatment_count", 0)
        return TREATMENT_COLOURS[min(count, len(TREATMENT_COLOURS) - 1)]
    return STATUS_COLOURS.get(ScarStatus(scar.status), STATUS_COLOURS[ScarStatus.ACTIVE])


def face_map(
    scars: Iterable[Scar], *, colour_by: str = "status", picked: Sequence[int] = ()
) -> list[MapView]:
    views = {v: MapView(v, OUTLINES[v], v == FaceView.RIGHT, _guides(v)) for v in FaceView}
    for scar in scars:
        cx, cy = facemap.to_svg(scar.x, scar.y)
        fill = mark_colour(scar, colour_by)
        dark_text = fill in ("#e69f00", "#bdbdbd", "#9ecae1")
        views[FaceView(scar.view)].marks.append(
            Mark(scar, cx, cy, fill, "#000" if dark_text else "#fff", scar.pk in picked)
        )
    return list(views.values())


def legend(colour_by: str) -> list[tuple[str, str]]:
    if colour_by == "treatments":
        return list(zip(["no treatment", "1", "2", "3 or more"], TREATMENT_COLOURS, strict=True))
    return [(status.label.lower(), STATUS_COLOURS[status]) for status in ScarStatus]
