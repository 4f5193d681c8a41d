"""The one way views fetch treatment records: permission first, then the row."""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from treatments.modality_sql import session_modalities_sql
from treatments.models import (
    ClinicalPhoto,
    Scar,
    SkinTest,
    TopicalRegimen,
    TreatmentSession,
)
from treatments.patient_outcomes import attach_procedures


def get_session_for_user(
    user, pk: int, perm: str = "treatments.view_treatmentsession"
) -> TreatmentSession:
    if not user.has_perm(perm):
        raise PermissionDenied
    modalities = RawSQL(*session_modalities_sql())  # noqa: S611 - names from the models
    session = get_object_or_404(
        TreatmentSession.objects.select_related(
            "clinician", "patient", "updated_by", "archived_by", "appointment"
        ).annotate(modality_values=modalities),
        pk=pk,
    )
    # The procedure tables the session has rows in are read; the others are known empty (a
    # session rarely has more than two of the six modalities). attach_procedures fills what
    # prefetch_related would, without its per-relation querysets.
    attach_procedures([session], set((session.modality_values or "").split(",")))
    prefetch_related_objects([session], "adverse_events")
    return session


def get_topical_for_user(user, pk: int, perm: str) -> TopicalRegimen:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(TopicalRegimen.objects.select_related("patient"), pk=pk)


def get_skin_test_for_user(user, pk: int, perm: str) -> SkinTest:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(SkinTest.objects.select_related("patient"), pk=pk)


def get_photo_for_user(user, pk: int, perm: str = "treatments.view_clinicalphoto") -> ClinicalPhoto:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        ClinicalPhoto.objects.select_related("patient", "session", "assessment"), pk=pk
    )


def get_scar_for_user(user, pk: int, perm: str = "treatments.view_scar") -> Scar:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        Scar.objects.select_related("patient", "created_by", "updated_by", "archived_by"), pk=pk
    )
