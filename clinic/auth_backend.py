"""The signed-in user's permissions and role in one query.

Django's ModelBackend reads a user's own permissions and their groups' permissions in two queries
(each built through the ORM, with three joins), and the role badge in the navigation bar read the
groups in a third. Every signed-in page needs all three, so `load_access` reads them together in
one plain UNION and keeps them on the user object for the rest of the request, where ModelBackend
looks for them. Nothing is kept between requests: a role change or a deactivation is seen by the
next request, as before.
"""

from typing import Protocol, cast

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Model

# Where the group names are kept on the user object (clinic.roles.role_of reads them).
GROUP_NAMES_ATTR = "_clinic_group_names"

# Tables of django.contrib.auth's default User model; `||` is standard SQL (PostgreSQL, SQLite).
_ACCESS_SQL = """
SELECT 'user', ct.app_label || '.' || p.codename
  FROM auth_user_user_permissions up
  JOIN auth_permission p ON p.id = up.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE up.user_id = %s
UNION ALL
SELECT 'group', ct.app_label || '.' || p.codename
  FROM auth_user_groups ug
  JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
  JOIN auth_permission p ON p.id = gp.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE ug.user_id = %s
UNION ALL
SELECT 'role', g.name
  FROM auth_user_groups ug
  JOIN auth_group g ON g.id = ug.group_id
 WHERE ug.user_id = %s
"""


class _PermissionCaches(Protocol):
    """Where ModelBackend keeps a user's permissions for the request (not in django-stubs)."""

    _user_perm_cache: set[str]
    _group_perm_cache: set[str]


def load_access(user: User | AnonymousUser) -> None:
    """Read the user's own permissions, their groups' permissions and their group names in one
    query, once per user object. A superuser's or an inactive user's permissions are left to
    ModelBackend (all of them, or none); their group names are still read."""
    if getattr(user, GROUP_NAMES_ATTR, None) is not None or not user.pk:
        return
    found: dict[str, set[str]] = {"user": set(), "group": set(), "role": set()}
    with connection.cursor() as cursor:
        cursor.execute(_ACCESS_SQL, [user.pk, user.pk, user.pk])
        for kind, name in cursor.fetchall():
            found[kind].add(name)
    setattr(user, GROUP_NAMES_ATTR, frozenset(found["role"]))
    if user.is_active and not user.is_superuser:
        caches = cast(_PermissionCaches, user)
        if not hasattr(user, "_user_perm_cache"):
            caches._user_perm_cache = found["user"]
        if not hasattr(user, "_group_perm_cache"):
            caches._group_perm_cache = found["group"]


class ClinicBackend(ModelBackend):
    """ModelBackend whose permission lookups for a user cost one query (`load_access`)."""

    def _get_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: Model | None, from_name: str
    ) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            # The project uses django.contrib.auth's default User (AUTH_USER_MODEL is not set).
            load_access(cast(User, user_obj))
        # ModelBackend._get_permissions is private and not in django-stubs.
        permissions: set[str] = super()._get_permissions(user_obj, obj, from_name)  # type: ignore[misc]
        return permissions
