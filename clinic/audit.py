"""Who looked at which patient's record: the access trail clinic admins read in the admin."""

from django.db import models
from django.http import HttpRequest

from clinic.models import AccessLog


def access_record(
    request: HttpRequest,
    *,
    patient,
    action: str = AccessLog.Action.VIEW,
    obj: models.Model | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        user=request.user,
        username=request.user.get_username(),
        action=action,
        patient=patient,
        patient_mrn=patient.mrn,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=request.get_full_path()[:500],
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )
