"""Writes to the scar register: placing, editing and moving a scar, recording its status, and
linking scars to the CROSS or punch procedure that treated them. Each is atomic and checked."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from patients.models import Patient
from treatments import facemap
from treatments.models import (
    CrossProcedure,
    Procedure,
    PunchProcedure,
    Scar,
    ScarStatus,
    ScarStatusChange,
    ScarTreatment,
    ScarType,
    TreatmentSession,
)
from treatments.models.scars import ECCA_TYPE

SCAR_PICKING_MODELS = (CrossProcedure, PunchProcedure)


@transaction.atomic
def scar_place(*, scar: Scar, by: User, placed_on: dt.date | None = None) -> Scar:
    """Adds a scar to the patient's register with the next number and an "active" status (as of
    `placed_on`, today by default). The patient row is locked so two placements at once cannot
    take the same number."""
    patient = Patient.objects.select_for_update().get(pk=scar.patient_id)
    patient.refuse_new_records()
    scar.number = Scar.objects.next_number(patient)
    scar.place()
    scar.status = ScarStatus.ACTIVE
    scar.status_on = placed_on or timezone.localdate()
    if scar.status_on > timezone.localdate():
        raise ValidationError("A scar cannot be placed in the future.")
    scar.created_by = by
    scar.updated_by = by
    scar.full_clean()
    scar._history_user = by  # type: ignore[attr-defined]  # also outside a request (seeds)
    scar.save()
    ScarStatusChange.objects.create(
        scar=scar, status=scar.status, recorded_on=scar.status_on, recorded_by=by, note="Placed"
    )
    return scar


@transaction.atomic
def scar_update(*, scar: Scar, by: User) -> Scar:
    """Saves edits (type, size, notes, a move); the region follows the position."""
    scar.place()
    scar.updated_by = by
    scar.full_clean()
    scar.save()
    return scar


@transaction.atomic
def scar_status_record(
    *, scar: Scar, status: str, recorded_on: dt.date, by: User, note: str = ""
) -> ScarStatusChange:
    """Records the scar's status at a visit. The scar shows the latest recorded status (by date),
    so a status entered late for an earlier visit does not overwrite a newer one."""
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "A status cannot be recorded in the future."})
    if status not in ScarStatus.values:
        raise ValidationError({"status": "Choose active, improved or resolved."})
    change = ScarStatusChange(
        scar=scar, status=status, recorded_on=recorded_on, recorded_by=by, note=note.strip()
    )
    change.full_clean()
    change.save()
    latest = scar.status_changes.order_by("-recorded_on", "-pk").first()
    if latest is not None and (scar.status, scar.status_on) != (latest.status, latest.recorded_on):
        scar.status, scar.status_on, scar.updated_by = latest.status, latest.recorded_on, by
        scar.save(update_fields=["status", "status_on", "updated_by", "updated_at"])
    return change


def _fk(procedure: Procedure) -> str:
    if isinstance(procedure, CrossProcedure):
        return "cross"
    if isinstance(procedure, PunchProcedure):
        return "punch"
    raise ValueError("Only CROSS and punch procedures pick scars.")


def scar_links_set(*, procedure: Procedure, scars: Iterable[Scar]) -> int:
    """Makes the procedure's linked scars exactly `scars` and sets its scar count to match.
    Scars must belong to the session's patient. Runs inside the caller's transaction."""
    fk = _fk(procedure)
    wanted = {scar.pk: scar for scar in scars}
    patient_id = procedure.session.patient_id  # type: ignore[attr-defined]
    if any(scar.patient_id != patient_id for scar in wanted.values()):
        raise ValidationError("Pick scars of this patient only.")
    links = ScarTreatment.objects.filter(**{fk: procedure})
    have = set(links.values_list("scar_id", flat=True))
    # Amending a session: a scar unticked was not treated by it. The link row goes, and its
    # history keeps it (a "-" record per row, as each added link gets a "+" record below).
    links.exclude(scar_id__in=wanted).delete()
    bulk_create_with_history(
        [ScarTreatment(scar_id=pk, **{fk: procedure}) for pk in wanted if pk not in have],
        ScarTreatment,
    )
    if wanted and procedure.scars_treated != len(wanted):
        procedure.scars_treated = len(wanted)
        procedure.save(update_fields=["scars_treated"])
    return len(wanted)


def scar_picks_save(forms: Sequence[object], procedures: Sequence[Procedure]) -> None:
    """After the session and its procedures are saved (same transaction): link each CROSS or
    punch procedure to the scars picked in its form, when its form offered scars."""
    for form, procedure in zip(forms, procedures, strict=True):
        picked = getattr(form, "picked_scars", None)
        if picked is not None:
            scar_links_set(procedure=procedure, scars=picked)


def register_scars(session: TreatmentSession) -> list[Scar]:
    """The patient's current scars for the CROSS and punch forms to pick from (one query)."""
    if session.patient_id is None:
        return []
    return list(Scar.objects.of_patient(session.patient).for_map())


def active_of_type_in_region(patient: Patient, *, scar_type: str, region: str) -> list[Scar]:
    """ "All active ice pick scars in this region", for picking them in one go."""
    return list(
        Scar.objects.of_patient(patient).filter(
            scar_type=scar_type, region=region, status=ScarStatus.ACTIVE
        )
    )


def assessment_prefill(scars: Iterable[Scar]) -> dict[str, int]:
    """Counts of the active scars per region and ECCA type, named as the assessment grid's
    cells (patients.forms.cell_name), so an assessment can start from the register."""
    cells: dict[str, int] = {}
    for scar in scars:
        if scar.status == ScarStatus.ACTIVE and scar.archived_at is None:
            name = f"cell_{scar.region}__{ECCA_TYPE[ScarType(scar.scar_type)]}"
            cells[name] = cells.get(name, 0) + 1
    return cells


def region_place_point(patient: Patient, view: str, region: str) -> tuple[float, float]:
    """A free spot in a region, for placing by region instead of by tap."""
    placed = Scar.objects.filter(patient=patient, view=view, region=region).count()
    return facemap.region_point(view, region, nth=placed)
