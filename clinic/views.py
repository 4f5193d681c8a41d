from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.panels import dashboard_panels
from patients.models import Patient


def dashboard(request):
    recent_patients = []
    if request.user.has_perm("patients.view_patient"):
        recent_patients = Patient.objects.active().order_by("-updated_at")[:8]
    context = {"recent_patients": recent_patients, "panels": dashboard_panels(request)}
    return render(request, "clinic/dashboard.html", context)


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
