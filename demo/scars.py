"""A scar register for two demo patients on a CROSS course: 10-30 scars placed on the face map
at their first CROSS visit, linked to two or three CROSS sessions, some improved or resolved
since (and a few ice pick scars that did not respond, which the chart suggests for punch
excision). Idempotent: a patient who has scars is left alone."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from treatments import facemap
from treatments.models import CrossProcedure, Scar
from treatments.scar_services import scar_links_set, scar_place, scar_status_record

PATIENTS = 2
REGIONS = {
    "frontal": ["left_cheek", "right_cheek", "forehead", "left_temple", "right_temple"],
    "left": ["left_cheek", "left_temple"],
    "right": ["right_cheek", "right_temple"],
}
WIDTH_MM = {"ice_pick": (0.5, 1.8), "boxcar": (2.0, 4.0), "rolling": (4.5, 6.0)}


def _position(rng: random.Random, view: str) -> tuple[float, float]:
    region = rng.choice(REGIONS[view])
    box = next(b for b in facemap.BOXES[facemap.FaceView(view)] if b.region == region)
    return (
        round(rng.uniform(box.left + 0.02, box.right - 0.02), 3),
        round(rng.uniform(box.top + 0.02, box.bottom - 0.02), 3),
    )


def _candidates() -> list[tuple[object, list[CrossProcedure]]]:
    chosen = []
    crosses = (
        CrossProcedure.objects.filter(
            session__patient__mrn__startswith="DEMO-", session__archived_at__isnull=True
        )
        .select_related("session__patient")
        .order_by("session__patient__mrn", "session__performed_at")
    )
    by_patient: dict[int, list[CrossProcedure]] = {}
    for procedure in crosses:
        by_patient.setdefault(procedure.session.patient_id, []).append(procedure)
    for procedures in by_patient.values():
        if len(procedures) >= 2:
            chosen.append((procedures[0].session.patient, procedures[:3]))
        if len(chosen) == PATIENTS:
            break
    return chosen


def _respond(rng, scar: Scar, dates: list[dt.date], by: User) -> None:
    """A status at a later visit: improved after one or two sessions, resolved at follow-up, or
    none (still active)."""
    today = timezone.localdate()
    follow_up = min(today, dates[-1] + dt.timedelta(days=28))
    roll = rng.random()
    if roll < 0.25 and len(dates) > 1:
        scar_status_record(scar=scar, status="improved", recorded_on=dates[1], by=by)
    elif roll < 0.5:
        day = dates[2] if len(dates) > 2 else follow_up
        scar_status_record(scar=scar, status="improved", recorded_on=day, by=by)
    if 0.15 < roll < 0.4 and follow_up > dates[-1]:
        scar_status_record(scar=scar, status="resolved", recorded_on=follow_up, by=by)


def seed_scars() -> int:
    clinician = User.objects.filter(username="dermatologist").first()
    if clinician is None:
        return 0
    created = 0
    for patient, procedures in _candidates():
        if Scar.objects.filter(patient=patient).exists():
            continue
        rng = random.Random(f"scars-{patient.mrn}")
        dates = [p.session.performed_on for p in procedures]
        with transaction.atomic():
            ice_pick = []
            for _ in range(rng.randint(12, 26)):
                kind = rng.choices(["ice_pick", "boxcar", "rolling"], [8, 1, 1])[0]
                view = rng.choices(["frontal", "left", "right"], [6, 2, 2])[0]
                x, y = _position(rng, view)
                scar = Scar(
                    patient=patient,
                    scar_type=kind,
                    width_mm=Decimal(f"{rng.uniform(*WIDTH_MM[kind]):.1f}"),
                    depth=rng.choice(["moderate", "deep"] if kind == "ice_pick" else ["shallow"]),
                    view=view,
                    x=x,
                    y=y,
                )
                scar_place(scar=scar, by=clinician, placed_on=dates[0])
                created += 1
                if kind == "ice_pick":
                    ice_pick.append(scar)
            for procedure in procedures:
                scar_links_set(procedure=procedure, scars=ice_pick)
            for scar in ice_pick:
                _respond(rng, scar, dates, clinician)
    return created
