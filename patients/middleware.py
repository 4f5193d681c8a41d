"""Turns a refused write to an archived patient into a message on the chart, from any view."""

from django.contrib import messages
from django.shortcuts import redirect

from patients.models import PatientArchived


class ArchivedPatientMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PatientArchived):
            return None
        messages.error(request, exception.messages[0])
        return redirect("patients:detail", pk=exception.patient.pk)
