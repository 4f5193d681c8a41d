"""Writes to patient records that must hold a rule: validated, attributed, atomic."""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from patients import scoring
from patients.models import FacialRegion, Patient, PhotoConsent, ScarAssessment, ScarCount


@transaction.atomic
def patient_register(*, patient: Patient, by) -> Patient:
    patient.created_by = by
    patient.updated_by = by
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, by) -> Patient:
    patient.updated_by = by
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def consent_give(*, consent: PhotoConsent, by) -> PhotoConsent:
    consent.recorded_by = by
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: PhotoConsent, withdrawn_on: dt.date, by) -> PhotoConsent:
    """Records the withdrawal on the consent row; the row itself is kept as evidence."""
    consent = PhotoConsent.objects.select_for_update().get(pk=consent.pk)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = by
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    return consent


Grid = Mapping[tuple[str, str], int]


def _ecca_counts(grid: Grid) -> dict[str, int]:
    totals = dict.fromkeys(scoring.EccaScarType, 0)
    for (_region, scar_type), count in grid.items():
        totals[scoring.EccaScarType(scar_type)] += count
    return totals


def _cells(grid: Grid):
    for region in FacialRegion:
        for scar_type in scoring.EccaScarType:
            yield region.value, scar_type.value, grid.get((region.value, scar_type.value), 0)


@transaction.atomic
def assessment_record(*, assessment: ScarAssessment, grid: Grid, by) -> ScarAssessment:
    """Saves a new assessment with its full region x scar-type grid and computed scores."""
    assessment.patient.refuse_new_records()
    assessment.updated_by = by
    assessment.set_scores(_ecca_counts(grid))
    assessment.full_clean()
    assessment.save()
    # Every cell is stored, zeros included, so that a later amendment to zero is an update
    # with history rather than a deletion.
    bulk_create_with_history(
        [
            ScarCount(assessment=assessment, region=region, scar_type=scar_type, count=count)
            for region, scar_type, count in _cells(grid)
        ],
        ScarCount,
        default_user=by,
    )
    return assessment


@transaction.atomic
def assessment_amend(*, assessment: ScarAssessment, grid: Grid, by) -> ScarAssessment:
    """Updates an assessment and its grid; the earlier values stay in the history."""
    assessment.updated_by = by
    assessment.set_scores(_ecca_counts(grid))
    assessment.full_clean()
    assessment.save()
    existing = {
        (cell.region, cell.scar_type): cell
        for cell in ScarCount.objects.select_for_update().filter(assessment=assessment)
    }
    changed, added = [], []
    for region, scar_type, count in _cells(grid):
        cell = existing.get((region, scar_type))
        if cell is None:
            added.append(
                ScarCount(assessment=assessment, region=region, scar_type=scar_type, count=count)
            )
        elif cell.count != count:
            cell.count = count
            changed.append(cell)
    if changed:
        bulk_update_with_history(changed, ScarCount, ["count"], default_user=by)
    if added:
        bulk_create_with_history(added, ScarCount, default_user=by)
    return assessment
