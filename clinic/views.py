from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from clinic.panels import dashboard_panels


def dashboard(request):
    """Today for the signed-in user: each app contributes its sections (clinic.panels)."""
    return render(request, "clinic/dashboard.html", {"panels": dashboard_panels(request)})


@login_not_required
@never_cache
def healthz(request):
    """For load balancers: 200 only when the database answers a round-trip."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the Django admin's): the
    clinic's icon, rather than a 404 in every admin page's console."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
