"""Writes to patient records that must hold a rule: validated, attributed, atomic."""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from patients import consistency, scoring
from patients.models import FacialRegion, Patient, PhotoConsent, ScarAssessment, ScarCount


@transaction.atomic
def patient_register(*, patient: Patient, by: User) -> Patient:
    patient.created_by = by
    patient.updated_by = by
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, by: User) -> Patient:
    patient.updated_by = by
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def consent_give(*, consent: PhotoConsent, by: User) -> PhotoConsent:
    consent.recorded_by = by
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: PhotoConsent, withdrawn_on: dt.date, by: User) -> PhotoConsent:
    """Records the withdrawal on the consent row; the row itself is kept as evidence."""
    consent = PhotoConsent.objects.select_for_update().get(pk=consent.pk)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = by
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    return consent


Grid = Mapping[tuple[str, str], int]


def _ecca_counts(grid: Grid) -> dict[scoring.EccaScarType, int]:
    totals = dict.fromkeys(scoring.EccaScarType, 0)
    for (_region, scar_type), count in grid.items():
        totals[scoring.EccaScarType(scar_type)] += count
    return totals


def _cells(grid: Grid) -> Iterator[tuple[str, str, int]]:
    for region in FacialRegion:
        for scar_type in scoring.EccaScarType:
            yield region.value, scar_type.value, grid.get((region.value, scar_type.value), 0)


class AssessmentWarningsNotAcknowledged(Exception):
    """The assessment contradicts itself and the dermatologist has not ticked every warning."""

    def __init__(self, warnings: list[consistency.AssessmentWarning]):
        super().__init__(", ".join(w.code for w in warnings))
        self.warnings = warnings


def assessment_check(
    *, assessment: ScarAssessment, grid: Grid
) -> list[consistency.AssessmentWarning]:
    """The contradiction warnings for this assessment as entered (nothing is saved)."""
    same_day = []
    if assessment.assessed_on and assessment.patient_id:
        same_day = [
            consistency.SameDayAssessment(
                recorded_at=timezone.localtime(other.created_at),
                assessor=other.assessor.get_full_name() or other.assessor.username,
            )
            for other in ScarAssessment.objects.same_day_as(
                patient=assessment.patient, day=assessment.assessed_on, exclude_pk=assessment.pk
            ).order_by("created_at", "pk")
        ]
    facts = consistency.AssessmentFacts(
        gb_grade=assessment.gb_grade,
        ecca_counts=_ecca_counts(grid),
        gb_counts=assessment.gb_counts(),
        keloid_area_cm2=assessment.keloid_area_cm2 or 0,
        assessed_on=assessment.assessed_on,
        same_day=same_day,
        dlqi_unanswered=assessment.dlqi_unanswered(),
        dlqi_answered=assessment.dlqi_recorded,
    )
    return consistency.assessment_warnings(facts)


def _acknowledge(
    assessment: ScarAssessment, grid: Grid, acknowledged: Iterable[str], by: User
) -> None:
    """Raises unless every warning is ticked now or was acknowledged before (when amending);
    stores the warnings that apply with who acknowledged them and when."""
    warnings = assessment_check(assessment=assessment, grid=grid)
    before = {entry["code"]: entry for entry in assessment.acknowledged_warnings or []}
    ticked = set(acknowledged)
    missing = [w for w in warnings if w.code not in ticked and w.code not in before]
    if missing:
        raise AssessmentWarningsNotAcknowledged(missing)
    now = timezone.now().isoformat()
    assessment.acknowledged_warnings = [
        before[w.code] | {"message": w.message}
        if w.code in before
        else {"code": w.code, "message": w.message, "by": by.username, "at": now}
        for w in warnings
    ]


@transaction.atomic
def assessment_record(
    *, assessment: ScarAssessment, grid: Grid, acknowledged: Iterable[str] = (), by: User
) -> ScarAssessment:
    """Saves a new assessment with its full region x scar-type grid and computed scores.

    Raises AssessmentWarningsNotAcknowledged (nothing saved) unless every contradiction warning
    is in `acknowledged`."""
    assessment.patient.refuse_new_records()
    assessment.acknowledged_warnings = []
    _acknowledge(assessment, grid, acknowledged, by)
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
def assessment_amend(
    *, assessment: ScarAssessment, grid: Grid, acknowledged: Iterable[str] = (), by: User
) -> ScarAssessment:
    """Updates an assessment and its grid; the earlier values stay in the history. Warnings
    acknowledged when it was recorded need no second tick; new ones do."""
    _acknowledge(assessment, grid, acknowledged, by)
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
