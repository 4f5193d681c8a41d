from django.conf import settings
from django.http import HttpRequest

from clinic.roles import role_of


def clinic(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None and user.is_authenticated else None
    return {"clinic_name": settings.CLINIC_NAME, "user_role": role}
