"""Who holds a permission, as a queryset: for choosing people in forms (clinician, assessor)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet


def users_with_perm(perm: str, *, include_superusers: bool = False) -> QuerySet[AbstractBaseUser]:
    """Active users granted `perm` ("app_label.codename") through a group or directly.

    Superusers hold every permission implicitly; they are left out unless asked for, so that a
    role-based choice (who may be recorded as the treating clinician) is not widened by an
    administrator account.
    """
    app_label, codename = perm.split(".", 1)
    granted = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    if include_superusers:
        granted |= Q(is_superuser=True)
    User = get_user_model()
    ids = User.objects.filter(granted).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by(
        "last_name", "first_name", "username"
    )
