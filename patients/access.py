"""The one way views fetch a patient: permission first, then the row.

Checking the permission before the lookup means a refused user learns nothing, not even whether
the id exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patients.models import Patient, PhotoConsent, ScarAssessment


def get_patient_for_user(
    user,
    pk: int,
    perm: str = "patients.view_patient",
    queryset: QuerySet | None = None,
    *,
    adding: bool = False,
) -> Patient:
    """`adding`: the view adds a record to the patient, which an archived patient refuses
    (PatientArchived, turned into a message on the chart by patients.middleware)."""
    if not user.has_perm(perm):
        raise PermissionDenied
    patient = get_object_or_404(queryset if queryset is not None else Patient.objects, pk=pk)
    if adding:
        patient.refuse_new_records()
    return patient


def get_consent_for_user(user, patient_pk: int, pk: int, perm: str) -> PhotoConsent:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        PhotoConsent.objects.select_related("patient"), pk=pk, patient_id=patient_pk
    )


def get_assessment_for_user(user, pk: int, perm: str = "patients.view_scarassessment"):
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        ScarAssessment.objects.select_related(
            "patient", "assessor", "updated_by", "archived_by"
        ).with_superseded(),
        pk=pk,
    )
