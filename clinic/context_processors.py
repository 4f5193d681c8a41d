from django.conf import settings
from django.http import HttpRequest

from clinic.auth_backend import load_access
from clinic.roles import role_of


def clinic(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    role = None
    if user is not None and user.is_authenticated:
        # The same query as the page's permission checks (usually made already).
        load_access(user)
        role = role_of(user)
    return {"clinic_name": settings.CLINIC_NAME, "user_role": role}
