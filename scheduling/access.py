"""The one way views fetch an appointment: permission first, then the row.

Checking the permission before the lookup means a refused user learns nothing, not even whether
the id exists.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from scheduling.models import Appointment

PROGRESS_ANY = "scheduling.progress_any_appointment"
PROGRESS_OWN = "scheduling.progress_own_appointment"


def get_appointment_for_user(
    user, pk: int, perm: str = "scheduling.view_appointment"
) -> Appointment:
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(Appointment.objects.for_calendar(), pk=pk)


def may_progress(user, appointment: Appointment) -> bool:
    """Dermatologists move their own visits along; a clinic admin may move anyone's."""
    return user.has_perm(PROGRESS_ANY) or (
        user.has_perm(PROGRESS_OWN) and appointment.dermatologist_id == user.pk
    )


def get_appointment_to_progress(user, pk: int) -> Appointment:
    if not (user.has_perm(PROGRESS_ANY) or user.has_perm(PROGRESS_OWN)):
        raise PermissionDenied
    appointment = get_object_or_404(Appointment.objects.for_calendar(), pk=pk)
    if not may_progress(user, appointment):
        raise PermissionDenied
    return appointment


def get_dermatologist_for_user(user, pk: int, perm: str = "scheduling.view_appointment"):
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=pk)
