"""The signed-in user, their permissions and their role in one query.

Django's ModelBackend reads the user, then their own permissions and their groups' permissions in
two more queries (each built through the ORM, with three joins), and the role badge in the
navigation bar read the groups in a fourth. Every signed-in page needs all of them, so
`ClinicBackend.get_user` reads the user row with the three together (one plain UNION, folded into
a column) and keeps them on the user object for the rest of the request, where ModelBackend looks
for them; `load_access` reads them for a user object from elsewhere. Nothing is kept between
requests: a role change or a deactivation is seen by the next request, as before.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol, cast

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from clinic.lib.compiled import CompiledInstances

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

# The same rows as one text column of the user's row: "kind:name" joined by the unit separator
# (a character no permission or group name holds). The user's id comes from the outer query.
_SEPARATOR = "\x1f"
_ACCESS_OF_USER_SQL = """
SELECT {aggregate}(a.kind || ':' || a.name, %s) FROM (
  SELECT up.user_id AS user_id, 'user' AS kind, ct.app_label || '.' || p.codename AS name
    FROM auth_user_user_permissions up
    JOIN auth_permission p ON p.id = up.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
  UNION ALL
  SELECT ug.user_id, 'group', ct.app_label || '.' || p.codename
    FROM auth_user_groups ug
    JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
    JOIN auth_permission p ON p.id = gp.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
  UNION ALL
  SELECT ug.user_id, 'role', g.name
    FROM auth_user_groups ug
    JOIN auth_group g ON g.id = ug.group_id
) a WHERE a.user_id = auth_user.id
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
    with connection.cursor() as cursor:
        cursor.execute(_ACCESS_SQL, [user.pk, user.pk, user.pk])
        _keep_access(user, cursor.fetchall())


def _keep_access(user: User | AnonymousUser, rows: Iterable[Sequence[str]]) -> None:
    """Keeps (kind, name) rows on the user object where ModelBackend and role_of look."""
    found: dict[str, set[str]] = {"user": set(), "group": set(), "role": set()}
    for kind, name in rows:
        found[kind].add(name)
    setattr(user, GROUP_NAMES_ATTR, frozenset(found["role"]))
    if user.is_active and not user.is_superuser:
        caches = cast(_PermissionCaches, user)
        if not hasattr(user, "_user_perm_cache"):
            caches._user_perm_cache = found["user"]
        if not hasattr(user, "_group_perm_cache"):
            caches._group_perm_cache = found["group"]


def _users(user_pk: int) -> "QuerySet[User]":
    """The user with their access folded into `clinic_access`."""
    aggregate = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    access = RawSQL(_ACCESS_OF_USER_SQL.format(aggregate=aggregate), [_SEPARATOR])  # noqa: S611 - fixed SQL
    return User._default_manager.annotate(clinic_access=access).filter(pk=user_pk)


# Every signed-in request reads its user: compiled once (building the query with its access
# subquery cost about half a millisecond a request).
_user = CompiledInstances(User, _users, annotations=("clinic_access",))


class ClinicBackend(ModelBackend):
    """ModelBackend that reads the signed-in user with their permissions and role (one query for
    all), and whose permission lookups for another user cost one query (`load_access`)."""

    def get_user(self, user_id: int) -> User | None:
        found = _user(user_id)
        if not found:
            return None
        user = found[0]
        folded: str = getattr(user, "clinic_access", None) or ""
        _keep_access(user, (item.split(":", 1) for item in folded.split(_SEPARATOR) if item))
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: Model | None, from_name: str
    ) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            # The project uses django.contrib.auth's default User (AUTH_USER_MODEL is not set).
            load_access(cast(User, user_obj))
        # ModelBackend._get_permissions is private and not in django-stubs.
        permissions: set[str] = super()._get_permissions(user_obj, obj, from_name)  # type: ignore[misc]
        return permissions
