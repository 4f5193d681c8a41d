"""The dashboard's patient section: find a patient, and the recently updated ones."""

from django.http import HttpRequest

from clinic.panels import Panel, register_dashboard_panel
from patients.models import Patient

RECENT_SHOWN = 8


def recent_patients(request: HttpRequest, _subject: None) -> dict:
    # 1 query: the newest active patients, read from the partial index on updated_at, with the
    # columns the list shows.
    recent = Patient.objects.active().order_by("-updated_at")
    return {"recent_patients": list(recent.only("first_name", "last_name", "mrn")[:RECENT_SHOWN])}


register_dashboard_panel(
    Panel(
        name="patients-find",
        template="patients/_dashboard_find.html",
        permission="patients.view_patient",
        context=recent_patients,
        order=50,
    )
)
