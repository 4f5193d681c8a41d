"""Scars for tests, placed through the real service (numbering, region, first status)."""

from patients.models import Patient
from treatments.models import Scar
from treatments.scar_services import scar_place


def place_scar(patient: Patient, by, *, view="frontal", x=0.3, y=0.5, **values) -> Scar:
    defaults = {"scar_type": "ice_pick", "width_mm": None, "depth": "deep"}
    scar = Scar(patient=patient, view=view, x=x, y=y, **(defaults | values))
    return scar_place(scar=scar, by=by)
