"""Writes to patient records that must hold a rule: validated, attributed, atomic."""

import datetime as dt

from django.db import transaction

from patients.models import Patient, PhotoConsent


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
