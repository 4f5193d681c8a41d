"""The one way views fetch treatment records: permission first, then the row."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from treatments.models import ClinicalPhoto, Scar, SkinTest, TopicalRegimen, TreatmentSession


def get_session_for_user(
    user, pk: int, perm: str = "treatments.view_treatmentsession"
) -> TreatmentSession:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        TreatmentSession.objects.with_procedures().select_related(
            "patient", "updated_by", "archived_by", "appointment"
        ),
        pk=pk,
    )


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
