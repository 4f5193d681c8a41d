"""Who holds a permission, as a queryset: for choosing people in forms (clinician, assessor)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# Holders through a role (group) or directly, in plain SQL. The ORM built the same subquery from
# two many-to-many paths and took about a millisecond to compile it, on every calendar page.
# Tables of django.contrib.auth's default User model (AUTH_USER_MODEL is not set), as in
# clinic/auth_backend.py.
_HOLDERS_SQL = """
SELECT ug.user_id
  FROM auth_user_groups ug
  JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
  JOIN auth_permission p ON p.id = gp.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE p.codename = %s AND ct.app_label = %s
UNION
SELECT up.user_id
  FROM auth_user_user_permissions up
  JOIN auth_permission p ON p.id = up.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE p.codename = %s AND ct.app_label = %s
"""


def users_with_perm(perm: str, *, include_superusers: bool = False) -> QuerySet[AbstractBaseUser]:
    """Active users granted `perm` ("app_label.codename") through a group or directly.

    Superusers hold every permission implicitly; they are left out unless asked for, so that a
    role-based choice (who may be recorded as the treating clinician) is not widened by an
    administrator account.
    """
    app_label, codename = perm.split(".", 1)
    holders = RawSQL(_HOLDERS_SQL, (codename, app_label) * 2)  # noqa: S611 - fixed SQL, bound values
    granted = Q(pk__in=holders)
    if include_superusers:
        granted |= Q(is_superuser=True)
    User = get_user_model()
    return User.objects.filter(granted, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
