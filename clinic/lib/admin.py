"""Admin mixins every app's admin uses."""

from django.http import HttpRequest


class SuperuserDeleteOnly:
    """Records are archived or cancelled, never deleted; only a superuser may hard-delete one
    (a test entry, say)."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)
