"""The one way views fetch a patient: permission first, then the row.

Checking the permission before the lookup means a refused user learns nothing, not even whether
the id exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from clinic.lib.compiled import CompiledInstances
from patients.models import Patient, PhotoConsent, ScarAssessment

# Every chart page reads its patient: compiled once (building the query of some thirty columns
# cost more than running it).
_patient = CompiledInstances(Patient, lambda pk: Patient.objects.filter(pk=pk))


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
    if queryset is not None:
        patient = get_object_or_404(queryset, pk=pk)
    else:
        found = _patient(pk)
        if not found:
            raise Http404("No patient matches the given query.")
        patient = found[0]
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
